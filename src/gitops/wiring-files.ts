/**
 * The files the Argo CD and Flux wiring renders, each a list of objects: the
 * wiring decides which object goes into which folder (root list, shards), the
 * pipeline writes them and a kustomization.yaml per folder.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface WiringFile {
  /** Path relative to dist/<cluster>/, e.g. `flux/apps/shard-a/kustomizations.yaml`. */
  readonly path: string;
  /** The objects of the file, in order. */
  readonly objects: readonly ApiObject[];
}

/** The ApiObjects under `scope`, in construction order. */
export function apiObjectsOf(scope: Construct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}
