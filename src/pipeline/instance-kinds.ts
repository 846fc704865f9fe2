import { abiInstanceKind } from '../abi/abi-instance-kind';
import { vecodexSetKind } from '../vecodex/vecodex-set-kind';
import { InstanceKind } from './instance-kind';

/** Every custom resource kind the pipeline renders. */
export const INSTANCE_KINDS: readonly InstanceKind[] = [
  abiInstanceKind,
  vecodexSetKind,
];
