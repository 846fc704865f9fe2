import { InstanceKind } from '../pipeline/instance-kind';
import { floatingImageWarnings, pinnedImageRules } from '../shared/image-policy';
import { NAME_LIMITS } from '../shared/naming';
import { abiExpectedChildren } from './abi-children';
import { abiEphemeralStorageRules } from './abi-ephemeral-storage-rules';
import { abiSpecImages } from './abi-images';
import { AbiInstanceChart } from './abi-instance-chart';
import { ABI_API_VERSION, ABI_KIND } from './abi-instance-crd';
import { abiInstanceRules, abiInstanceWarnings } from './abi-instance-rules';
import { abiInstanceSpecSchema, abiInstanceStatusSchema } from './abi-instance-schema';
import { abiObjectNames } from './abi-names';

/** AbiInstance, as the synthesis pipeline loads, validates and renders it. */
export const abiInstanceKind: InstanceKind = {
  apiVersion: ABI_API_VERSION,
  kind: ABI_KIND,
  schema: {
    type: 'object',
    required: ['spec'],
    properties: { spec: abiInstanceSpecSchema(), status: abiInstanceStatusSchema() },
  },
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
};
