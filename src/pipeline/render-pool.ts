/**
 * Renders instances in worker threads. Rendering an instance (its constructs,
 * cdk8s's toJson(), the YAML dump) depends on nothing but the instance and its
 * cluster profile, so instances are split into batches that the workers pull;
 * each answer lands at its instance, never in completion order, so the output
 * is the sequential path's byte for byte. Workers send back the YAML text and
 * the inventory entries the per-cluster files need, not the objects.
 *
 * Threads: SYNTH_WORKERS=1 renders on the main thread only, SYNTH_WORKERS=n on
 * n threads (the main thread and n - 1 workers); unset (or "auto"), inputs of
 * PARALLEL_THRESHOLD instances or more use min(os.availableParallelism(),
 * MAX_AUTO_THREADS) threads and smaller ones stay on the main thread (a worker
 * costs ~0.2-0.3 s of CPU to start: it loads cdk8s, cdk8s-plus-27 and our
 * constructs again, and ~60 MiB). Measurements: BENCHMARKS.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { CLUSTER_PROFILE_FILE } from './cluster-profile-file';
import { LoadedCluster, LoadedInstance } from './load-instances';
import { InstanceJob, RenderedInstance, renderInstance } from './render-instance';

/** Instances from which the automatic choice renders in workers (measured: BENCHMARKS.md). */
export const PARALLEL_THRESHOLD = 200;
const MAX_AUTO_THREADS = 4;

const WORKER_SCRIPT = path.join(__dirname, 'render-worker.js');

interface WorkerJob extends InstanceJob {
  /** `${apiVersion}/${kind}` of the instance kind. */
  readonly kind: string;
  /** Index of the cluster's profile in the worker's profiles. */
  readonly profile: number;
}
export type WorkerMessage =
  | { readonly type: 'profiles'; readonly profiles: readonly ResolvedClusterProfile[] }
  | { readonly type: 'batch'; readonly id: number; readonly jobs: WorkerJob[] };
export type BatchReply =
  | { readonly id: number; readonly results: RenderedInstance[]; readonly error?: undefined }
  | { readonly id: number; readonly error: { message: string; stack?: string }; readonly results?: undefined };

/**
 * Instance files under `root` (every .yaml/.yml below a cluster folder but the
 * cluster profiles): a cheap estimate of the instance count, known before the
 * instances are loaded, so the workers can start up while this thread loads
 * and validates. 0 when root is not a directory (loadInstances reports that).
 */
export function countInstanceFiles(root: string): number {
  let count = 0;
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), depth + 1);
      else if (depth > 0 && /\.ya?ml$/.test(entry.name) && !(depth === 1 && entry.name === CLUSTER_PROFILE_FILE)) count++;
    }
  };
  walk(root, 0);
  return count;
}

/** How many threads render `instances` instances; 1 means the main thread only. */
export function renderThreadCount(instances: number, setting: string | undefined = process.env.SYNTH_WORKERS): number {
  const value = setting?.trim();
  if (value === undefined || value === '' || value === 'auto') {
    // Only the compiled library has the worker script (ts-jest and ts-node run src/ directly).
    if (instances < PARALLEL_THRESHOLD || !fs.existsSync(WORKER_SCRIPT)) return 1;
    return Math.max(1, Math.min(os.availableParallelism(), MAX_AUTO_THREADS));
  }
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 64) {
    throw new Error(`SYNTH_WORKERS="${setting}" is not valid: use "auto", 1 (render on the main thread) or a number of render threads up to 64 (the main thread included)`);
  }
  return Number(value);
}

/**
 * The main thread and threads - 1 worker threads, which start loading the
 * library as soon as the pool is created. render() once, then close().
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly exited = new Set<Worker>();
  private readonly errors: Error[] = [];

  constructor(readonly threads: number) {
    if (!fs.existsSync(WORKER_SCRIPT)) throw new Error(`render workers need the compiled library: ${WORKER_SCRIPT} does not exist (run npm run build, or set SYNTH_WORKERS=1)`);
    for (let w = 1; w < threads; w++) {
      const worker = new Worker(WORKER_SCRIPT);
      this.workers.push(worker);
      // Until render() listens: a worker that fails to start is reported there.
      worker.on('error', (err) => this.errors.push(new Error(`a render worker failed: ${err.stack ?? err.message}`)));
      worker.on('exit', () => this.exited.add(worker));
    }
  }

  /**
   * Renders every instance of `clusters` on this thread and the workers, all
   * pulling batches from one queue (this thread renders while the workers
   * finish starting up, and never sits idle waiting for them). Rejects with the
   * first failure; nothing is written here.
   */
  async render(clusters: readonly LoadedCluster[]): Promise<Map<LoadedInstance, RenderedInstance>> {
    const instances: LoadedInstance[] = [];
    const jobs: WorkerJob[] = [];
    clusters.forEach((cluster, profile) => {
      for (const instance of cluster.instances) {
        instances.push(instance);
        jobs.push({ kind: `${instance.kind.apiVersion}/${instance.kind.kind}`, profile, cluster: cluster.name, metadata: instance.metadata, spec: instance.spec });
      }
    });
    const results = new Map<LoadedInstance, RenderedInstance>();
    if (jobs.length === 0) return results;
    if (this.errors.length > 0) throw this.errors[0];

    // Small batches balance the load (instances differ in size, threads start at
    // different times) and keep this thread's turns short; two batches in flight
    // per worker keep it busy between replies.
    const batchSize = Math.max(4, Math.min(32, Math.ceil(jobs.length / (this.threads * 16))));
    const batches: number[] = [];
    for (let start = 0; start < jobs.length; start += batchSize) batches.push(start);
    const profiles = clusters.map((c) => c.profile);

    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const finished = (id: number, rendered: readonly RenderedInstance[]) => {
        rendered.forEach((result, i) => results.set(instances[batches[id] + i], result));
        if (++done === batches.length) resolve();
      };
      const dispatch = (worker: Worker) => {
        if (failed || next >= batches.length) return;
        const id = next++;
        worker.postMessage({ type: 'batch', id, jobs: jobs.slice(batches[id], batches[id] + batchSize) } satisfies WorkerMessage);
      };
      for (const worker of this.workers) {
        if (this.exited.has(worker)) {
          fail(new Error('a render worker exited before rendering its instances'));
          return;
        }
        worker.on('message', (reply: BatchReply) => {
          if (failed) return;
          if (reply.error) {
            const err = new Error(reply.error.message);
            if (reply.error.stack) err.stack = reply.error.stack;
            fail(err);
            return;
          }
          finished(reply.id, reply.results);
          dispatch(worker);
        });
        worker.on('error', (err) => fail(new Error(`a render worker failed: ${err.stack ?? err.message}`)));
        worker.on('exit', (code) => {
          if (done < batches.length) fail(new Error(`a render worker exited (code ${code}) before rendering its instances`));
        });
        worker.postMessage({ type: 'profiles', profiles } satisfies WorkerMessage);
        dispatch(worker);
        dispatch(worker);
      }
      // This thread's share: one batch per turn of the event loop, so worker replies are handled in between.
      const renderHere = () => {
        if (failed || next >= batches.length) return;
        const id = next++;
        const rendered: RenderedInstance[] = [];
        try {
          for (let i = batches[id]; i < Math.min(batches[id] + batchSize, jobs.length); i++) {
            rendered.push(renderInstance(instances[i].kind, jobs[i], profiles[jobs[i].profile]));
          }
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        finished(id, rendered);
        setImmediate(renderHere);
      };
      setImmediate(renderHere);
    });
    return results;
  }

  /** Stops every worker (idempotent). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
