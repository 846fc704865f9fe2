import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { tmpSizeLimit } from '../shared/ephemeral-storage';
import { imagePullSecrets } from '../shared/image-reference';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../shared/pod-security';
import { ProbeSet } from '../shared/probes';
import { toK8sQuantity } from '../shared/quantity';
import { ResolvedManaged } from './resolve-vecodex-spec';
import { resourceRequirements } from './vecodex-resources';

export interface ManagedDependencyProps {
  /** StatefulSet and Service name; the generated config dials `http://<name>:<port>`. */
  readonly name: string;
  /** The headless governing Service the StatefulSet names as serviceName, `<name>-headless`. */
  readonly governingServiceName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly settings: ResolvedManaged;
  readonly containerName: string;
  /** @default the image's entrypoint */
  readonly command?: string[];
  readonly args: string[];
  /** @default none */
  readonly env?: k8s.EnvVar[];
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  readonly probes: ProbeSet;
  /** Where the persistent volume is mounted. */
  readonly dataPath: string;
  /** StorageClass when the spec names none. @default the cluster's default StorageClass */
  readonly defaultStorageClassName?: string;
  /** Pull Secrets for the pods (the cluster profile's). @default none */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * A single-replica StatefulSet with a ReadWriteOnce volume, a Service of the
 * same name that clients dial, and the headless governing Service the
 * StatefulSet requires (its pods' DNS subdomain): the shape of both managed
 * dependencies (etcd, MinIO).
 *
 * Deliberately one replica and no PodDisruptionBudget (docs/vecodex.md,
 * "Managed etcd and MinIO"): neither scales by a replica count (etcd needs a
 * static member list, MinIO erasure-coded distributed mode), and a PDB over
 * one pod either blocks every node drain or protects nothing. Clusters that
 * need them highly available point `external` at an HA etcd and S3.
 */
export class ManagedDependency extends Construct {
  constructor(scope: Construct, id: string, props: ManagedDependencyProps) {
    super(scope, id);
    const { settings } = props;
    const servicePorts = props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' }));
    new k8s.KubeService(this, 'Service', {
      metadata: { name: props.name, labels: props.labels },
      spec: { type: 'ClusterIP', selector: props.selector, ports: servicePorts },
    });
    // A StatefulSet's serviceName must be headless (the pods' DNS records come
    // from it). The ClusterIP Service above cannot become headless in place
    // (spec.clusterIP is immutable), hence a second one; serviceName itself is
    // immutable too, see docs/vecodex.md for existing StatefulSets.
    new k8s.KubeService(this, 'GoverningService', {
      metadata: { name: props.governingServiceName, labels: props.labels },
      spec: { clusterIp: 'None', selector: props.selector, ports: servicePorts },
    });
    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        serviceName: props.governingServiceName,
        replicas: 1,
        selector: { matchLabels: props.selector },
        template: {
          metadata: { labels: props.labels },
          spec: {
            automountServiceAccountToken: false,
            imagePullSecrets: imagePullSecrets(props.imagePullSecrets),
            enableServiceLinks: false,
            // fsGroup makes the volume writable for the non-root uid.
            securityContext: restrictedPodSecurityContext(),
            containers: [{
              name: props.containerName,
              image: settings.image,
              imagePullPolicy: settings.imagePullPolicy,
              command: props.command,
              args: props.args,
              env: props.env,
              ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
              ...props.probes,
              resources: resourceRequirements(settings.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [
                { name: 'data', mountPath: props.dataPath },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: toK8sQuantity(tmpSizeLimit(settings.resources)) } }],
          },
        },
        volumeClaimTemplates: [{
          // Selector labels only: the API server refuses any change to a
          // StatefulSet's claim templates, so a version label here would turn
          // every image bump into a failed sync.
          metadata: { name: 'data', labels: props.selector },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: settings.storage.storageClassName ?? props.defaultStorageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(settings.storage.size) } },
          },
        }],
      },
    });
  }
}
