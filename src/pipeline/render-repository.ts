/**
 * Every check and render step synth runs, in memory: what `npm run synth`
 * writes out and `npm run validate` throws away. One function for both, so a
 * check added to loadInstances or renderClusters* is a check of both.
 *
 * Large inputs render on several threads (src/pipeline/render-pool.ts;
 * SYNTH_WORKERS=1 forces the main thread, SYNTH_WORKERS=n uses n threads). The
 * workers start before the instances are loaded, so their start-up overlaps
 * loading and validation; the choice counts instance files to decide that early.
 */
import { loadInstances } from './load-instances';
import { countInstanceFiles, RenderPool, renderThreadCount } from './render-pool';
import { SpecProblem } from './spec-error';
import { OutputTree, renderClusters, renderClustersInParallel } from './synthesize';

/** The input of synth and validate: instances/, or INSTANCES_DIR. */
export function instancesDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.INSTANCES_DIR ?? 'instances';
}

/**
 * What `npm run synth` and `npm run validate` run: loads, validates and renders
 * an instances directory, on several threads when it is large (SYNTH_WORKERS).
 * @param onWarning receives the problems that do not stop synthesis
 * @throws SpecValidationError listing every problem of the run
 */
export async function renderRepository(instancesDir: string, onWarning: (warning: SpecProblem) => void): Promise<OutputTree> {
  let pool: RenderPool | undefined;
  try {
    const threads = renderThreadCount(countInstanceFiles(instancesDir));
    pool = threads > 1 ? new RenderPool(threads) : undefined;
    const clusters = loadInstances(instancesDir, onWarning);
    return pool ? await renderClustersInParallel(clusters, pool) : renderClusters(clusters);
  } finally {
    await pool?.close();
  }
}
