/**
 * In-process breakdown of one synthesis, for the benchmark's report (not a
 * reference): load+validate, render (construct + toJson + YAML, on the threads
 * the entry point would use: SYNTH_WORKERS or the automatic choice), write+swap.
 * Usage: node phases.js INSTANCES_DIR OUTDIR
 */
import { loadInstances } from '../src/pipeline/load-instances';
import { countInstanceFiles, RenderPool, renderThreadCount } from '../src/pipeline/render-pool';
import { renderClusters, renderClustersInParallel } from '../src/pipeline/synthesize';
import { writeOutputTree } from '../src/pipeline/write-output';

async function main(): Promise<void> {
  const [instancesDir, outdir] = process.argv.slice(2);
  const t0 = performance.now();
  // As src/main.ts: the workers start before the instances are loaded.
  const threads = renderThreadCount(countInstanceFiles(instancesDir));
  const pool = threads > 1 ? new RenderPool(threads) : undefined;
  const clusters = loadInstances(instancesDir);
  const t1 = performance.now();
  const files = pool ? await renderClustersInParallel(clusters, pool) : renderClusters(clusters);
  await pool?.close();
  const t2 = performance.now();
  const heapAfterRender = process.memoryUsage().heapUsed;
  writeOutputTree(outdir, files);
  const t3 = performance.now();
  let bytes = 0;
  for (const content of files.values()) bytes += Buffer.byteLength(content);
  process.stdout.write(`${JSON.stringify({
    threads, loadMs: t1 - t0, renderMs: t2 - t1, writeMs: t3 - t2, totalMs: t3 - t0,
    files: files.size, outputBytes: bytes, heapAfterRenderBytes: heapAfterRender,
    maxRssKiB: process.resourceUsage().maxRSS,
  })}\n`);
}

void main();
