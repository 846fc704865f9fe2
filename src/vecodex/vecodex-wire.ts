import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { wireToProps } from '../shared/wire-to-props';
import { vecodexSetSpecSchema } from './vecodex-set-schema';

/** A VecodexSet spec as written in YAML → the props of the class `cdk8s import` generated. */
export function vecodexSpecFromWire(wire: unknown): VecodexSetSpec {
  return wireToProps(wire, vecodexSetSpecSchema()) as VecodexSetSpec;
}
