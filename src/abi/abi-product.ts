import { AbiInstanceSpec } from '../../imports/abi.io';
import { defineProduct } from '../products/product-definition';
import { pick } from '../products/wire-status';
import { floatingImageWarnings, pinnedImageRules } from '../shared/image-policy';
import { NAME_LIMITS } from '../shared/naming';
import { abiExpectedChildren } from './abi-children';
import { abiEphemeralStorageRules } from './abi-ephemeral-storage-rules';
import { abiSpecImages } from './abi-images';
import { AbiInstanceChart } from './abi-instance-chart';
import { ABI_CONFIG_HASH_ANNOTATION, ABI_GROUP, ABI_KIND, ABI_PLURAL, ABI_PRODUCT_NAME, ABI_VERSION, AbiInstanceCrd } from './abi-instance-crd';
import { abiInstanceRules, abiInstanceWarnings } from './abi-instance-rules';
import { abiInstanceSpecSchema, abiInstanceStatusSchema } from './abi-instance-schema';
import { abiObjectNames } from './abi-names';
import { resolveAbiSpec } from './resolve-abi-spec';

const ABI_FEATURES = ['ai', 'gpu', 'database', 'network', 'web', 'profiling'] as const;

/** AbiInstance (abi.io/v1): one ABI server, its storage, Services and policies. */
export const ABI_PRODUCT = defineProduct<AbiInstanceSpec>({
  name: ABI_PRODUCT_NAME,
  group: ABI_GROUP,
  version: ABI_VERSION,
  kind: ABI_KIND,
  plural: ABI_PLURAL,
  configHashAnnotation: ABI_CONFIG_HASH_ANNOTATION,
  specSchema: abiInstanceSpecSchema(),
  statusSchema: abiInstanceStatusSchema(),
  crd: (scope, id) => new AbiInstanceCrd(scope, id),
  renderableKinds: [
    { group: '', kind: 'ConfigMap' }, { group: '', kind: 'PersistentVolumeClaim' }, { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' },
    { group: 'apps', kind: 'Deployment' }, { group: 'apps', kind: 'StatefulSet' },
    { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'policy', kind: 'PodDisruptionBudget' },
    { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  ],

  derivedNames(name) {
    const n = abiObjectNames(name);
    return [
      { name: n.workload, limit: NAME_LIMITS.statefulSet, what: 'StatefulSet' },
      { name: n.headlessService, limit: NAME_LIMITS.label, what: 'headless Service' },
      { name: n.configMap, limit: NAME_LIMITS.label, what: 'ConfigMap' },
      { name: n.dataVolume, limit: NAME_LIMITS.label, what: 'PersistentVolumeClaim' },
    ];
  },
  rules: (spec, cluster) => [
    ...abiInstanceRules(spec), ...abiEphemeralStorageRules(spec), ...pinnedImageRules(abiSpecImages(spec), cluster.imagePolicy),
  ],
  warnings: (spec, cluster) => [...abiInstanceWarnings(spec), ...floatingImageWarnings(abiSpecImages(spec), cluster.imagePolicy)],
  render: (scope, id, props) => new AbiInstanceChart(scope, id, props),

  expectedChildren: abiExpectedChildren,
  enabledFeatures(spec) {
    const resolved = resolveAbiSpec(spec);
    return ABI_FEATURES.filter((f) => resolved.features[f]);
  },
  toWireStatus(status) {
    const { components: _components, endpoints, ...rest } = status;
    // The AbiInstance CRD's endpoints know http, grpc, metrics and ingress only.
    const wireEndpoints = endpoints ? pick(endpoints, ['http', 'grpc', 'metrics', 'ingress']) : undefined;
    return { ...rest, ...(wireEndpoints ? { endpoints: wireEndpoints } : {}) };
  },
});
