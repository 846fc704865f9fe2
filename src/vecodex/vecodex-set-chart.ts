import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VecodexSet, VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { WorkloadAutoscaler } from '../shared/autoscaler';
import { resolveClusterProfile } from '../shared/cluster-profile';
import { InstanceChartProps } from '../shared/instance-chart-props';
import { WorkloadDisruptionBudget } from '../shared/disruption-budget';
import { imageVersionLabel, pinnedImageRules } from '../shared/image-policy';
import { vecodexSpecImages } from './vecodex-images';
import { imageWithRegistry } from '../shared/image-reference';
import { instanceSelectorLabels, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY, recommendedLabels, selectorLabels } from '../shared/labels';
import { VecodexNetworkPolicies } from './vecodex-network-policies';
import { MetricsServiceMonitor } from '../shared/service-monitor';
import { throwOnIssues } from '../shared/validation-issue';
import { ManagedEtcd } from './managed-etcd';
import { ManagedMinio } from './managed-minio';
import { endpointHostPort, ResolvedComponent, ResolvedVecodexSpec, resolveVecodexSpec } from './resolve-vecodex-spec';
import { VecodexComponentConfig } from './vecodex-component-config';
import { VecodexComponentService } from './vecodex-component-service';
import { VecodexComponentWorkload } from './vecodex-component-workload';
import { coordinatorConfig, searcherConfig, writerConfig } from './vecodex-config';
import { VecodexIngress } from './vecodex-ingress';
import { vecodexObjectNames } from './vecodex-names';
import { vecodexSetRules } from './vecodex-rules';
import { VECODEX_GRPC_PORT } from './vecodex-set-defaults';

/** Pod label upstream's Deployments select on; kept exactly so the Go operator's objects can be applied over. */
export const UPSTREAM_SELECTOR_LABEL = 'app';
/** Pod label naming a searcher's shard. */
export const SHARD_LABEL = 'apps.vecodex.link/shard';

export type VecodexSetChartProps = InstanceChartProps<VecodexSetSpec>;

/**
 * Everything one VecodexSet implies, in start-up order: the custom resource;
 * managed etcd and MinIO (unless external endpoints are given); per searcher
 * shard a config, a Deployment and a headless Service, plus one headless
 * Service over all shards; the writer's
 * and the coordinator's config, Deployment and Service; the Ingress to the
 * coordinator; NetworkPolicies (unless switched off); and, as asked, HPAs,
 * PDBs and a ServiceMonitor.
 */
export class VecodexSetChart extends Chart {
  constructor(scope: Construct, id: string, props: VecodexSetChartProps) {
    super(scope, id, { namespace: props.metadata.namespace ?? 'default', disableResourceNameHashes: true });
    const name = props.metadata.name;
    const cluster = resolveClusterProfile(props.cluster);
    throwOnIssues(`VecodexSetChart ${this.node.path}`, [...vecodexSetRules(props.spec, cluster, name), ...pinnedImageRules(vecodexSpecImages(props.spec), cluster.imagePolicy)]);
    const spec = pulledThrough(resolveVecodexSpec(name, props.spec, cluster.ingressClassName), cluster.imageRegistry);
    const pullSecrets = cluster.imagePullSecrets;
    const names = vecodexObjectNames(name);
    const labelsOf = (component: string, image: string, app?: string): Record<string, string> => ({
      ...(app ? { [UPSTREAM_SELECTOR_LABEL]: app } : {}),
      ...recommendedLabels({ product: 'vecodex', name: 'vecodex', instance: name, component, version: imageVersionLabel(image) }),
    });

    if (props.includeCustomResource ?? true) {
      new VecodexSet(this, 'VecodexSet', {
        metadata: { ...props.metadata, namespace: undefined, labels: { ...props.metadata.labels, ...instanceSelectorLabels('vecodex', name) } },
        spec: props.spec,
      });
    }

    // Dependencies.
    if (spec.etcd.kind === 'managed') {
      new ManagedEtcd(this, 'Etcd', {
        name: names.etcd,
        governingServiceName: names.etcdHeadless,
        settings: spec.etcd,
        selector: selectorLabels({ name: 'etcd', instance: name }),
        labels: recommendedLabels({ product: 'vecodex', name: 'etcd', instance: name, component: 'etcd', version: imageVersionLabel(spec.etcd.image) }),
        defaultStorageClassName: cluster.storageClassName,
        imagePullSecrets: pullSecrets,
      });
    }
    if (spec.s3.kind === 'managed') {
      new ManagedMinio(this, 'Minio', {
        name: names.minio,
        governingServiceName: names.minioHeadless,
        settings: spec.s3,
        credentials: spec.s3.credentials,
        selector: selectorLabels({ name: 'minio', instance: name }),
        labels: recommendedLabels({ product: 'vecodex', name: 'minio', instance: name, component: 'object-storage', version: imageVersionLabel(spec.s3.image) }),
        defaultStorageClassName: cluster.storageClassName,
        imagePullSecrets: pullSecrets,
      });
    }
    const etcd = endpointHostPort(spec.etcd.endpoint);
    const s3 = endpointHostPort(spec.s3.endpoint);
    // The writer derives its shards from the keys searchers register in etcd
    // (a searcher registers before it listens on grpc) and the coordinator
    // lists them at start-up, so both wait until every shard has a ready
    // searcher: one target per shard's headless Service, whose DNS name
    // resolves only to ready pods. etcd itself cannot answer this: keys are
    // never leased, so a crashed searcher's registration outlives it.
    const everyShard = spec.searcher.shards.map((shard) => ({ host: shard.service, port: VECODEX_GRPC_PORT }));

    const component = (id: string, workload: string, resolved: ResolvedComponent, config: ReturnType<typeof writerConfig>,
      extra: { waitFor: Array<{ host: string; port: number }>; s3: boolean; podLabels?: Record<string, string> }) => {
      const selector = { [UPSTREAM_SELECTOR_LABEL]: workload };
      const labels = { ...labelsOf(resolved.mode, resolved.image, workload), ...extra.podLabels };
      const cm = new VecodexComponentConfig(this, `${id}Config`, { name: names.configMap(workload), labels, config });
      new VecodexComponentWorkload(this, id, {
        name: workload,
        component: resolved,
        labels,
        selector,
        configMapName: cm.name,
        configHash: cm.hash,
        waitFor: extra.waitFor,
        s3Credentials: extra.s3 ? spec.s3.credentials : undefined,
        gpu: cluster.gpu,
        imagePullSecrets: pullSecrets,
      });
      if (resolved.autoscaling) {
        new WorkloadAutoscaler(this, `${id}Autoscaler`, { name: workload, labels, target: { kind: 'Deployment', name: workload }, ...resolved.autoscaling });
      }
      const pdb = resolved.podDisruptionBudget;
      if (pdb && (pdb.minAvailable !== undefined || pdb.maxUnavailable !== undefined)) {
        new WorkloadDisruptionBudget(this, `${id}DisruptionBudget`, { name: workload, labels, selector, ...pdb });
      }
      return { selector, labels };
    };

    // Searchers first: they register in etcd, and the writer derives its shards from those keys.
    for (const shard of spec.searcher.shards) {
      const id = spec.searcher.sharded ? `Searcher-${shard.id}` : 'Searcher';
      component(id, shard.workload, spec.searcher, searcherConfig(name, spec, shard), {
        waitFor: [etcd, s3], s3: true, podLabels: { [SHARD_LABEL]: shard.id },
      });
    }
    new VecodexComponentService(this, 'SearcherService', {
      name: names.searcherService,
      headless: true,
      labels: labelsOf('searcher', spec.searcher.image),
      // Every shard's pods: the shard workloads' own selectors differ.
      selector: { ...selectorLabels({ name: 'vecodex', instance: name }), [LABEL_COMPONENT]: 'searcher' },
    });
    if (spec.searcher.sharded) {
      // Unsharded, the shared Service above is the one shard's Service.
      for (const shard of spec.searcher.shards) {
        new VecodexComponentService(this, `SearcherService-${shard.id}`, {
          name: shard.service,
          headless: true,
          labels: { ...labelsOf('searcher', spec.searcher.image), [SHARD_LABEL]: shard.id },
          selector: { [UPSTREAM_SELECTOR_LABEL]: shard.workload },
          // The shared Service already exposes these pods' metrics.
          metricsPort: false,
        });
      }
    }

    const writer = component('Writer', names.writer, spec.writer, writerConfig(name, spec), { waitFor: [etcd, s3, ...everyShard], s3: true });
    new VecodexComponentService(this, 'WriterService', { name: names.writer, labels: labelsOf('writer', spec.writer.image), selector: writer.selector });

    const coordinator = component('Coordinator', names.coordinator, spec.coordinator, coordinatorConfig(name, spec), { waitFor: [etcd, ...everyShard], s3: false });
    new VecodexComponentService(this, 'CoordinatorService', { name: names.coordinator, labels: labelsOf('coordinator', spec.coordinator.image), selector: coordinator.selector });

    new VecodexIngress(this, 'Ingress', {
      name: names.ingress,
      labels: labelsOf('coordinator', spec.coordinator.image),
      ingress: spec.ingress,
      coordinatorService: names.coordinator,
    });

    if (props.spec.networkPolicy?.enabled ?? cluster.networkPolicy.enabled) {
      new VecodexNetworkPolicies(this, 'NetworkPolicies', {
        instance: name, spec, profile: cluster.networkPolicy,
        labels: { ...selectorLabels({ name: 'vecodex', instance: name }), [LABEL_PART_OF]: 'vecodex', [LABEL_MANAGED_BY]: MANAGED_BY },
      });
    }

    if (cluster.prometheusOperator) {
      new MetricsServiceMonitor(this, 'ServiceMonitor', {
        name: names.serviceMonitor,
        labels: labelsOf('metrics', spec.coordinator.image),
        // The three Vecodex Services (etcd and MinIO carry other app names).
        serviceSelector: { [LABEL_NAME]: 'vecodex', [LABEL_INSTANCE]: name },
        portName: 'metrics',
      });
    }
  }
}

/**
 * The resolved spec with every image as the cluster pulls it: from the
 * profile's mirror when the image names no registry (src/shared/image-reference.ts).
 */
function pulledThrough(spec: ResolvedVecodexSpec, registry: string | undefined): ResolvedVecodexSpec {
  if (registry === undefined) return spec;
  const pulled = <T extends { readonly image: string }>(x: T): T => ({ ...x, image: imageWithRegistry(x.image, registry) });
  return {
    ...spec,
    coordinator: pulled(spec.coordinator),
    writer: pulled(spec.writer),
    searcher: pulled(spec.searcher),
    etcd: spec.etcd.kind === 'managed' ? pulled(spec.etcd) : spec.etcd,
    s3: spec.s3.kind === 'managed' ? pulled(spec.s3) : spec.s3,
  };
}
