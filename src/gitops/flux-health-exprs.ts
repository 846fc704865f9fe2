/**
 * Flux healthCheckExprs (CEL) for our custom resources: the alternative to
 * kstatus, spelling out the same contract as the Argo CD Lua check. Flux
 * evaluates inProgress, then failed, then current; none matching means
 * InProgress. So inProgress must not claim a Stalled resource, or it would
 * never be reported as failed.
 *
 * Flux binds the object's top-level fields as variables and cel-go fails on a
 * variable that is not there, even inside has(): before the reconciler first
 * writes status, every expression errors, kstatus reports the resource
 * Unknown and the Kustomization keeps waiting (until its timeout), as for
 * InProgress. No expression can avoid this without reading `status`.
 * test/gitops/health-check-cel.test.ts runs these with a CEL interpreter.
 */
import { CONDITION_READY, CONDITION_RECONCILING, CONDITION_STALLED } from '../shared/status';
import { HEALTH_CHECKED_KINDS } from './argocd-health-check';

export interface HealthCheckExpr {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
  readonly inProgress?: string;
  readonly failed?: string;
}

const condition = (type: string, status: string) =>
  `has(status.conditions) && status.conditions.exists(c, c.type == '${type}' && c.status == '${status}')`;

export const CEL_EXPRESSIONS = {
  inProgress: `!has(status.observedGeneration) || status.observedGeneration != metadata.generation || (${condition(CONDITION_RECONCILING, 'True')} && !(${condition(CONDITION_STALLED, 'True')}))`,
  failed: condition(CONDITION_STALLED, 'True'),
  current: condition(CONDITION_READY, 'True'),
} as const;

export function healthCheckExprs(): HealthCheckExpr[] {
  return HEALTH_CHECKED_KINDS.map(({ group, version, kind }) => ({
    apiVersion: `${group}/${version}`,
    kind,
    ...CEL_EXPRESSIONS,
  }));
}
