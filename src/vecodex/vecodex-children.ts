import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { ExpectedChildren, ExpectedWorkload } from '../shared/children';
import { resolveVecodexSpec } from './resolve-vecodex-spec';
import { searcherComponentKey, vecodexObjectNames } from './vecodex-names';
import { VECODEX_GRPC_PORT, VECODEX_METRICS_PORT } from './vecodex-set-defaults';

/**
 * The workloads, Services and endpoints a VecodexSet renders (see
 * VecodexSetChart). Component keys: coordinator, writer, searcher-<shard>
 * (searcher-0 when unsharded), etcd, minio. HPAs share their workload's name.
 * The managed etcd and MinIO are dependencies: no other component works without them.
 */
export function vecodexExpectedChildren(name: string, namespace: string, spec: VecodexSetSpec): ExpectedChildren {
  const resolved = resolveVecodexSpec(name, spec);
  const names = vecodexObjectNames(name);
  const workloads: ExpectedWorkload[] = [
    {
      kind: 'Deployment', name: names.coordinator, component: 'coordinator',
      autoscaler: resolved.coordinator.autoscaling ? names.coordinator : undefined,
      replicas: resolved.coordinator.autoscaling ? undefined : resolved.coordinator.replicas,
      minReplicas: resolved.coordinator.autoscaling?.minReplicas,
    },
    { kind: 'Deployment', name: names.writer, component: 'writer', replicas: resolved.writer.replicas },
    ...resolved.searcher.shards.map((shard): ExpectedWorkload => ({
      kind: 'Deployment',
      name: shard.workload,
      component: searcherComponentKey(shard.id),
      autoscaler: resolved.searcher.autoscaling ? shard.workload : undefined,
      replicas: resolved.searcher.autoscaling ? undefined : resolved.searcher.replicas,
      minReplicas: resolved.searcher.autoscaling?.minReplicas,
    })),
  ];
  // Per-shard headless Services (the writer and coordinator wait on them); unsharded, the shard's is the shared one.
  const services = [...new Set([names.coordinator, names.writer, names.searcherService, ...resolved.searcher.shards.map((s) => s.service)])];
  if (resolved.etcd.kind === 'managed') {
    workloads.push({ kind: 'StatefulSet', name: names.etcd, component: 'etcd', replicas: 1, dependency: true });
    services.push(names.etcd, names.etcdHeadless);
  }
  if (resolved.s3.kind === 'managed') {
    workloads.push({ kind: 'StatefulSet', name: names.minio, component: 'minio', replicas: 1, dependency: true });
    services.push(names.minio, names.minioHeadless);
  }
  const host = (service: string) => `${service}.${namespace}.svc`;
  return {
    workloads,
    services,
    endpoints: {
      grpc: `${host(names.coordinator)}:${VECODEX_GRPC_PORT}`,
      writer: `${host(names.writer)}:${VECODEX_GRPC_PORT}`,
      metrics: `http://${host(names.coordinator)}:${VECODEX_METRICS_PORT}/metrics`,
      ingress: resolved.ingress.host,
    },
  };
}
