/**
 * The status reconciler as a deployable construct, for the platform bundle:
 * its namespace (Pod Security "restricted"), identity, least-privilege RBAC,
 * a two-replica Deployment with leader election, a PodDisruptionBudget that
 * keeps one replica through voluntary disruptions, and a metrics Service.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BUILT_IN_PRODUCTS, productsNamed } from '../products/built-in-products';
import { ProductDefinition } from '../products/product-definition';
import { reconcilerImage } from '../shared/cluster-profile';
import { MANAGED_BY } from '../shared/labels';
import { PodSecurityNamespace } from '../shared/namespace';
import { anyDestinationEgress, namespacePeer, tcpPorts, WorkloadNetworkPolicy } from '../shared/network-policy';
import { NETWORK_POLICY_DEFAULTS, ResolvedNetworkPolicyProfile } from '../shared/network-policy-profile';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../shared/pod-security';
import { surgeFirstStrategy } from '../shared/rollout-strategy';
import { LogLevel } from './logger';
import { DEFAULT_LEASE_NAME, DEFAULT_NAMESPACE } from './options';
import { clusterRoleRules } from './watched-kinds';

/** uid/gid of the Dockerfile's runtime user (distroless "nonroot"). */
export const RECONCILER_UID = 65532;

/** Where and how the status reconciler runs. */
export interface StatusReconcilerProps {
  /**
   * Namespace the reconciler runs in (and holds its Lease in).
   * @default 'cdk8s-abi-vecodex-system'
   */
  readonly namespace?: string;
  /**
   * Whether to render the Namespace object (labelled Pod Security "restricted").
   * Set false when the namespace is managed elsewhere.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Base name of every object (ServiceAccount, ClusterRole, Deployment, …) and of the Lease.
   * @default 'cdk8s-abi-vecodex-status-reconciler'
   */
  readonly name?: string;
  /** Image of the reconciler. @default reconcilerImage(): 'ghcr.io/cdk8s-abi-vecodex/status-reconciler:<RECONCILER_VERSION>' */
  readonly image?: string;
  /** Pull policy of the image. @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Replicas; one leads, the others stand by with warm caches.
   * @default 2
   */
  readonly replicas?: number;
  /** Least severe level logged. @default 'info' */
  readonly logLevel?: LogLevel;
  /**
   * Seconds between full re-reconciles of every custom resource (a safety net; events drive normal work).
   * @default 300
   */
  readonly resyncSeconds?: number;
  /**
   * Seconds critical children may be missing before a resource is Failed/Stalled.
   * @default 300
   */
  readonly missingChildrenTimeoutSeconds?: number;
  /**
   * Seconds a critical workload may have no ready replica before a resource is Failed/Stalled.
   * @default 1800
   */
  readonly noReadyReplicasTimeoutSeconds?: number;
  /**
   * Which custom resources to watch, by product name; RBAC is granted for these only.
   * @default every product of `productDefinitions`
   */
  readonly products?: readonly string[];
  /**
   * The products `products` names are looked up in, for the RBAC and the `--products` argument.
   * The reconciler binary watches only the products compiled into it (BUILT_IN_PRODUCTS) and
   * exits at start when told to watch another: add a product to that list, not only here.
   * @default BUILT_IN_PRODUCTS (src/products/built-in-products.ts)
   */
  readonly productDefinitions?: readonly ProductDefinition[];
  /** Port of /metrics, /healthz and /readyz. @default 8080 */
  readonly port?: number;
  /**
   * Container resources. Memory grows with the number of watched objects (about 165 MiB RSS for 1,000 instances with their Deployments and PDBs, see BENCHMARKS.md).
   * @default requests cpu 50m / memory 128Mi / ephemeral-storage 64Mi, limits cpu 1 / memory 512Mi / ephemeral-storage 256Mi
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Its NetworkPolicy: metrics scraped from the monitoring namespace only;
   * with restricted egress, only DNS and the API server. false renders none.
   * @default the cluster profile defaults (monitoring namespace 'monitoring', egress open)
   */
  readonly networkPolicy?: Pick<ResolvedNetworkPolicyProfile, 'monitoringNamespace' | 'egress'> | false;
}

/**
 * The API server as pods reach it: the kubernetes Service (443) or, after the
 * Service's DNAT that most network plugins evaluate policies after, the
 * endpoint's secure port (6443 on kubeadm and most distributions).
 */
const API_SERVER_PORTS = [443, 6443];

/**
 * The status reconciler's Deployment with its ServiceAccount, RBAC (read the
 * rendered kinds, write the custom resources' status, hold a Lease), metrics
 * Service, NetworkPolicy and, as asked, Namespace.
 */
export class StatusReconciler extends Construct {
  /** Namespace it runs in. */
  public readonly namespace: string;
  /** Its ServiceAccount's name. */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service over its metrics port. */
  public readonly metricsService: k8s.KubeService;
  /** Read access to the rendered kinds, write access to the custom resources' status. */
  public readonly clusterRole: k8s.KubeClusterRole;
  /** Access to its leader-election Lease. */
  public readonly leaseRole: k8s.KubeRole;

  constructor(scope: Construct, id: string, props: StatusReconcilerProps = {}) {
    super(scope, id);
    const name = props.name ?? DEFAULT_LEASE_NAME;
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const port = props.port ?? 8080;
    const definitions = props.productDefinitions ?? BUILT_IN_PRODUCTS;
    const products = productsNamed(props.products ?? definitions.map((p) => p.name), definitions);
    this.namespace = namespace;
    this.serviceAccountName = name;

    const selector = { 'app.kubernetes.io/name': 'status-reconciler', 'app.kubernetes.io/instance': name };
    const labels = {
      ...selector,
      'app.kubernetes.io/component': 'status-reconciler',
      // Deliberately not `abi`/`vecodex`: the reconciler must never look like a child of a custom resource.
      'app.kubernetes.io/part-of': 'cdk8s-abi-vecodex',
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };
    const meta = (objectName: string, namespaced = true): ApiObjectMetadata => ({
      name: objectName, labels, ...(namespaced ? { namespace } : {}),
    });

    if (props.createNamespace ?? true) {
      new PodSecurityNamespace(this, 'Namespace', { name: namespace, level: 'restricted', labels });
    }

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(name) });

    // Exactly what the controller watches and writes (watched-kinds.ts).
    this.clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: meta(name, false),
      rules: clusterRoleRules(products),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: meta(name, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });

    // Leader election needs its own Lease only, in its own namespace.
    this.leaseRole = new k8s.KubeRole(this, 'LeaseRole', {
      metadata: meta(`${name}-leader-election`),
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
    });
    new k8s.KubeRoleBinding(this, 'LeaseRoleBinding', {
      metadata: meta(`${name}-leader-election`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-leader-election` },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });

    const args = [
      '--leader-elect=true',
      `--lease-name=${name}`,
      `--listen-address=0.0.0.0:${port}`,
      `--log-level=${props.logLevel ?? 'info'}`,
      `--resync-period=${props.resyncSeconds ?? 300}`,
      `--missing-children-timeout=${props.missingChildrenTimeoutSeconds ?? 300}`,
      `--no-ready-timeout=${props.noReadyReplicasTimeoutSeconds ?? 1800}`,
      `--products=${products.map((p) => p.name).join(',')}`,
    ];
    const probe = (path: string, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http-metrics') },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold,
    });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name),
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        // Never drop below one ready replica: a standby is what makes failover fast.
        strategy: surgeFirstStrategy(),
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: restrictedPodSecurityContext({ runAsUser: RECONCILER_UID }),
            // Shutdown hands the Lease over (SIGTERM); 30 s covers the 20 s internal timeout.
            terminationGracePeriodSeconds: 30,
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [{
                  weight: 100,
                  podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
                }],
              },
            },
            containers: [{
              name: 'reconciler',
              image: props.image ?? reconcilerImage(),
              imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
              args,
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [{ name: 'http-metrics', containerPort: port, protocol: 'TCP' }],
              livenessProbe: probe('/healthz', 3),
              readinessProbe: probe('/readyz', 1),
              // It writes only logs (no volumes): ephemeral-storage bounds them.
              resources: props.resources ?? {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('128Mi'), 'ephemeral-storage': k8s.Quantity.fromString('64Mi') },
                limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi'), 'ephemeral-storage': k8s.Quantity.fromString('256Mi') },
              },
              securityContext: restrictedContainerSecurityContext(),
            }],
          },
        },
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: meta(name),
      spec: {
        minAvailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: selector },
        // As every other PDB here (src/shared/disruption-budget.ts): a replica
        // that never became ready may be evicted, or a crash-looping rollout
        // blocks node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    const policy = props.networkPolicy ?? NETWORK_POLICY_DEFAULTS;
    if (policy) {
      new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
        name, namespace, labels, podSelector: { matchLabels: selector },
        ingress: [{ from: [namespacePeer(policy.monitoringNamespace)], ports: tcpPorts('http-metrics') }],
        egress: policy.egress === 'restricted' ? anyDestinationEgress(API_SERVER_PORTS) : undefined,
      });
    }

    this.metricsService = new k8s.KubeService(this, 'MetricsService', {
      metadata: {
        ...meta(`${name}-metrics`),
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' },
      },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http-metrics', port, targetPort: k8s.IntOrString.fromString('http-metrics'), protocol: 'TCP' }],
      },
    });
  }
}
