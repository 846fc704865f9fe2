import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ResolvedGpuSchedulingProfile } from '../shared/gpu-scheduling';
import { LABEL_COMPONENT, selectorLabels } from '../shared/labels';
import { ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { IVecodexComponent, VecodexComponent } from './vecodex-component';
import { VecodexComponentService } from './vecodex-component-service';
import { searcherConfig } from './vecodex-config';
import { SHARD_LABEL, vecodexLabels } from './vecodex-labels';
import { vecodexObjectNames } from './vecodex-names';
import { VECODEX_GRPC_PORT } from './vecodex-set-defaults';
import { WaitTarget } from './vecodex-wait-for';

export interface VecodexSearcherShardsProps {
  /** The VecodexSet's name (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /**
   * The resolved spec (resolveVecodexSpec): the searcher's settings and
   * shards, and the etcd and S3 endpoints and credentials its configs name.
   */
  readonly spec: ResolvedVecodexSpec;
  /** What must accept connections before a searcher starts (etcd and S3). @default none */
  readonly waitFor?: readonly WaitTarget[];
  /** How pods that request a GPU are scheduled. @default the default cluster profile's (resolveGpuProfile()) */
  readonly gpu?: ResolvedGpuSchedulingProfile;
  /** Pull Secrets for the pods (the cluster profile's). @default none */
  readonly imagePullSecrets?: readonly string[];
}

/** The searchers as VecodexSetChart renders them: each shard's objects and the searchers' Services. */
export interface IVecodexSearcherShards extends IConstruct {
  /** One component per shard, in the spec's order. */
  readonly shards: readonly IVecodexComponent[];
  /** The headless Service over every shard's pods, `<name>-searcher`; the one that exposes their metrics. */
  readonly service: k8s.KubeService;
  /** Each shard's own headless Service, in the spec's order; none when unsharded. */
  readonly shardServices: readonly k8s.KubeService[];
  /** The host and port of each shard's Service, in the spec's order: the writer and coordinator wait for them. */
  readonly shardTargets: readonly WaitTarget[];
}

/**
 * The searchers: per shard a VecodexComponent (config, Deployment, and as
 * asked an HPA and a PDB) whose pods carry the shard label; one headless
 * Service over every shard's pods; and, when sharded, a headless Service per
 * shard. Unsharded, the one shard's workload is `<name>-searcher` and the
 * shared Service is also its shard Service.
 */
export class VecodexSearcherShards extends Construct implements IVecodexSearcherShards {
  /** One component per shard, in the spec's order. */
  public readonly shards: readonly VecodexComponent[];
  /** The headless Service over every shard's pods, `<name>-searcher`; the one that exposes their metrics. */
  public readonly service: k8s.KubeService;
  /** Each shard's own headless Service, in the spec's order; none when unsharded. */
  public readonly shardServices: readonly k8s.KubeService[];
  /**
   * One target per shard's headless Service, whose DNS name resolves only to
   * ready pods: waiting on all of them waits until every shard has a ready
   * searcher. The writer derives its shards from the keys searchers register
   * in etcd (a searcher registers before it listens on grpc) and the
   * coordinator lists them at start-up, so both wait on these. etcd itself
   * cannot answer this: keys are never leased, so a crashed searcher's
   * registration outlives it.
   */
  public readonly shardTargets: readonly WaitTarget[];

  constructor(scope: Construct, id: string, props: VecodexSearcherShardsProps) {
    super(scope, id);
    const { instance, spec } = props;
    const { searcher } = spec;
    const labels = vecodexLabels({ instance, component: 'searcher', image: searcher.image });

    this.shards = searcher.shards.map((shard) => new VecodexComponent(this, searcher.sharded ? `Searcher-${shard.id}` : 'Searcher', {
      instance,
      name: shard.workload,
      component: searcher,
      config: searcherConfig(instance, spec, shard),
      waitFor: props.waitFor,
      s3Credentials: spec.s3.credentials,
      gpu: props.gpu,
      imagePullSecrets: props.imagePullSecrets,
      podLabels: { [SHARD_LABEL]: shard.id },
      service: false,
    }));

    this.service = new VecodexComponentService(this, 'SearcherService', {
      name: vecodexObjectNames(instance).searcherService,
      headless: true,
      labels,
      // Every shard's pods: the shard workloads' own selectors differ.
      selector: { ...selectorLabels({ name: 'vecodex', instance }), [LABEL_COMPONENT]: 'searcher' },
    }).apiObject;

    // Unsharded, the shared Service above is the one shard's Service.
    this.shardServices = searcher.sharded ? searcher.shards.map((shard, i) => new VecodexComponentService(this, `SearcherService-${shard.id}`, {
      name: shard.service,
      headless: true,
      labels: { ...labels, [SHARD_LABEL]: shard.id },
      selector: this.shards[i].selector,
      // The shared Service already exposes these pods' metrics.
      metricsPort: false,
    }).apiObject) : [];

    this.shardTargets = searcher.shards.map((shard) => ({ host: shard.service, port: VECODEX_GRPC_PORT }));
  }
}
