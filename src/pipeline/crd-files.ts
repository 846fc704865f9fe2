import { App, Chart } from 'cdk8s';
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { crdFileName, ProductDefinition } from '../products/product-definition';
import { toYamlDocuments } from './yaml';

/** Every product's CRD, by the file name under crds/ (group_plural.yaml, as controller-gen names them). */
function crdCharts(products: readonly ProductDefinition[]): Array<[string, Chart]> {
  const app = new App({ outdir: '/dev/null' });
  return products.map((product) => {
    const chart = new Chart(app, product.name, { disableResourceNameHashes: true });
    product.crd(chart, `${product.kind}Crd`);
    return [crdFileName(product), chart];
  });
}

export function renderCrdFiles(products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS): Record<string, string> {
  return Object.fromEntries(crdCharts(products).map(([file, chart]) => [file, toYamlDocuments(chart.toJson())]));
}

export function renderCrdObjects(products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS): unknown[] {
  return crdCharts(products).flatMap(([, chart]) => chart.toJson());
}
