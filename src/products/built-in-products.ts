/**
 * The one list of products. Everything that depends on which products exist
 * (the loader's kinds, crds/, the health checks, the reconciler's watches,
 * RBAC and child index) is derived from it; adding a product is one
 * definition and one line here (docs/adding-a-product.md).
 */
import { ABI_PRODUCT } from '../abi/abi-product';
import { VECODEX_PRODUCT } from '../vecodex/vecodex-product';
import { ProductDefinition } from './product-definition';

/** The products this library ships: AbiInstance (abi.io) and VecodexSet (apps.vecodex.link). */
export const BUILT_IN_PRODUCTS: readonly ProductDefinition[] = [
  ABI_PRODUCT,
  VECODEX_PRODUCT,
];

/** The products named, in the order named; throws naming the unknown ones and what is known. */
export function productsNamed(names: readonly string[], products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS): ProductDefinition[] {
  const unknown = names.filter((n) => !products.some((p) => p.name === n));
  if (unknown.length > 0) {
    const named = unknown.map((n) => JSON.stringify(n)).join(', ');
    throw new Error(`unknown product(s) ${named}: expected any of ${products.map((p) => p.name).join(', ')}`);
  }
  return names.map((n) => products.find((p) => p.name === n)!);
}
