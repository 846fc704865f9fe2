import { InstanceKind } from '../pipeline/instance-kind';
import { floatingImageWarnings, pinnedImageRules } from '../shared/image-policy';
import { NAME_LIMITS } from '../shared/naming';
import { vecodexExpectedChildren } from './vecodex-children';
import { vecodexSpecImages } from './vecodex-images';
import { vecodexObjectNames } from './vecodex-names';
import { vecodexSetRules, vecodexSetWarnings } from './vecodex-rules';
import { VecodexSetChart } from './vecodex-set-chart';
import { VECODEX_API_VERSION, VECODEX_KIND } from './vecodex-set-crd';
import { vecodexSetSpecSchema, vecodexSetStatusSchema } from './vecodex-set-schema';

/** VecodexSet, as the synthesis pipeline loads, validates and renders it. */
export const vecodexSetKind: InstanceKind = {
  apiVersion: VECODEX_API_VERSION,
  kind: VECODEX_KIND,
  schema: {
    type: 'object',
    required: ['spec'],
    properties: { spec: vecodexSetSpecSchema(), status: vecodexSetStatusSchema() },
  },
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
};
