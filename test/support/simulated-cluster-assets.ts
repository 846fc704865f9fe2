/**
 * Whether the simulated-cluster tier can run: free of jest globals, so the
 * global setup can ask too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ASSETS_VARIABLE, assetsDirectory } from './control-plane';

/** What the tier needs in KUBEBUILDER_ASSETS, besides etcd (which may be on PATH). */
export const SIMULATED_CLUSTER_ASSETS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kwok-stages.yaml'] as const;

/** Why the tier cannot run here, or undefined when it can. */
export function simulatedClusterUnavailable(): string | undefined {
  const assets = assetsDirectory();
  if (!assets) return `${ASSETS_VARIABLE} is not set`;
  const missing = SIMULATED_CLUSTER_ASSETS.filter((f) => !fs.existsSync(path.join(assets, f)));
  if (missing.length > 0) return `${ASSETS_VARIABLE}=${assets} lacks ${missing.join(', ')} (run: bash tools/kube-apiserver/build.sh all && bash tools/kwok/build.sh "$${ASSETS_VARIABLE}")`;
  return undefined;
}

