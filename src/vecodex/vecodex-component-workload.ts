import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ephemeralLimit, tmpSizeLimit } from '../shared/ephemeral-storage';
import { gpuPodScheduling, ResolvedGpuSchedulingProfile } from '../shared/gpu-scheduling';
import { imagePullSecrets } from '../shared/image-reference';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../shared/pod-security';
import { podAffinity, podSpread } from '../shared/pod-spread';
import { tcpProbes } from '../shared/probes';
import { toK8sQuantity } from '../shared/quantity';
import { replaceInPlaceStrategy } from '../shared/rollout-strategy';
import { ResolvedComponent, ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { generatedArgs } from './vecodex-command';
import { CONFIG_DIR, CONFIG_PATH } from './vecodex-config';
import { requestsGpu, resourceRequirements } from './vecodex-resources';
import { VECODEX_CONFIG_HASH_ANNOTATION } from './vecodex-set-crd';
import { VECODEX_GRPC_PORT, VECODEX_METRICS_PORT } from './vecodex-set-defaults';
import { waitForContainer, WaitTarget } from './vecodex-wait-for';

/** The writable working directory: the binary writes segment files to its CWD. */
const WORK_DIR = '/var/lib/vecodex';

export interface VecodexComponentWorkloadProps {
  /** Deployment name, e.g. `<name>-searcher-1`. */
  readonly name: string;
  readonly component: ResolvedComponent;
  /** Labels on the Deployment and its pods; must include the selector. */
  readonly labels: Record<string, string>;
  /** Upstream's selector `{app: <name>-<component>}`; immutable, so never changed. */
  readonly selector: Record<string, string>;
  readonly configMapName: string;
  readonly configHash: string;
  /** What must accept connections before the component starts. @default none */
  readonly waitFor?: readonly WaitTarget[];
  /** S3 credentials Secret, passed as AWS_* env for clients that read the standard chain. @default none */
  readonly s3Credentials?: ResolvedVecodexSpec['s3']['credentials'];
  readonly gpu: ResolvedGpuSchedulingProfile;
  /** Pull Secrets for the pods (the cluster profile's). @default none */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * One Vecodex component as a Deployment whose pods really start: the spec's
 * command (or the binary) with `--config-path` to the mounted config, the
 * searcher's pod IP as the address it registers in etcd, named ports,
 * TCP probes (no health RPC exists), a writable working directory under a
 * read-only root filesystem, and GPU scheduling when a GPU is requested.
 */
export class VecodexComponentWorkload extends Construct {
  /** The Deployment. */
  public readonly apiObject: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: VecodexComponentWorkloadProps) {
    super(scope, id);
    const { component } = props;
    const searcher = component.mode === 'searcher';
    const scheduling = requestsGpu(component.resources, props.gpu) ? gpuPodScheduling(props.gpu) : undefined;
    const spread = component.spread ? podSpread(props.selector, component.spread) : undefined;

    const env: k8s.EnvVar[] = [
      // aws-sdk-cpp and other libraries write caches under $HOME; the root filesystem is read-only.
      { name: 'HOME', value: '/tmp' },
    ];
    if (searcher) env.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    if (props.s3Credentials) {
      const c = props.s3Credentials;
      // Optional: the current binary hard-codes its credentials and ignores
      // these, so a missing Secret must not stop the pods (docs/vecodex.md).
      env.push(
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: c.name, key: c.accessKeyKey, optional: true } } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: c.name, key: c.secretKeyKey, optional: true } } },
      );
    }

    const args = generatedArgs(component.mode, CONFIG_PATH);

    this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        // The HPA owns the count when autoscaling; a rendered count would be reset by every sync.
        replicas: component.autoscaling ? undefined : component.replicas,
        selector: { matchLabels: props.selector },
        // The writer is one process owning its in-memory indexes: a surge pod
        // would run a second writer beside it (and need a second GPU to start).
        // Under hard anti-affinity a surge pod cannot schedule once every node
        // runs a replica, so those roll in place too (as ABI's do).
        strategy: component.mode === 'writer' || component.spread === 'hard' ? replaceInPlaceStrategy() : undefined,
        template: {
          metadata: { labels: props.labels, annotations: { [VECODEX_CONFIG_HASH_ANNOTATION]: props.configHash } },
          spec: {
            automountServiceAccountToken: false,
            imagePullSecrets: imagePullSecrets(props.imagePullSecrets),
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(),
            initContainers: props.waitFor && props.waitFor.length > 0
              ? [waitForContainer(component.image, component.imagePullPolicy, props.waitFor)]
              : undefined,
            containers: [{
              // Upstream's container name.
              name: component.mode,
              image: component.image,
              imagePullPolicy: component.imagePullPolicy,
              command: component.command,
              args,
              workingDir: WORK_DIR,
              env,
              ports: [
                { name: 'grpc', containerPort: VECODEX_GRPC_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: VECODEX_METRICS_PORT, protocol: 'TCP' },
              ],
              ...tcpProbes('grpc', { startupBudgetSeconds: 120 }),
              resources: resourceRequirements(component.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'work', mountPath: WORK_DIR },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: props.configMapName } },
              // The working directory may take the container's whole ephemeral-storage limit.
              { name: 'work', emptyDir: { sizeLimit: toK8sQuantity(ephemeralLimit(component.resources)) } },
              { name: 'tmp', emptyDir: { sizeLimit: toK8sQuantity(tmpSizeLimit(component.resources)) } },
            ],
            tolerations: scheduling?.tolerations,
            nodeSelector: scheduling?.nodeSelector,
            affinity: podAffinity(spread?.podAntiAffinity, undefined),
            topologySpreadConstraints: spread?.topologySpreadConstraints,
          },
        },
      },
    });
  }
}
