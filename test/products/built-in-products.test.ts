import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { HEALTH_CHECKED_KINDS } from '../../src/gitops/argocd-health-check';
import { renderCrdFiles } from '../../src/pipeline/crd-files';
import { BUILT_IN_PRODUCTS, productsNamed } from '../../src/products/built-in-products';
import { parseOptions } from '../../src/reconciler/options';

const REPO_ROOT = path.join(__dirname, '..', '..');

describe('the built-in product list', () => {
  test('GIVEN the list WHEN its CRD files are rendered THEN each product has one, imports/ has its classes, and cdk8s.yaml lists none to keep in step', () => {
    const config = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'cdk8s.yaml'), 'utf8')) as { imports?: string[] };
    const files = Object.keys(renderCrdFiles());
    expect(files).toHaveLength(BUILT_IN_PRODUCTS.length);
    // `npm run import` (scripts/import-crds.ts) imports exactly these files; a list in cdk8s.yaml would be a second copy.
    expect(config.imports).toBeUndefined();
    for (const product of BUILT_IN_PRODUCTS) expect(fs.existsSync(path.join(REPO_ROOT, 'imports', `${product.group}.ts`))).toBe(true);
  });

  test('GIVEN the list WHEN the health checks and the reconciler\'s default are derived THEN every product is health-checked and watched', () => {
    expect(HEALTH_CHECKED_KINDS.map((k) => `${k.group}/${k.version} ${k.kind}`)).toEqual(['abi.io/v1 AbiInstance', 'apps.vecodex.link/v1alpha1 VecodexSet']);
    expect(parseOptions([], {}).products).toEqual(BUILT_IN_PRODUCTS.map((p) => p.name));
  });

  test('GIVEN product names WHEN looked up THEN the definitions come back in the order named, and an unknown name is refused naming what is known', () => {
    expect(productsNamed(['vecodex', 'abi']).map((p) => p.kind)).toEqual(['VecodexSet', 'AbiInstance']);
    expect(() => productsNamed(['abi', 'vecodx'])).toThrow('unknown product(s) "vecodx": expected any of abi, vecodex');
    // The reconciler binary refuses too, instead of starting healthy and watching nothing for it.
    expect(() => parseOptions(['--products=abi,greeter'], {})).toThrow('--products: unknown product(s) greeter: this reconciler is built with abi,vecodex');
  });

  test('GIVEN every product WHEN its identity is read THEN names, API versions and config-hash annotations are unique and follow from group and version', () => {
    expect(BUILT_IN_PRODUCTS.length).toBeGreaterThan(0);
    for (const field of ['name', 'apiVersion', 'configHashAnnotation'] as const) {
      expect(new Set(BUILT_IN_PRODUCTS.map((p) => p[field])).size).toBe(BUILT_IN_PRODUCTS.length);
    }
    for (const p of BUILT_IN_PRODUCTS) {
      expect(p.apiVersion).toBe(`${p.group}/${p.version}`);
      expect(p.configHashAnnotation).toBe(`${p.group}/config-hash`);
    }
  });
});
