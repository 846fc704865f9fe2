import { etcdBinary, KUBE_SCORE_VARIABLE, kubeScoreBinary } from './binaries';
import { ASSETS_VARIABLE, assetsDirectory } from './control-plane';
import { gitopsEnginesUnavailable } from './gitops-engines';
import { simulatedClusterUnavailable } from './simulated-cluster-assets';

export default function globalSetup(): void {
  if (!assetsDirectory()) {
    // One line, loud, once per run: these suites prove the manifests against a real API server.
    process.stderr.write(`\n*** ${ASSETS_VARIABLE} is not set: SKIPPING every real-API-server test (run .ci/run, or export ${ASSETS_VARIABLE}=$(npm run -s testenv:build)) ***\n\n`);
    return;
  }
  const unavailable = simulatedClusterUnavailable();
  if (unavailable) {
    // The same for the simulated-cluster tier (test/cluster/), which needs the controllers and KWOK too.
    process.stderr.write(`\n*** ${unavailable}: SKIPPING the simulated-cluster tier (test/cluster/) ***\n\n`);
  }
  if (!etcdBinary()) {
    process.stderr.write('\n*** etcd not found (apt-get install etcd-server): SKIPPING the managed-etcd NOSPACE test ***\n\n');
  }
  if (!kubeScoreBinary()) {
    process.stderr.write(`\n*** ${KUBE_SCORE_VARIABLE} is not set: SKIPPING the kube-score test (run .ci/run, or export ${KUBE_SCORE_VARIABLE}=$(bash tools/kube-score/build.sh)) ***\n\n`);
  }
  const flux = gitopsEnginesUnavailable('flux');
  const argo = gitopsEnginesUnavailable('argocd');
  if (!unavailable && (flux || argo)) {
    // And for the GitOps engine tier (test/gitops-engines/), which runs real Flux and Argo CD on the simulated cluster.
    const skipped = flux && argo ? 'the GitOps engine tier (test/gitops-engines/)' : flux ? 'the Flux suites of test/gitops-engines/' : 'the Argo CD suites of test/gitops-engines/';
    process.stderr.write(`\n*** ${flux ?? argo}: SKIPPING ${skipped} ***\n\n`);
  }
}
