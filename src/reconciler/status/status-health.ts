/**
 * status.health: the verdict seen by a person (and Argo CD's health view)
 * rather than by kstatus. It says "Degraded" for things that need attention
 * without failing a sync: an optional component down, drift the GitOps tool
 * will undo, a PodDisruptionBudget that blocks node drains.
 */
import { Health, HealthStatus } from '../../shared/status';
import { timestamp } from '../conditions';
import { blockingDisruptionBudgets } from '../disruption-budgets';
import { KubeObject } from '../kube-object';
import { ReadyReason } from './ready-reasons';
import { ObservedWorkload, StatusFacts } from './status-facts';
import { Verdict } from './verdict';

export type HealthVerdict = Omit<Health, 'lastChecked'>;

export interface HealthInput {
  readonly verdict: Verdict;
  readonly facts: StatusFacts;
  readonly disruptionBudgets: readonly KubeObject[];
  readonly previous: Health | undefined;
  readonly now: Date;
}

export function statusHealth({ verdict, facts, disruptionBudgets, previous, now }: HealthInput): Health {
  return nextHealth(previous, withDisruptionBudgets(workloadHealth(verdict, facts), verdict, facts, disruptionBudgets), now);
}

export function workloadHealth(verdict: Verdict, facts: StatusFacts): HealthVerdict {
  const status = healthStatus(verdict, facts);
  const attention = [...drifted(facts).map(messageOf), ...optionalNotReady(facts).map(messageOf)];
  // Only a Ready instance has nothing more pressing to say than what needs attention.
  const message = status === 'Degraded' && attention.length > 0 && verdict.reason === ReadyReason.Ready ? attention.join('; ') : verdict.message;
  return { status, message };
}

function healthStatus(verdict: Verdict, facts: StatusFacts): HealthStatus {
  switch (verdict.phase) {
    case 'Terminating':
    case 'Pending':
    case 'Creating':
      // Nothing has served yet (or never will again): health is not known, not bad.
      return 'Unknown';
    case 'Failed':
      return 'Unhealthy';
    default: {
      const belowFloor = facts.critical.some(({ evaluation }) => evaluation.ready < evaluation.floor || evaluation.available < evaluation.floor);
      return belowFloor || optionalNotReady(facts).length > 0 || drifted(facts).length > 0 ? 'Degraded' : 'Healthy';
    }
  }
}

/** Drift the GitOps tool will undo: more replicas set on the live object than the spec renders. */
function drifted(facts: StatusFacts): ObservedWorkload[] {
  return facts.critical.filter((w) => w.evaluation.state === 'Ready' && w.evaluation.drifted);
}

function optionalNotReady(facts: StatusFacts): ObservedWorkload[] {
  return facts.workloads.filter((w) => !w.critical && w.evaluation.state !== 'Ready');
}

function messageOf(workload: ObservedWorkload): string {
  return workload.evaluation.message;
}

/** Budgets only speak when nothing else is wrong; see disruption-budgets.ts for why they never touch Ready. */
function withDisruptionBudgets(health: HealthVerdict, verdict: Verdict, facts: StatusFacts, budgets: readonly KubeObject[]): HealthVerdict {
  if (verdict.phase !== 'Running' || health.status !== 'Healthy') return health;
  const covered = facts.present.map((w) => ({ podLabels: w.podLabels, ready: w.evaluation.ready }));
  const blocking = blockingDisruptionBudgets(budgets, covered);
  return blocking.length > 0 ? { status: 'Degraded', message: blocking.map((b) => b.message).join('; ') } : health;
}

/** lastChecked dates the last change of health, not the last look: a look that changes nothing must not cause a write. */
function nextHealth(previous: Health | undefined, next: HealthVerdict, now: Date): Health {
  const kept = previous?.status === next.status && previous.message === next.message ? previous.lastChecked : undefined;
  return { ...next, lastChecked: kept || timestamp(now) };
}
