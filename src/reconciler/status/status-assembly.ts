/**
 * Puts the status object together from the verdict, its conditions and
 * health, and what the children report. The key order is the order written to
 * the API server and compared by the loop, so it is fixed here, once.
 */
import { ExpectedEndpoints } from '../../shared/children';
import { Condition, Health } from '../../shared/status';
import { KubeObject } from '../kube-object';
import { imageTag } from '../workload-state';
import { ObservedWorkload, StatusFacts, sumOf } from './status-facts';
import { ComponentStatus, ComputedStatus, StatusInput } from './status-types';
import { Verdict } from './verdict';

export interface AssemblyInput {
  readonly input: StatusInput;
  readonly verdict: Verdict;
  readonly facts: StatusFacts;
  readonly conditions: Condition[];
  readonly health: Health;
}

export function assembleStatus({ input, verdict, facts, conditions, health }: AssemblyInput): ComputedStatus {
  const previous = input.resource.status ?? {};
  const generation = input.resource.metadata.generation;
  const { version, configHash } = rolledOutRelease(facts, previous);
  const endpoints = observedEndpoints(input);
  return {
    phase: verdict.phase,
    replicas: sumOf(facts.critical, (evaluation) => evaluation.replicas),
    readyReplicas: facts.readyReplicas,
    availableReplicas: sumOf(facts.critical, (evaluation) => evaluation.available),
    updatedReplicas: sumOf(facts.critical, (evaluation) => evaluation.updated),
    ...(version !== undefined ? { version } : {}),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    health,
    enabledFeatures: [...input.enabledFeatures],
    conditions,
    ...(endpoints ? { endpoints } : {}),
    ...(configHash !== undefined ? { configHash } : {}),
    components: facts.workloads.map(componentStatus),
  };
}

/**
 * Version and config hash describe what is actually rolled out: taken from
 * the primary (first critical) workload only once its rollout is complete,
 * else the previous status's are kept.
 */
export function rolledOutRelease(facts: StatusFacts, previous: Record<string, unknown>): { version?: string; configHash?: string } {
  const primary = facts.critical[0]?.evaluation;
  const rolledOut = primary !== undefined && primary.state !== 'Missing' && primary.rolledOut;
  return {
    version: rolledOut && primary.image ? imageTag(primary.image) : nonEmptyString(previous.version),
    configHash: rolledOut && primary.configHash ? primary.configHash : nonEmptyString(previous.configHash),
  };
}

/** Endpoints once one of the expected Services exists; the ingress one only from an Ingress that exists, never from the spec alone. */
export function observedEndpoints({ expected, children }: Pick<StatusInput, 'expected' | 'children'>): ExpectedEndpoints | undefined {
  const serviceNames = new Set(children.services.map((s) => s.metadata.name));
  if (!expected.services.some((s) => serviceNames.has(s))) return undefined;
  const { ingress: _specHost, ...inCluster } = expected.endpoints;
  return { ...inCluster, ...ingressEndpoint(children.ingresses) };
}

/** The first Ingress by name with a host; https when its TLS section covers that host. */
function ingressEndpoint(ingresses: readonly KubeObject[]): { ingress?: string } {
  for (const ing of [...ingresses].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const host: string | undefined = ing.spec?.rules?.find((r: { host?: string }) => r.host)?.host;
    if (!host) continue;
    const tls = (ing.spec?.tls ?? []).some((t: { hosts?: string[] }) => t.hosts?.includes(host));
    return { ingress: `${tls ? 'https' : 'http'}://${host}` };
  }
  return {};
}

function componentStatus({ expected, critical, evaluation }: ObservedWorkload): ComponentStatus {
  return {
    component: expected.component,
    kind: expected.kind,
    name: expected.name,
    state: evaluation.state,
    critical,
    replicas: evaluation.replicas,
    desiredReplicas: evaluation.desired,
    readyReplicas: evaluation.ready,
    availableReplicas: evaluation.available,
    updatedReplicas: evaluation.updated,
    ...(evaluation.image ? { version: imageTag(evaluation.image) } : {}),
    message: evaluation.message,
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
