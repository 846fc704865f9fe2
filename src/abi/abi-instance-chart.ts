import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AbiInstance, AbiInstanceSpec } from '../../imports/abi.io';
import { ChartSchemaCheck } from '../pipeline/chart-schema-check';
import { WorkloadAutoscaler } from '../shared/autoscaler';
import { resolveClusterProfile } from '../shared/cluster-profile';
import { WorkloadDisruptionBudget } from '../shared/disruption-budget';
import { imageVersionLabel, pinnedImageRules } from '../shared/image-policy';
import { InstanceChartProps } from '../shared/instance-chart-props';
import { checkInstanceMetadata } from '../shared/kube-validation';
import { instanceSelectorLabels, recommendedLabels, selectorLabels } from '../shared/labels';
import { MetricsServiceMonitor } from '../shared/service-monitor';
import { throwOnIssues } from '../shared/validation-issue';
import { abiEphemeralStorageRules } from './abi-ephemeral-storage-rules';
import { abiSpecImages } from './abi-images';
import { ABI_PRODUCT_NAME } from './abi-instance-crd';
import { abiInstanceRules } from './abi-instance-rules';
import { abiInstanceSpecSchema } from './abi-instance-schema';
import { abiObjectNames } from './abi-names';
import { AbiNetworkPolicy } from './abi-network-policy';
import { AbiServerConfig } from './abi-server-config';
import { AbiServerService } from './abi-server-service';
import { AbiServerWorkload } from './abi-server-workload';
import { resolveAbiSpec, usesPerReplicaVolumes } from './resolve-abi-spec';

/** An AbiInstance's metadata and spec, and the cluster it renders for. */
export type AbiInstanceChartProps = InstanceChartProps<AbiInstanceSpec>;

const SCHEMA = new ChartSchemaCheck('AbiInstance', abiInstanceSpecSchema);

/**
 * Everything one AbiInstance implies: the custom resource, a ServiceAccount,
 * the server's ConfigMap, its workload (StatefulSet or Deployment), Services,
 * a NetworkPolicy (unless switched off), and, as the spec asks, an HPA, a
 * PDB and a ServiceMonitor.
 *
 * The spec is checked first against the CRD schema, then against the rules
 * the schema cannot express, as `npx cdk8s synth` checks a spec file; every
 * problem is thrown together as an InvalidSpecError. The chart's default
 * child is the workload, so `ApiObject.of(chart)` is it too.
 */
export class AbiInstanceChart extends Chart {
  /** The AbiInstance itself; absent with `includeCustomResource: false`. */
  public readonly customResource?: AbiInstance;
  /** The server's ServiceAccount (no API token mounted). */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ConfigMap the server reads its environment from. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The server pods: a StatefulSet when storage is ReadWriteOnce (a claim per replica), otherwise a Deployment. */
  public readonly workload: k8s.KubeStatefulSet | k8s.KubeDeployment;
  /** The Service clients use (ports http, grpc and metrics). */
  public readonly service: k8s.KubeService;
  /** The headless Service a StatefulSet needs for its pods' DNS names; absent with a Deployment. */
  public readonly headlessService?: k8s.KubeService;
  /** The HorizontalPodAutoscaler, when the spec autoscales. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when the spec sets one. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The ServiceMonitor, when the cluster runs the Prometheus Operator. */
  public readonly serviceMonitor?: ApiObject;

  constructor(scope: Construct, id: string, props: AbiInstanceChartProps) {
    super(scope, id, { namespace: props.metadata.namespace ?? 'default', disableResourceNameHashes: true });
    const name = props.metadata.name;
    const cluster = resolveClusterProfile(props.cluster);
    // As in a spec file: the rules run only on a spec that passed its schema.
    const schemaIssues = SCHEMA.issues(props.spec);
    throwOnIssues(`AbiInstanceChart ${this.node.path}`, [
      ...checkInstanceMetadata(props.metadata),
      ...(schemaIssues.length > 0 ? schemaIssues : [
        ...abiInstanceRules(props.spec), ...abiEphemeralStorageRules(props.spec), ...pinnedImageRules(abiSpecImages(props.spec), cluster.imagePolicy),
      ]),
    ], schemaIssues.length > 0 ? SCHEMA.hint : undefined);
    const spec = resolveAbiSpec(props.spec);
    const names = abiObjectNames(name);
    const selector = selectorLabels({ name: 'abi', instance: name });
    const labels = recommendedLabels({ product: ABI_PRODUCT_NAME, name: 'abi', instance: name, component: 'server', version: imageVersionLabel(spec.image.reference) });

    if (props.includeCustomResource ?? true) {
      this.customResource = new AbiInstance(this, 'AbiInstance', {
        metadata: {
          ...props.metadata, namespace: undefined, labels: { ...props.metadata.labels, ...instanceSelectorLabels(ABI_PRODUCT_NAME, name) },
        },
        spec: props.spec,
      });
    }

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: names.serviceAccount, labels },
      // The server never talks to the Kubernetes API.
      automountServiceAccountToken: false,
    });

    const config = new AbiServerConfig(this, 'Config', { name: names.configMap, labels, spec });
    this.configMap = config.apiObject;

    const workload = new AbiServerWorkload(this, 'Server', {
      names, spec, labels, selector,
      configMapName: config.name,
      configHash: config.hash,
      gpu: cluster.gpu,
      defaultStorageClassName: cluster.storageClassName,
      imageRegistry: cluster.imageRegistry,
      imagePullSecrets: cluster.imagePullSecrets,
    });
    this.workload = workload.apiObject;
    this.node.defaultChild = this.workload;

    const service = new AbiServerService(this, 'Service', { names, spec, labels, selector, headless: usesPerReplicaVolumes(spec) });
    this.service = service.apiObject;
    this.headlessService = service.headless;

    if (spec.autoscaling) {
      this.autoscaler = new WorkloadAutoscaler(this, 'Autoscaler', {
        name: names.autoscaler, labels, target: { kind: workload.kind, name: names.workload }, ...spec.autoscaling,
      }).apiObject;
    }

    const pdb = spec.highAvailability.podDisruptionBudget;
    if (pdb && (pdb.minAvailable !== undefined || pdb.maxUnavailable !== undefined)) {
      this.disruptionBudget = new WorkloadDisruptionBudget(this, 'DisruptionBudget', { name: names.disruptionBudget, labels, selector, ...pdb }).apiObject;
    }

    if (props.spec.networkPolicy?.enabled ?? cluster.networkPolicy.enabled) {
      new AbiNetworkPolicy(this, 'NetworkPolicy', { name: names.networkPolicy, labels, selector, spec, profile: cluster.networkPolicy });
    }

    if (cluster.prometheusOperator) {
      this.serviceMonitor = new MetricsServiceMonitor(this, 'ServiceMonitor', {
        name: names.serviceMonitor, labels, serviceSelector: selector, portName: 'metrics',
      }).apiObject;
    }
  }
}
