import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AbiInstance, AbiInstanceSpec } from '../../imports/abi.io';
import { WorkloadAutoscaler } from '../shared/autoscaler';
import { resolveClusterProfile } from '../shared/cluster-profile';
import { InstanceChartProps } from '../shared/instance-chart-props';
import { WorkloadDisruptionBudget } from '../shared/disruption-budget';
import { imageVersionLabel, pinnedImageRules } from '../shared/image-policy';
import { abiSpecImages } from './abi-images';
import { abiEphemeralStorageRules } from './abi-ephemeral-storage-rules';
import { instanceSelectorLabels, recommendedLabels, selectorLabels } from '../shared/labels';
import { MetricsServiceMonitor } from '../shared/service-monitor';
import { checkInstanceMetadata } from '../shared/kube-validation';
import { throwOnIssues } from '../shared/validation-issue';
import { abiObjectNames } from './abi-names';
import { AbiNetworkPolicy } from './abi-network-policy';
import { AbiServerConfig } from './abi-server-config';
import { AbiServerService } from './abi-server-service';
import { AbiServerWorkload } from './abi-server-workload';
import { abiInstanceRules } from './abi-instance-rules';
import { resolveAbiSpec, usesPerReplicaVolumes } from './resolve-abi-spec';

export type AbiInstanceChartProps = InstanceChartProps<AbiInstanceSpec>;

/**
 * Everything one AbiInstance implies: the custom resource, a ServiceAccount,
 * the server's ConfigMap, its workload (StatefulSet or Deployment), Services,
 * a NetworkPolicy (unless switched off), and, as the spec asks, an HPA, a
 * PDB and a ServiceMonitor.
 */
export class AbiInstanceChart extends Chart {
  constructor(scope: Construct, id: string, props: AbiInstanceChartProps) {
    super(scope, id, { namespace: props.metadata.namespace ?? 'default', disableResourceNameHashes: true });
    const name = props.metadata.name;
    const cluster = resolveClusterProfile(props.cluster);
    throwOnIssues(`AbiInstanceChart ${this.node.path}`, [...checkInstanceMetadata(props.metadata), ...abiInstanceRules(props.spec), ...abiEphemeralStorageRules(props.spec), ...pinnedImageRules(abiSpecImages(props.spec), cluster.imagePolicy)]);
    const spec = resolveAbiSpec(props.spec);
    const names = abiObjectNames(name);
    const selector = selectorLabels({ name: 'abi', instance: name });
    const labels = recommendedLabels({ product: 'abi', name: 'abi', instance: name, component: 'server', version: imageVersionLabel(spec.image.reference) });

    if (props.includeCustomResource ?? true) {
      new AbiInstance(this, 'AbiInstance', {
        metadata: { ...props.metadata, namespace: undefined, labels: { ...props.metadata.labels, ...instanceSelectorLabels('abi', name) } },
        spec: props.spec,
      });
    }

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: names.serviceAccount, labels },
      // The server never talks to the Kubernetes API.
      automountServiceAccountToken: false,
    });

    const config = new AbiServerConfig(this, 'Config', { name: names.configMap, labels, spec });

    const workload = new AbiServerWorkload(this, 'Server', {
      names, spec, labels, selector,
      configMapName: config.name,
      configHash: config.hash,
      gpu: cluster.gpu,
      defaultStorageClassName: cluster.storageClassName,
      imageRegistry: cluster.imageRegistry,
      imagePullSecrets: cluster.imagePullSecrets,
    });

    new AbiServerService(this, 'Service', { names, spec, labels, selector, headless: usesPerReplicaVolumes(spec) });

    if (spec.autoscaling) {
      new WorkloadAutoscaler(this, 'Autoscaler', {
        name: names.autoscaler, labels, target: { kind: workload.kind, name: names.workload }, ...spec.autoscaling,
      });
    }

    const pdb = spec.highAvailability.podDisruptionBudget;
    if (pdb && (pdb.minAvailable !== undefined || pdb.maxUnavailable !== undefined)) {
      new WorkloadDisruptionBudget(this, 'DisruptionBudget', { name: names.disruptionBudget, labels, selector, ...pdb });
    }

    if (props.spec.networkPolicy?.enabled ?? cluster.networkPolicy.enabled) {
      new AbiNetworkPolicy(this, 'NetworkPolicy', { name: names.networkPolicy, labels, selector, spec, profile: cluster.networkPolicy });
    }

    if (cluster.prometheusOperator) {
      new MetricsServiceMonitor(this, 'ServiceMonitor', {
        name: names.serviceMonitor, labels, serviceSelector: selector, portName: 'metrics',
      });
    }
  }
}
