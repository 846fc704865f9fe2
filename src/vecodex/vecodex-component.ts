import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { WorkloadAutoscaler } from '../shared/autoscaler';
import { WorkloadDisruptionBudget } from '../shared/disruption-budget';
import { ResolvedGpuSchedulingProfile, resolveGpuProfile } from '../shared/gpu-scheduling';
import { ResolvedComponent, ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { VecodexComponentConfig } from './vecodex-component-config';
import { VecodexComponentService } from './vecodex-component-service';
import { VecodexComponentWorkload } from './vecodex-component-workload';
import { VecodexConfig } from './vecodex-config';
import { UPSTREAM_SELECTOR_LABEL, vecodexLabels } from './vecodex-labels';
import { vecodexObjectNames } from './vecodex-names';
import { WaitTarget } from './vecodex-wait-for';

export interface VecodexComponentProps {
  /** The VecodexSet's name (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /**
   * Name of the Deployment, and of its HPA, PDB and Service; its ConfigMap is
   * `<name>-config`. Also the value of upstream's `app` selector label, which
   * is immutable on a Deployment: a rename replaces the workload.
   */
  readonly name: string;
  /** The component's settings, as resolveVecodexSpec resolves them. */
  readonly component: ResolvedComponent;
  /** The config JSON the binary reads (coordinatorConfig, writerConfig or searcherConfig). */
  readonly config: VecodexConfig;
  /** What must accept connections before the component starts. @default none */
  readonly waitFor?: readonly WaitTarget[];
  /** S3 credentials Secret, passed to the pods as AWS_* env. @default none */
  readonly s3Credentials?: ResolvedVecodexSpec['s3']['credentials'];
  /** How pods that request a GPU are scheduled. @default the default cluster profile's (resolveGpuProfile()) */
  readonly gpu?: ResolvedGpuSchedulingProfile;
  /** Pull Secrets for the pods (the cluster profile's). @default none */
  readonly imagePullSecrets?: readonly string[];
  /** Labels added to the workload's and its pods' own (a searcher's shard); never to the selector. @default none */
  readonly podLabels?: Record<string, string>;
  /**
   * Render a Service over the pods, named like the workload. Searcher shards
   * have none of their own here: VecodexSearcherShards renders their Services.
   * @default true
   */
  readonly service?: boolean;
}

/**
 * One Vecodex component (the writer, the coordinator, a searcher shard) as
 * VecodexSetChart renders it: its objects, as the cdk8s L1 classes, for
 * reading names and for patches the spec cannot express. The construct's
 * default child is the Deployment, so `ApiObject.of(component)` is it too.
 */
export interface IVecodexComponent extends IConstruct {
  /** The Deployment's name. */
  readonly name: string;
  /** Upstream's pod selector, `{app: <name>}`. */
  readonly selector: Record<string, string>;
  /** Labels on the workload and its pods. */
  readonly labels: Record<string, string>;
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The ConfigMap holding the component's config JSON, `<name>-config`. */
  readonly configMap: k8s.KubeConfigMap;
  /** The Service named like the Deployment; a searcher shard has none (see IVecodexSearcherShards). */
  readonly service?: k8s.KubeService;
  /** The HorizontalPodAutoscaler, when the component autoscales. */
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when the component sets minAvailable or maxUnavailable. */
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
}

/**
 * One Vecodex component, in the order it is applied: its config as a
 * ConfigMap, the Deployment that mounts it, an HPA when the component
 * autoscales, a PDB when it sets a budget, and its Service.
 *
 * `ApiObject.of(component)` is the Deployment (the default child), for
 * patches the props do not cover.
 */
export class VecodexComponent extends Construct implements IVecodexComponent {
  /** The Deployment's name. */
  public readonly name: string;
  /** Upstream's pod selector, `{app: <name>}`. */
  public readonly selector: Record<string, string>;
  /** Labels on the workload and its pods. */
  public readonly labels: Record<string, string>;
  public readonly config: VecodexComponentConfig;
  public readonly workload: VecodexComponentWorkload;
  public readonly deployment: k8s.KubeDeployment;
  public readonly configMap: k8s.KubeConfigMap;
  /** Present when the component autoscales. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** Present when the component sets minAvailable or maxUnavailable. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** Present unless `service: false`. */
  public readonly service?: k8s.KubeService;

  constructor(scope: Construct, id: string, props: VecodexComponentProps) {
    super(scope, id);
    const { component } = props;
    this.name = props.name;
    this.selector = { [UPSTREAM_SELECTOR_LABEL]: props.name };
    this.labels = {
      ...vecodexLabels({ instance: props.instance, component: component.mode, image: component.image, app: props.name }),
      ...props.podLabels,
    };
    const labels = this.labels;

    this.config = new VecodexComponentConfig(this, 'Config', {
      name: vecodexObjectNames(props.instance).configMap(props.name), labels, config: props.config,
    });

    this.workload = new VecodexComponentWorkload(this, 'Workload', {
      name: props.name,
      component,
      labels,
      selector: this.selector,
      configMapName: this.config.name,
      configHash: this.config.hash,
      waitFor: props.waitFor,
      s3Credentials: props.s3Credentials,
      gpu: props.gpu ?? resolveGpuProfile(),
      imagePullSecrets: props.imagePullSecrets,
    });
    this.node.defaultChild = this.workload;
    this.deployment = this.workload.apiObject;
    this.configMap = this.config.apiObject;

    if (component.autoscaling) {
      this.autoscaler = new WorkloadAutoscaler(this, 'Autoscaler', {
        name: props.name, labels, target: { kind: 'Deployment', name: props.name }, ...component.autoscaling,
      }).apiObject;
    }

    const pdb = component.podDisruptionBudget;
    if (pdb && (pdb.minAvailable !== undefined || pdb.maxUnavailable !== undefined)) {
      this.disruptionBudget = new WorkloadDisruptionBudget(this, 'DisruptionBudget', { name: props.name, labels, selector: this.selector, ...pdb }).apiObject;
    }

    if (props.service ?? true) {
      this.service = new VecodexComponentService(this, 'Service', {
        name: props.name,
        labels: vecodexLabels({ instance: props.instance, component: component.mode, image: component.image }),
        selector: this.selector,
      }).apiObject;
    }
  }
}
