import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { defineProduct } from '../products/product-definition';
import { pick } from '../products/wire-status';
import { floatingImageWarnings, pinnedImageRules } from '../shared/image-policy';
import { NAME_LIMITS } from '../shared/naming';
import { vecodexExpectedChildren } from './vecodex-children';
import { vecodexSpecImages } from './vecodex-images';
import { vecodexObjectNames } from './vecodex-names';
import { vecodexSetRules, vecodexSetWarnings } from './vecodex-rules';
import { VecodexSetChart } from './vecodex-set-chart';
import {
  VECODEX_CONFIG_HASH_ANNOTATION, VECODEX_GROUP, VECODEX_KIND, VECODEX_PLURAL, VECODEX_PRODUCT_NAME, VECODEX_VERSION, VecodexSetCrd,
} from './vecodex-set-crd';
import { vecodexSetSpecSchema, vecodexSetStatusSchema } from './vecodex-set-schema';

/** VecodexSet (apps.vecodex.link/v1alpha1): coordinator, writer, searcher shards and their managed etcd and MinIO. */
export const VECODEX_PRODUCT = defineProduct<VecodexSetSpec>({
  name: VECODEX_PRODUCT_NAME,
  group: VECODEX_GROUP,
  version: VECODEX_VERSION,
  kind: VECODEX_KIND,
  plural: VECODEX_PLURAL,
  configHashAnnotation: VECODEX_CONFIG_HASH_ANNOTATION,
  specSchema: vecodexSetSpecSchema(),
  statusSchema: vecodexSetStatusSchema(),
  crd: (scope, id) => new VecodexSetCrd(scope, id),
  renderableKinds: [
    { group: '', kind: 'ConfigMap' }, { group: '', kind: 'Service' },
    { group: 'apps', kind: 'Deployment' }, { group: 'apps', kind: 'StatefulSet' },
    { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'policy', kind: 'PodDisruptionBudget' },
    { group: 'networking.k8s.io', kind: 'Ingress' }, { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  ],

  derivedNames(name) {
    const n = vecodexObjectNames(name);
    // Shard workloads depend on shard ids too; vecodexSetRules checks those.
    return [
      { name: n.coordinator, limit: NAME_LIMITS.deployment, what: 'Deployment' },
      { name: n.configMap(n.coordinator), limit: NAME_LIMITS.label, what: 'ConfigMap' },
      { name: n.etcd, limit: NAME_LIMITS.statefulSet, what: 'StatefulSet' },
      { name: n.minio, limit: NAME_LIMITS.statefulSet, what: 'StatefulSet' },
      { name: n.ingress, limit: NAME_LIMITS.label, what: 'Ingress' },
    ];
  },
  rules: (spec, cluster, name) => [...vecodexSetRules(spec, cluster, name), ...pinnedImageRules(vecodexSpecImages(spec), cluster.imagePolicy)],
  warnings: (spec, cluster) => [...vecodexSetWarnings(spec, cluster), ...floatingImageWarnings(vecodexSpecImages(spec), cluster.imagePolicy)],
  render: (scope, id, props) => new VecodexSetChart(scope, id, props),

  expectedChildren: (name, namespace, spec) => vecodexExpectedChildren(name, namespace, spec),
  /**
   * Its CRD's status has the aggregate replica counts and a map of
   * per-component state and counts, but no top-level version, configHash or
   * enabledFeatures (pruned if sent).
   */
  toWireStatus(status) {
    const components: Record<string, unknown> = {};
    for (const c of status.components) {
      components[c.component] = {
        kind: c.kind, name: c.name, state: c.state, message: c.message,
        replicas: c.replicas, desiredReplicas: c.desiredReplicas, readyReplicas: c.readyReplicas,
        availableReplicas: c.availableReplicas, updatedReplicas: c.updatedReplicas,
        ...(c.version !== undefined ? { version: c.version } : {}),
      };
    }
    const endpoints = status.endpoints ? pick(status.endpoints, ['grpc', 'writer', 'metrics', 'ingress', 'http']) : undefined;
    return {
      phase: status.phase,
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      health: status.health,
      conditions: status.conditions,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      availableReplicas: status.availableReplicas,
      updatedReplicas: status.updatedReplicas,
      components,
      ...(endpoints ? { endpoints } : {}),
    };
  },
});
