/**
 * A product as the reconciler uses it: its definition, plus the facts one
 * reconcile derives from the custom resource as stored on the API server
 * (what its spec renders, from the same code that renders it).
 */
import { ABI_PRODUCT } from '../abi/abi-product';
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { ProductDefinition } from '../products/product-definition';
import { ExpectedChildren } from '../shared/children';
import { VECODEX_PRODUCT } from '../vecodex/vecodex-product';
import { KubeObject } from './kube-object';

interface ProductFacts {
  readonly expected: ExpectedChildren;
  readonly enabledFeatures: readonly string[];
}

export interface ProductAdapter extends ProductDefinition {
  /** Derives the expected children from the resource's spec as stored on the API server. */
  facts(resource: KubeObject): ProductFacts;
}

export function productAdapter(definition: ProductDefinition): ProductAdapter {
  return {
    ...definition,
    facts(resource) {
      const spec = definition.specFromWire(resource.spec ?? {});
      return {
        expected: definition.expectedChildren(resource.metadata.name, resource.metadata.namespace ?? 'default', spec),
        enabledFeatures: definition.enabledFeatures(spec),
      };
    },
  };
}

/** Every built-in product, as the reconciler binary serves them (its --products flag picks among them). */
export const ADAPTERS: readonly ProductAdapter[] = BUILT_IN_PRODUCTS.map(productAdapter);

/** One product's adapter, for code (and tests) that means that product. */
export const ABI_ADAPTER: ProductAdapter = productAdapter(ABI_PRODUCT);
export const VECODEX_ADAPTER: ProductAdapter = productAdapter(VECODEX_PRODUCT);
