/**
 * A render worker thread (see render-pool.ts). Loaded by path from the compiled
 * library (lib/src/pipeline/render-worker.js). It receives the clusters'
 * profiles, then batches of instance jobs, and answers each batch, in its order, with every instance's
 * manifests.yaml text and inventory entries, or with the first error.
 */
import { parentPort } from 'worker_threads';
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { markSpecSchemaChecked } from './chart-schema-check';
import { renderInstance, RenderedInstance } from './render-instance';
import type { BatchReply, WorkerMessage } from './render-pool';

let profiles: readonly ResolvedClusterProfile[] = [];
// Definitions are code, so a worker knows the built-in products only (render-pool.ts).
const kinds = new Map(BUILT_IN_PRODUCTS.map((k) => [`${k.apiVersion}/${k.kind}`, k]));
const port = parentPort!;

port.on('message', (batch: WorkerMessage) => {
  if (batch.type === 'profiles') {
    profiles = batch.profiles;
    return;
  }
  const results: RenderedInstance[] = [];
  let reply: BatchReply;
  try {
    for (const job of batch.jobs) {
      const kind = kinds.get(job.kind);
      const where = `${job.cluster}/${job.metadata.namespace}/${job.metadata.name}`;
      if (!kind) throw new Error(`rendering ${where}: unknown kind ${job.kind}`);
      // The main thread's loader checked this spec against its schema (the mark did not survive the copy).
      markSpecSchemaChecked(job.spec);
      try {
        results.push(renderInstance(kind, job, profiles[job.profile]));
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        e.message = `rendering ${where} (in a render worker): ${e.message}`;
        throw e;
      }
    }
    reply = { id: batch.id, results };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: batch.id, error: { message: e.message, stack: e.stack } };
  }
  port.postMessage(reply);
});
