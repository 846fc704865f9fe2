import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EPHEMERAL_STORAGE, smallerQuantity, TMP_SIZE_LIMIT } from '../shared/ephemeral-storage';
import { ResolvedGpuSchedulingProfile, gpuPodScheduling } from '../shared/gpu-scheduling';
import { imagePullSecrets, imageWithRegistry } from '../shared/image-reference';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../shared/pod-security';
import { podAffinity, podSpread } from '../shared/pod-spread';
import { httpProbes } from '../shared/probes';
import { PRUNE_PROTECTION_ANNOTATIONS } from '../shared/prune-protection';
import { parseQuantity, toK8sQuantity } from '../shared/quantity';
import { replaceInPlaceStrategy, surgeFirstStrategy } from '../shared/rollout-strategy';
import { ABI_CONFIG_HASH_ANNOTATION } from './abi-instance-crd';
import { modelFetcherContainer } from './abi-model-fetcher';
import { AbiObjectNames } from './abi-names';
import { ABI_DATA_DIR, localModelPath } from './abi-server-config';
import { ResolvedAbiSpec, usesPerReplicaVolumes } from './resolve-abi-spec';

export interface AbiServerWorkloadProps {
  readonly names: AbiObjectNames;
  readonly spec: ResolvedAbiSpec;
  /** Labels on the workload and its pods (must include the selector). */
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly configMapName: string;
  readonly configHash: string;
  readonly gpu: ResolvedGpuSchedulingProfile;
  /** StorageClass when the spec names none. @default the cluster's default StorageClass */
  readonly defaultStorageClassName?: string;
  /** Registry for an image that names none (a cluster's mirror). @default the image as written */
  readonly imageRegistry?: string;
  /** Pull Secrets added to the spec's own. @default none */
  readonly imagePullSecrets?: readonly string[];
}

/** `abi llm serve` (or `abi db serve` when only the database is enabled), bound to all interfaces. */
function abiServerArgs(spec: ResolvedAbiSpec): string[] {
  const listen = `0.0.0.0:${spec.networking.httpPort}`;
  if (!spec.features.ai) {
    return ['db', 'serve', '--addr', listen];
  }
  // The image's CMD is --help, and llm serve binds 127.0.0.1 unless told otherwise.
  const args = ['llm', 'serve', '-a', listen];
  if (spec.llm.provider === 'local') {
    args.push('-m', localModelPath(spec.llm.model), '--preload');
  }
  return args;
}

/** Whether an init container downloads the local model (llm.modelSource, our extension). */
export function fetchesModel(spec: ResolvedAbiSpec): boolean {
  return spec.features.ai && spec.llm.provider === 'local' && spec.llm.modelSource !== undefined;
}

/**
 * The ABI server pods: a StatefulSet with one claim per replica when storage is
 * ReadWriteOnce (one RWO volume cannot follow three replicas onto three nodes),
 * otherwise a Deployment (with one shared claim for ReadWriteMany).
 */
export class AbiServerWorkload extends Construct {
  public readonly kind: 'Deployment' | 'StatefulSet';
  /** The StatefulSet or the Deployment. */
  public readonly apiObject: k8s.KubeStatefulSet | k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: AbiServerWorkloadProps) {
    super(scope, id);
    const { spec, names } = props;
    const perReplicaVolumes = usesPerReplicaVolumes(spec);
    this.kind = perReplicaVolumes ? 'StatefulSet' : 'Deployment';
    const storageClassName = spec.storage.storageClassName ?? props.defaultStorageClassName;
    const claimSpec: k8s.PersistentVolumeClaimSpec = {
      accessModes: spec.storage.accessModes,
      storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(spec.storage.size) } },
    };
    if (spec.storage.enabled && !perReplicaVolumes) {
      new k8s.KubePersistentVolumeClaim(this, 'SharedData', {
        // Switching to ReadWriteOnce or turning storage off drops the claim from
        // the output; GitOps pruning must not delete the data with it.
        metadata: { name: names.dataVolume, labels: props.labels, annotations: { ...PRUNE_PROTECTION_ANNOTATIONS } },
        spec: claimSpec,
      });
    }

    const template = this.podTemplate(props, perReplicaVolumes);
    // An HPA owns the replica count; a rendered value would be reset on every sync.
    const replicas = spec.autoscaling ? undefined : spec.replicas;
    const hardAntiAffinity = spec.highAvailability.enabled && spec.highAvailability.antiAffinity === 'hard';
    if (perReplicaVolumes) {
      this.apiObject = new k8s.KubeStatefulSet(this, 'Resource', {
        metadata: { name: names.workload, labels: props.labels },
        spec: {
          replicas,
          serviceName: names.headlessService,
          selector: { matchLabels: props.selector },
          // Replicas are independent servers; there is no reason to start them one by one.
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          template,
          volumeClaimTemplates: [{ metadata: { name: 'data', labels: props.selector }, spec: claimSpec }],
        },
      });
    } else {
      this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
        metadata: { name: names.workload, labels: props.labels },
        spec: {
          replicas,
          selector: { matchLabels: props.selector },
          // A surge pod cannot schedule when required anti-affinity already puts
          // a replica on every eligible node, so "hard" replaces pods in place.
          strategy: hardAntiAffinity ? replaceInPlaceStrategy() : surgeFirstStrategy(),
          // Model loading is slow; report a stuck rollout only after the startup budget.
          progressDeadlineSeconds: 1200,
          template,
        },
      });
    }
  }

  private podTemplate(props: AbiServerWorkloadProps, perReplicaVolumes: boolean): k8s.PodTemplateSpec {
    const { spec } = props;
    const gpu = spec.gpu && spec.gpu.backend !== 'none' ? spec.gpu : undefined;
    const gpuMemoryMiB = gpu?.memory === undefined ? undefined : Math.round(parseQuantity(gpu.memory)! / 2 ** 20);
    const scheduling = gpu ? gpuPodScheduling(props.gpu, gpuMemoryMiB) : undefined;
    const limits: Record<string, k8s.Quantity> = {
      cpu: toK8sQuantity(spec.resources.limits.cpu),
      memory: toK8sQuantity(spec.resources.limits.memory),
      [EPHEMERAL_STORAGE]: toK8sQuantity(spec.resources.ephemeralStorage.limit),
    };
    if (gpu) limits[props.gpu.resourceName] = k8s.Quantity.fromNumber(gpu.count);

    const secretEnv = ([
      ['ABI_OPENAI_API_KEY', spec.secrets.openai],
      ['ABI_ANTHROPIC_API_KEY', spec.secrets.anthropic],
      ['ABI_HF_API_TOKEN', spec.secrets.huggingface],
    ] as const).flatMap(([name, ref]) => (ref ? [{ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } }] : []));

    const dataVolume: k8s.Volume | undefined = !spec.storage.enabled
      ? { name: 'data', emptyDir: { sizeLimit: toK8sQuantity(spec.resources.ephemeralStorage.limit) } }
      : perReplicaVolumes ? undefined : { name: 'data', persistentVolumeClaim: { claimName: props.names.dataVolume } };

    const spread = spec.highAvailability.enabled ? podSpread(props.selector, spec.highAvailability.antiAffinity) : undefined;
    return {
      metadata: {
        labels: props.labels,
        annotations: { [ABI_CONFIG_HASH_ANNOTATION]: props.configHash },
      },
      spec: {
        serviceAccountName: props.names.serviceAccount,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext(),
        terminationGracePeriodSeconds: 30,
        imagePullSecrets: imagePullSecrets(spec.image.pullSecrets, props.imagePullSecrets),
        initContainers: fetchesModel(spec) ? [modelFetcherContainer({
          image: imageWithRegistry(spec.llm.modelSource!.image, props.imageRegistry),
          url: spec.llm.modelSource!.url,
          sha256: spec.llm.modelSource!.sha256,
          modelPath: localModelPath(spec.llm.model),
        })] : undefined,
        containers: [{
          name: 'abi',
          image: imageWithRegistry(spec.image.reference, props.imageRegistry),
          imagePullPolicy: spec.image.pullPolicy,
          args: abiServerArgs(spec),
          ports: [
            { name: 'http', containerPort: spec.networking.httpPort, protocol: 'TCP' },
            { name: 'grpc', containerPort: spec.networking.grpcPort, protocol: 'TCP' },
            { name: 'metrics', containerPort: spec.networking.metricsPort, protocol: 'TCP' },
          ],
          envFrom: [{ configMapRef: { name: props.configMapName } }],
          env: secretEnv.length > 0 ? secretEnv : undefined,
          resources: {
            requests: {
              cpu: toK8sQuantity(spec.resources.requests.cpu),
              memory: toK8sQuantity(spec.resources.requests.memory),
              [EPHEMERAL_STORAGE]: toK8sQuantity(spec.resources.ephemeralStorage.request),
            },
            limits,
          },
          // ABI serves GET /health and no /ready; loading a local model takes minutes.
          ...httpProbes('/health', 'http', { startupBudgetSeconds: spec.llm.provider === 'local' ? 900 : 300 }),
          securityContext: restrictedContainerSecurityContext(),
          volumeMounts: [
            { name: 'data', mountPath: ABI_DATA_DIR },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        }],
        volumes: [
          ...(dataVolume ? [dataVolume] : []),
          { name: 'tmp', emptyDir: { sizeLimit: toK8sQuantity(smallerQuantity(TMP_SIZE_LIMIT, spec.resources.ephemeralStorage.limit)) } },
        ],
        tolerations: scheduling?.tolerations,
        nodeSelector: scheduling?.nodeSelector,
        affinity: podAffinity(spread?.podAntiAffinity, scheduling?.nodeAffinity),
        topologySpreadConstraints: spread?.topologySpreadConstraints,
      },
    };
  }
}
