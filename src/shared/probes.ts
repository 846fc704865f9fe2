/**
 * Probe shapes. AI servers load models for minutes and answer on a
 * single-threaded accept loop, so the startup probe carries the slow start and
 * liveness stays tolerant; readiness is the quick signal.
 */
import { k8s } from 'cdk8s-plus-27';

export interface ProbeSet {
  readonly startupProbe: k8s.Probe;
  readonly livenessProbe: k8s.Probe;
  readonly readinessProbe: k8s.Probe;
}

export interface ProbeTimings {
  /** Longest start-up (e.g. model loading) before the container is restarted. @default 300 */
  readonly startupBudgetSeconds?: number;
}

type Action = Pick<k8s.Probe, 'httpGet' | 'tcpSocket'>;

function probes(action: Action, timings: ProbeTimings): ProbeSet {
  const period = 10;
  const budget = timings.startupBudgetSeconds ?? 300;
  return {
    startupProbe: { ...action, periodSeconds: period, timeoutSeconds: 5, failureThreshold: Math.ceil(budget / period) },
    // Only runs after the startup probe passed; 3 misses over a minute before a restart.
    livenessProbe: { ...action, periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 3 },
    readinessProbe: { ...action, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  };
}

/** HTTP GET probes on a named container port. */
export function httpProbes(path: string, portName: string, timings: ProbeTimings = {}): ProbeSet {
  return probes({ httpGet: { path, port: k8s.IntOrString.fromString(portName) } }, timings);
}

/** HTTP GET probes whose paths differ by purpose (a server with a health endpoint per question). */
export function httpProbesByPurpose(paths: { readonly startup: string; readonly liveness: string; readonly readiness: string },
  portName: string, timings: ProbeTimings = {}): ProbeSet {
  const port = k8s.IntOrString.fromString(portName);
  const set = probes({}, timings);
  return {
    startupProbe: { httpGet: { path: paths.startup, port }, ...set.startupProbe },
    livenessProbe: { httpGet: { path: paths.liveness, port }, ...set.livenessProbe },
    readinessProbe: { httpGet: { path: paths.readiness, port }, ...set.readinessProbe },
  };
}

/** TCP connect probes, for servers with no health endpoint (e.g. gRPC without grpc.health.v1). */
export function tcpProbes(portName: string, timings: ProbeTimings = {}): ProbeSet {
  return probes({ tcpSocket: { port: k8s.IntOrString.fromString(portName) } }, timings);
}
