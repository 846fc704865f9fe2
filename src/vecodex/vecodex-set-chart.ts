import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VecodexSet, VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { ChartSchemaCheck } from '../pipeline/chart-schema-check';
import { resolveClusterProfile } from '../shared/cluster-profile';
import { imageVersionLabel, pinnedImageRules } from '../shared/image-policy';
import { imageWithRegistry } from '../shared/image-reference';
import { InstanceChartProps } from '../shared/instance-chart-props';
import { checkInstanceMetadata } from '../shared/kube-validation';
import { instanceSelectorLabels, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY, recommendedLabels, selectorLabels } from '../shared/labels';
import { MetricsServiceMonitor } from '../shared/service-monitor';
import { throwOnIssues } from '../shared/validation-issue';
import { ManagedEtcd } from './managed-etcd';
import { ManagedMinio } from './managed-minio';
import { endpointHostPort, ResolvedVecodexSpec, resolveVecodexSpec } from './resolve-vecodex-spec';
import { IVecodexComponent, VecodexComponent } from './vecodex-component';
import { coordinatorConfig, writerConfig } from './vecodex-config';
import { vecodexSpecImages } from './vecodex-images';
import { VecodexIngress } from './vecodex-ingress';
import { vecodexLabels } from './vecodex-labels';
import { vecodexObjectNames } from './vecodex-names';
import { VecodexNetworkPolicies } from './vecodex-network-policies';
import { vecodexSetRules } from './vecodex-rules';
import { IVecodexSearcherShards, VecodexSearcherShards } from './vecodex-searcher-shards';
import { VECODEX_PRODUCT_NAME } from './vecodex-set-crd';
import { vecodexSetSpecSchema } from './vecodex-set-schema';

/** A VecodexSet's metadata and spec, and the cluster it renders for. */
export type VecodexSetChartProps = InstanceChartProps<VecodexSetSpec>;

const SCHEMA = new ChartSchemaCheck('VecodexSet', vecodexSetSpecSchema);

/**
 * Everything one VecodexSet implies, in start-up order: the custom resource;
 * managed etcd and MinIO (unless external endpoints are given); the searcher
 * shards; the writer and the coordinator (each a config, a Deployment and a
 * Service); the Ingress to the coordinator; NetworkPolicies (unless switched
 * off); and, as asked, HPAs, PDBs and a ServiceMonitor.
 *
 * The spec is checked first against the CRD schema, then against the rules
 * the schema cannot express, as `npx cdk8s synth` checks a spec file; every
 * problem is thrown together as an InvalidSpecError. The chart's default
 * child is the coordinator's Deployment, so `ApiObject.of(chart)` is it too.
 */
export class VecodexSetChart extends Chart {
  /** The VecodexSet itself; absent with `includeCustomResource: false`. */
  public readonly customResource?: VecodexSet;
  /** Every searcher shard's workload and the searchers' Services. */
  public readonly searchers: IVecodexSearcherShards;
  /** The writer's config, Deployment, Service and, as asked, HPA and PDB. */
  public readonly writer: IVecodexComponent;
  /** The coordinator's config, Deployment, Service and, as asked, HPA and PDB. */
  public readonly coordinator: IVecodexComponent;

  constructor(scope: Construct, id: string, props: VecodexSetChartProps) {
    super(scope, id, { namespace: props.metadata.namespace ?? 'default', disableResourceNameHashes: true });
    const name = props.metadata.name;
    const cluster = resolveClusterProfile(props.cluster);
    // As in a spec file: the rules run only on a spec that passed its schema.
    const schemaIssues = SCHEMA.issues(props.spec);
    throwOnIssues(`VecodexSetChart ${this.node.path}`, [
      ...checkInstanceMetadata(props.metadata),
      ...(schemaIssues.length > 0 ? schemaIssues : [
        ...vecodexSetRules(props.spec, cluster, name), ...pinnedImageRules(vecodexSpecImages(props.spec), cluster.imagePolicy),
      ]),
    ], schemaIssues.length > 0 ? SCHEMA.hint : undefined);
    const spec = pulledThrough(resolveVecodexSpec(name, props.spec, cluster.ingressClassName), cluster.imageRegistry);
    const podProfile = { gpu: cluster.gpu, imagePullSecrets: cluster.imagePullSecrets };
    const names = vecodexObjectNames(name);

    if (props.includeCustomResource ?? true) {
      this.customResource = new VecodexSet(this, 'VecodexSet', {
        metadata: {
          ...props.metadata, namespace: undefined, labels: { ...props.metadata.labels, ...instanceSelectorLabels(VECODEX_PRODUCT_NAME, name) },
        },
        spec: props.spec,
      });
    }

    if (spec.etcd.kind === 'managed') {
      new ManagedEtcd(this, 'Etcd', {
        name: names.etcd,
        governingServiceName: names.etcdHeadless,
        settings: spec.etcd,
        selector: selectorLabels({ name: 'etcd', instance: name }),
        labels: recommendedLabels({ product: VECODEX_PRODUCT_NAME, name: 'etcd', instance: name, component: 'etcd', version: imageVersionLabel(spec.etcd.image) }),
        defaultStorageClassName: cluster.storageClassName,
        imagePullSecrets: cluster.imagePullSecrets,
      });
    }

    if (spec.s3.kind === 'managed') {
      new ManagedMinio(this, 'Minio', {
        name: names.minio,
        governingServiceName: names.minioHeadless,
        settings: spec.s3,
        credentials: spec.s3.credentials,
        selector: selectorLabels({ name: 'minio', instance: name }),
        labels: recommendedLabels({ product: VECODEX_PRODUCT_NAME, name: 'minio', instance: name, component: 'object-storage', version: imageVersionLabel(spec.s3.image) }),
        defaultStorageClassName: cluster.storageClassName,
        imagePullSecrets: cluster.imagePullSecrets,
      });
    }

    // Start-up order: etcd and S3, then the searchers (they register in etcd),
    // then the writer and the coordinator, which need every shard registered.
    const etcd = endpointHostPort(spec.etcd.endpoint);
    const s3 = endpointHostPort(spec.s3.endpoint);

    this.searchers = new VecodexSearcherShards(this, 'Searchers', { instance: name, spec, waitFor: [etcd, s3], ...podProfile });

    this.writer = new VecodexComponent(this, 'Writer', {
      instance: name, name: names.writer, component: spec.writer, config: writerConfig(name, spec),
      waitFor: [etcd, s3, ...this.searchers.shardTargets], s3Credentials: spec.s3.credentials, ...podProfile,
    });

    this.coordinator = new VecodexComponent(this, 'Coordinator', {
      instance: name, name: names.coordinator, component: spec.coordinator, config: coordinatorConfig(name, spec),
      waitFor: [etcd, ...this.searchers.shardTargets], ...podProfile,
    });
    this.node.defaultChild = this.coordinator.deployment;

    new VecodexIngress(this, 'Ingress', {
      name: names.ingress,
      labels: vecodexLabels({ instance: name, component: 'coordinator', image: spec.coordinator.image }),
      ingress: spec.ingress,
      coordinatorService: names.coordinator,
    });

    if (props.spec.networkPolicy?.enabled ?? cluster.networkPolicy.enabled) {
      new VecodexNetworkPolicies(this, 'NetworkPolicies', {
        instance: name, spec, profile: cluster.networkPolicy,
        labels: { ...selectorLabels({ name: 'vecodex', instance: name }), [LABEL_PART_OF]: VECODEX_PRODUCT_NAME, [LABEL_MANAGED_BY]: MANAGED_BY },
      });
    }

    if (cluster.prometheusOperator) {
      new MetricsServiceMonitor(this, 'ServiceMonitor', {
        name: names.serviceMonitor,
        labels: vecodexLabels({ instance: name, component: 'metrics', image: spec.coordinator.image }),
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
