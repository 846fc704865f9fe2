/**
 * Renders every loaded cluster into the GitOps layout, in memory:
 *
 *   <cluster>/kustomization.yaml
 *   <cluster>/platform/            CRDs (and the status reconciler)
 *   <cluster>/<namespace>/         the Namespace, one folder per instance
 *   <cluster>/<namespace>/<name>/  manifests.yaml
 *
 * Every folder has a kustomization.yaml, so `kubectl kustomize` builds any of
 * them on its own. Nothing is written here: the caller swaps the whole tree
 * into place, so a failure never leaves partial output.
 */
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../shared/labels';
import { renderCrdObjects } from './crd-files';
import { LoadedCluster, loadInstances } from './load-instances';
import { toYaml, toYamlDocuments } from './yaml';

/** Output files by path relative to the output directory. */
export type OutputTree = Map<string, string>;

export function synthesizeRepository(instancesDir: string): OutputTree {
  return renderClusters(loadInstances(instancesDir));
}

export function renderClusters(clusters: readonly LoadedCluster[]): OutputTree {
  const files: OutputTree = new Map();
  const crds = toYamlDocuments(renderCrdObjects());
  // One App; one small chart per instance, resolved on its own: cdk8s's
  // per-chart work grows faster than linearly with the objects in one chart.
  const app = new App({ outdir: '/dev/null' });
  for (const cluster of clusters) {
    const root = cluster.name;
    files.set(`${root}/platform/crds.yaml`, crds);
    files.set(`${root}/platform/kustomization.yaml`, kustomization(['crds.yaml']));

    const namespaces = [...new Set(cluster.instances.map((i) => i.metadata.namespace))].sort();
    files.set(`${root}/kustomization.yaml`, kustomization(['platform', ...namespaces]));
    for (const namespace of namespaces) {
      const instances = cluster.instances.filter((i) => i.metadata.namespace === namespace);
      const resources = instances.map((i) => i.metadata.name);
      if (namespace !== 'default') {
        files.set(`${root}/${namespace}/namespace.yaml`, toYaml(namespaceObject(app, root, namespace, cluster.profile.podSecurityLevel)));
        resources.unshift('namespace.yaml');
      }
      files.set(`${root}/${namespace}/kustomization.yaml`, kustomization(resources));
      for (const instance of instances) {
        const chart = instance.kind.render(app, `${root}.${namespace}.${instance.metadata.name}`, {
          metadata: { ...instance.metadata },
          spec: instance.spec,
          cluster: cluster.profile,
        });
        const dir = `${root}/${namespace}/${instance.metadata.name}`;
        files.set(`${dir}/manifests.yaml`, toYamlDocuments(chart.toJson()));
        files.set(`${dir}/kustomization.yaml`, kustomization(['manifests.yaml']));
      }
    }
  }
  return files;
}

function namespaceObject(app: App, cluster: string, name: string, level: string): unknown {
  const chart = new Chart(app, `${cluster}.namespace.${name}`, { disableResourceNameHashes: true });
  const ns = new k8s.KubeNamespace(chart, 'Namespace', {
    metadata: {
      name,
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
      annotations: {
        // Removing the last instance of a namespace must not delete the
        // namespace (and whatever else lives in it) through GitOps pruning.
        'argocd.argoproj.io/sync-options': 'Prune=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      },
    },
  });
  return ns.toJson();
}

function kustomization(resources: string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}
