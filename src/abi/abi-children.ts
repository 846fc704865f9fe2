import { AbiInstanceSpec } from '../../imports/abi.io';
import { ExpectedChildren } from '../shared/children';
import { abiObjectNames } from './abi-names';
import { resolveAbiSpec, usesPerReplicaVolumes } from './resolve-abi-spec';

/** The workloads, Services and endpoints an AbiInstance renders (see AbiInstanceChart). */
export function abiExpectedChildren(name: string, namespace: string, spec: AbiInstanceSpec): ExpectedChildren {
  const resolved = resolveAbiSpec(spec);
  const names = abiObjectNames(name);
  const host = `${names.service}.${namespace}.svc`;
  const perReplica = usesPerReplicaVolumes(resolved);
  return {
    workloads: [{
      kind: perReplica ? 'StatefulSet' : 'Deployment',
      name: names.workload,
      component: 'server',
      autoscaler: resolved.autoscaling ? names.autoscaler : undefined,
      replicas: resolved.autoscaling ? undefined : resolved.replicas,
      minReplicas: resolved.autoscaling?.minReplicas,
    }],
    services: perReplica ? [names.service, names.headlessService] : [names.service],
    endpoints: {
      http: `http://${host}:${resolved.networking.httpPort}`,
      grpc: `${host}:${resolved.networking.grpcPort}`,
      metrics: `http://${host}:${resolved.networking.metricsPort}/metrics`,
    },
  };
}
