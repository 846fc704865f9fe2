/**
 * What a custom resource's PodDisruptionBudgets say about it, for health.
 *
 * A PDB that allows no disruption while every pod it covers is ready means
 * node drains and cluster upgrades hang on this instance: the workload
 * serves, but an operator will trip over it. That is exactly "Degraded"
 * (works, needs attention), and deliberately nothing more:
 *
 * - Ready, phase, Reconciling and Stalled are untouched. They are what
 *   kstatus, Flux healthChecks and the Argo CD Lua check read, and a budget
 *   that blocks evictions is neither a failed nor an unfinished rollout;
 *   failing a GitOps sync over it would be wrong.
 * - While the workload itself is short of ready pods, a blocking budget is
 *   the consequence, not the cause: the workload's message already says so,
 *   and repeating every PDB status tick in it would only churn writes.
 *   compute-status therefore consults PDBs only when health is otherwise Healthy.
 *
 * A PDB is skipped while its status cannot be trusted yet:
 * - the disruption controller has not observed its current spec
 *   (status.observedGeneration < metadata.generation, or no status at all);
 * - it covers no pods (expectedPods 0: scaled to zero, nothing to evict);
 * - an eviction has been granted that the disruption controller has not
 *   counted yet: the Eviction API lowers disruptionsAllowed and records the
 *   pod in status.disruptedPods itself, before the pod is even gone
 *   (k8s.io/kubernetes pkg/registry/core/pod/storage/eviction.go,
 *   checkAndDecrement); until the controller recounts, disruptedPods is not
 *   empty and disruptionsAllowed ≠ currentHealthy − desiredHealthy, the
 *   controller's own formula (pkg/controller/disruption/disruption.go,
 *   updatePdbStatus). A budget is only read once it has settled;
 * - it counts fewer healthy pods than the workload it selects reports ready:
 *   the disruption controller and the workload controller update their
 *   statuses independently, so right after pods become ready the PDB can lag
 *   for a moment; trusting it would flash Degraded and cost two writes.
 */
import { KubeObject } from './kube-object';

export interface DisruptionBudgetFinding {
  readonly name: string;
  readonly message: string;
}

/** A workload as the budget check needs it: its pod template labels and how many pods it reports ready. */
export interface CoveredWorkload {
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ready: number;
}

/** PDBs that block every eviction although they are up to date; sorted by name so messages are stable. */
export function blockingDisruptionBudgets(budgets: readonly KubeObject[], workloads: readonly CoveredWorkload[]): DisruptionBudgetFinding[] {
  const findings: DisruptionBudgetFinding[] = [];
  for (const pdb of [...budgets].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const status = pdb.status;
    if (!status || typeof status.disruptionsAllowed !== 'number') continue;
    if (num(status.observedGeneration) < num(pdb.metadata.generation)) continue;
    const expected = num(status.expectedPods);
    const healthy = num(status.currentHealthy);
    const required = num(status.desiredHealthy);
    if (expected === 0 || status.disruptionsAllowed > 0) continue;
    if (!settled(status)) continue;
    const covered = workloads.filter((w) => selects(pdb.spec?.selector, w.podLabels));
    if (covered.some((w) => w.ready > healthy)) continue;
    const message = healthy < required
      ? `PodDisruptionBudget ${pdb.metadata.name} blocks evictions: ${healthy} healthy of ${required} required (${expected} pods)`
      : `PodDisruptionBudget ${pdb.metadata.name} allows no disruptions with all ${healthy} pods healthy (${required} required): node drains will wait`;
    findings.push({ name: pdb.metadata.name, message });
  }
  return findings;
}

/** The disruption controller has counted every granted eviction: what it says is its own verdict. */
function settled(status: {
  disruptedPods?: Record<string, unknown>; disruptionsAllowed: number; currentHealthy?: number; desiredHealthy?: number;
}): boolean {
  if (status.disruptedPods && Object.keys(status.disruptedPods).length > 0) return false;
  return status.disruptionsAllowed === Math.max(0, num(status.currentHealthy) - num(status.desiredHealthy));
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** metav1.LabelSelector semantics; an empty selector selects everything (as policy/v1 defines it). */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(labels[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
