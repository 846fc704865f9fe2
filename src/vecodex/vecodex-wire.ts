import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { wireToProps } from '../shared/wire-to-props';
import { vecodexSetSpecSchema } from './vecodex-set-schema';

/**
 * A VecodexSet spec as written in YAML → the props of the class `cdk8s import`
 * generated. json2jsii names the index field `M` as `m` (camelcase), which the
 * shared propName does not reproduce yet, so that one key is mapped here.
 */
export function vecodexSpecFromWire(wire: unknown): VecodexSetSpec {
  const props = wireToProps(wire, vecodexSetSpecSchema());
  if (Array.isArray(props?.indexes)) {
    props.indexes = props.indexes.map((index: Record<string, unknown>) => {
      if (!index || typeof index !== 'object' || !('M' in index)) return index;
      const { M, ...rest } = index;
      return { ...rest, m: M };
    });
  }
  return props as VecodexSetSpec;
}

/**
 * The same mapping for a spec already in props form (the pipeline converts
 * with the shared wireToProps), so the rendered VecodexSet keeps its M.
 */
export function normalizeVecodexSpec(spec: VecodexSetSpec): VecodexSetSpec {
  if (!spec.indexes?.some((i) => 'M' in (i as object))) return spec;
  return {
    ...spec,
    indexes: spec.indexes.map((index) => {
      const { M, ...rest } = index as typeof index & { M?: number };
      return M === undefined ? index : { ...rest, m: M };
    }),
  };
}
