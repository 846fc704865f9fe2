/**
 * The status contract both custom resources share. The reconciler writes it;
 * kstatus, Flux health checks and the Argo CD Lua check read it; the CRDs
 * declare it. Keep the three in step by changing it here only.
 */

/** An instance's lifecycle phase (status.phase, the CRDs' Phase printer column). */
export type Phase = 'Pending' | 'Creating' | 'Running' | 'Updating' | 'Failed' | 'Terminating';
const PHASES: readonly Phase[] = ['Pending', 'Creating', 'Running', 'Updating', 'Failed', 'Terminating'];

/** The health verdict (status.health.status) Argo CD's and Flux's checks read. */
export type HealthStatus = 'Healthy' | 'Degraded' | 'Unhealthy' | 'Unknown';
const HEALTH_STATUSES: readonly HealthStatus[] = ['Healthy', 'Degraded', 'Unhealthy', 'Unknown'];

/** Condition types with kstatus meaning. Ready is always present. */
export const CONDITION_READY = 'Ready';
export const CONDITION_RECONCILING = 'Reconciling';
export const CONDITION_STALLED = 'Stalled';

/** metav1.Condition */
export interface Condition {
  /** Ready, Reconciling, Stalled or Available. */
  type: string;
  /** Whether the condition holds. */
  status: 'True' | 'False' | 'Unknown';
  /** The metadata.generation the condition was computed for. */
  observedGeneration?: number;
  /** RFC 3339 time the status last changed. */
  lastTransitionTime: string;
  /** CamelCase reason, e.g. Ready or ComponentUnavailable. */
  reason: string;
  /** What a human should know. */
  message: string;
}

/** status.health: the verdict and why. */
export interface Health {
  /** The verdict. */
  status: HealthStatus;
  /** Why, when not Healthy. */
  message?: string;
  /** RFC 3339 time of the verdict. */
  lastChecked?: string;
}

/** OpenAPI schema of a metav1.Condition list, as controller-gen renders it. */
export function conditionsSchema(): Record<string, unknown> {
  return {
    type: 'array',
    description: 'Conditions in metav1.Condition shape: Ready (always present), Reconciling, Stalled, and Available (present once the instance has served; False during an outage).',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
    items: {
      type: 'object',
      required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
      properties: {
        type: { type: 'string', maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' },
        status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
        observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
        lastTransitionTime: { type: 'string', format: 'date-time' },
        reason: { type: 'string', maxLength: 1024, minLength: 1, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' },
        message: { type: 'string', maxLength: 32768 },
      },
    },
  };
}

function healthSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      status: { type: 'string', enum: [...HEALTH_STATUSES] },
      message: { type: 'string' },
      lastChecked: { type: 'string', format: 'date-time' },
    },
  };
}

/**
 * The kstatus core of both status schemas: what Argo CD's Lua check, Flux and
 * kstatus read. Each CRD adds its own counts and endpoints around it.
 */
export function statusContractProperties(): Record<string, unknown> {
  return {
    phase: { type: 'string', enum: [...PHASES] },
    observedGeneration: { type: 'integer', format: 'int64' },
    health: healthSchema(),
    conditions: conditionsSchema(),
  };
}
