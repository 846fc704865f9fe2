/**
 * Per-cluster settings: what differs between the clusters a GitOps repository
 * targets. instances/<cluster>/cluster.yaml sets them; charts take them as props.
 *
 * A resolved profile is also a valid ClusterProfile (same field names, every
 * field set), so resolving twice is harmless: charts resolve what the pipeline
 * already resolved.
 */
import { GpuSchedulingProfile, ResolvedGpuSchedulingProfile, resolveGpuProfile } from './gpu-scheduling';
import { ImagePolicy } from './image-policy';
import { NetworkPolicyProfile, ResolvedNetworkPolicyProfile, resolveNetworkPolicyProfile } from './network-policy-profile';

/** A Pod Security Standards level (the `pod-security.kubernetes.io/enforce` label's values). */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Where Argo CD and Flux find the rendered manifests, and where they apply them. */
export interface GitOpsProfile {
  /**
   * URL of the Git repository that holds dist/. Argo CD and Flux objects are
   * rendered only when it is set: a guessed URL would sync nothing, silently.
   * @default no Argo CD or Flux objects are rendered
   */
  readonly repoURL?: string;
  /** Branch Argo CD and Flux follow. @default 'main' */
  readonly revision?: string;
  /** Path of the rendered output inside the repository (`.` for its root). @default 'dist' */
  readonly path?: string;
  /** Argo CD settings. @default see ArgoCdProfile */
  readonly argocd?: ArgoCdProfile;
  /** Flux settings. @default see FluxProfile */
  readonly flux?: FluxProfile;
}

/** Where Argo CD runs and the cluster its Applications deploy to. */
export interface ArgoCdProfile {
  /** Namespace Argo CD runs in (Applications and AppProjects live there). @default 'argocd' */
  readonly namespace?: string;
  /** Destination cluster's API server URL. @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in) */
  readonly destinationServer?: string;
  /** Destination cluster by its Argo CD name; replaces destinationServer when set. @default destinationServer is used */
  readonly destinationName?: string;
}

/** Where Flux's objects live and how it reconciles. */
export interface FluxProfile {
  /** Namespace of the GitRepository and Kustomizations. @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux fetches the repository and re-applies. @default '5m' */
  readonly interval?: string;
  /** How long Flux waits for health before marking a reconciliation failed. @default '10m' */
  readonly timeout?: string;
  /**
   * How Flux decides our custom resources are healthy: 'cel'
   * (healthCheckExprs spelling out our status contract; needs Flux 2.5 or
   * later) or 'kstatus' (plain healthChecks). kstatus reads a custom resource
   * with no status yet as Current, so real kustomize-controller passes an
   * instance before the reconciler has looked at it: choose 'kstatus' only for
   * a Flux without healthCheckExprs.
   * @default 'cel'
   */
  readonly healthCheck?: 'kstatus' | 'cel';
  /**
   * Secret in Flux's namespace holding the Git credentials (as
   * `flux create secret git` writes it). Every GitRepository we render — the
   * cluster's and one per shard — references it.
   * @default none: the repository is read without credentials
   */
  readonly secretName?: string;
}

/** The status reconciler rendered into platform/. */
export interface ReconcilerProfile {
  /** Image of the status reconciler. @default `${imageRegistry ?? 'ghcr.io'}/cdk8s-abi-vecodex/status-reconciler:<RECONCILER_VERSION>` */
  readonly image?: string;
  /** Namespace the reconciler runs in. @default 'cdk8s-abi-vecodex-system' */
  readonly namespace?: string;
  /** Render the reconciler into platform/ at all. @default true */
  readonly enabled?: boolean;
}

/**
 * Settings of the cluster a chart renders for: instances/<cluster>/cluster.yaml's
 * spec, or the charts' `cluster` prop. Every field is optional.
 */
export interface ClusterProfile {
  /** GPU resource name, taints and node labels. @default NVIDIA GPU Operator conventions */
  readonly gpu?: GpuSchedulingProfile;
  /** IngressClass for rendered Ingresses. @default 'nginx' */
  readonly ingressClassName?: string;
  /** StorageClass for claims whose spec names none. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Whether the Prometheus Operator's CRDs are installed; ServiceMonitors are rendered only then. @default true */
  readonly prometheusOperator?: boolean;
  /** Pod Security Standards level enforced on the namespaces we render. @default 'restricted' */
  readonly podSecurityLevel?: PodSecurityLevel;
  /**
   * Registry (host and optional path, e.g. 'registry.example.com/mirror')
   * for images whose reference names no registry, so air-gapped clusters pull
   * from a mirror.
   * @default none: images are used as written
   */
  readonly imageRegistry?: string;
  /** Secrets (in each instance's namespace) used to pull images. @default [] */
  readonly imagePullSecrets?: string[];
  /** The status reconciler in platform/. @default see ReconcilerProfile */
  readonly reconciler?: ReconcilerProfile;
  /** Argo CD and Flux wiring. @default no Argo CD or Flux objects */
  readonly gitops?: GitOpsProfile;
  /**
   * Floating images (tag `latest`, or neither tag nor digest): 'warn' renders
   * them with imagePullPolicy Always and synth warns; 'pinned' makes them errors.
   * @default 'warn'
   */
  readonly imagePolicy?: ImagePolicy;
  /** NetworkPolicies of every instance and of the reconciler. @default see NetworkPolicyProfile */
  readonly networkPolicy?: NetworkPolicyProfile;
}

/** A GitOpsProfile with every default applied (see GitOpsProfile for each field). */
export interface ResolvedGitOpsProfile {
  /** URL of the Git repository; Argo CD and Flux objects are rendered only when set. */
  readonly repoURL?: string;
  /** Branch Argo CD and Flux follow. */
  readonly revision: string;
  /** Path of the rendered output inside the repository. */
  readonly path: string;
  /** Argo CD's namespace and destination. */
  readonly argocd: { readonly namespace: string; readonly destinationServer: string; readonly destinationName?: string };
  /** Flux's namespace, interval, timeout, health check and Git credentials. */
  readonly flux: {
    readonly namespace: string; readonly interval: string; readonly timeout: string; readonly healthCheck: 'kstatus' | 'cel'; readonly secretName?: string;
  };
}

/**
 * A ClusterProfile with every default applied (see ClusterProfile for each
 * field); also a valid ClusterProfile, so resolving twice is harmless.
 */
export interface ResolvedClusterProfile {
  /** GPU resource name, taints and node labels. */
  readonly gpu: ResolvedGpuSchedulingProfile;
  /** IngressClass for rendered Ingresses. */
  readonly ingressClassName: string;
  /** StorageClass for claims whose spec names none; unset means the cluster's default. */
  readonly storageClassName?: string;
  /** Whether ServiceMonitors are rendered. */
  readonly prometheusOperator: boolean;
  /** Pod Security Standards level enforced on rendered namespaces. */
  readonly podSecurityLevel: PodSecurityLevel;
  /** Registry for images whose reference names none; unset means images as written. */
  readonly imageRegistry?: string;
  /** Secrets used to pull images. */
  readonly imagePullSecrets: string[];
  /** The status reconciler's image, namespace and whether it is rendered. */
  readonly reconciler: { readonly image: string; readonly namespace: string; readonly enabled: boolean };
  /** Argo CD and Flux wiring. */
  readonly gitops: ResolvedGitOpsProfile;
  /** 'warn' or 'pinned' for floating images. */
  readonly imagePolicy: ImagePolicy;
  /** NetworkPolicy settings. */
  readonly networkPolicy: ResolvedNetworkPolicyProfile;
}

/** The reconciler release the default image points at; bump with each release. */
export const RECONCILER_VERSION = '0.1.0';

/** The status reconciler's published image in `registry` (.github/workflows/reconciler-image.yaml pushes it to ghcr.io). */
export function reconcilerImage(registry: string = 'ghcr.io'): string {
  return `${registry}/cdk8s-abi-vecodex/status-reconciler:${RECONCILER_VERSION}`;
}

/** The profile with every default applied; the charts and synth call it themselves. */
export function resolveClusterProfile(profile: ClusterProfile = {}): ResolvedClusterProfile {
  const gitops = profile.gitops ?? {};
  return {
    gpu: resolveGpuProfile(profile.gpu),
    ingressClassName: profile.ingressClassName ?? 'nginx',
    storageClassName: profile.storageClassName,
    prometheusOperator: profile.prometheusOperator ?? true,
    podSecurityLevel: profile.podSecurityLevel ?? 'restricted',
    imageRegistry: profile.imageRegistry,
    imagePullSecrets: profile.imagePullSecrets ?? [],
    reconciler: {
      image: profile.reconciler?.image ?? reconcilerImage(profile.imageRegistry),
      namespace: profile.reconciler?.namespace ?? 'cdk8s-abi-vecodex-system',
      enabled: profile.reconciler?.enabled ?? true,
    },
    gitops: {
      repoURL: gitops.repoURL,
      revision: gitops.revision ?? 'main',
      // Folder names without "./" or slashes at either end; the repository root is "".
      path: (gitops.path ?? 'dist').replace(/^\.?\/+|\/+$/g, '').replace(/^\.$/, ''),
      argocd: {
        namespace: gitops.argocd?.namespace ?? 'argocd',
        destinationServer: gitops.argocd?.destinationServer ?? 'https://kubernetes.default.svc',
        destinationName: gitops.argocd?.destinationName,
      },
      flux: {
        namespace: gitops.flux?.namespace ?? 'flux-system',
        interval: gitops.flux?.interval ?? '5m',
        timeout: gitops.flux?.timeout ?? '10m',
        healthCheck: gitops.flux?.healthCheck ?? 'cel',
        secretName: gitops.flux?.secretName,
      },
    },
    imagePolicy: profile.imagePolicy ?? 'warn',
    networkPolicy: resolveNetworkPolicyProfile(profile.networkPolicy),
  };
}
