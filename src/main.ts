/**
 * The synth entry point: `npx cdk8s synth` (cdk8s.yaml's app) and `npm run synth`.
 * Renders instances/ (or INSTANCES_DIR) into dist/ (or CDK8S_OUTDIR, which
 * `cdk8s synth -o DIR` sets). Invalid input, or any failure before the output
 * is written (in a render worker too): the problem on stderr, exit 1, and the
 * output directory left as it was.
 *
 * Large inputs render on several threads (src/pipeline/render-pool.ts;
 * SYNTH_WORKERS=1 forces the main thread, SYNTH_WORKERS=n uses n threads). The
 * workers start before the instances are loaded, so their start-up overlaps
 * loading and validation; the choice counts instance files to decide that early.
 */
import * as fs from 'fs';
import { loadInstances } from './pipeline/load-instances';
import { countInstanceFiles, RenderPool, renderThreadCount } from './pipeline/render-pool';
import { renderClusters, renderClustersInParallel } from './pipeline/synthesize';
import { formatProblem, SpecValidationError } from './pipeline/spec-error';
import { writeOutputTree } from './pipeline/write-output';

async function main(): Promise<number> {
  const instancesDir = process.env.INSTANCES_DIR ?? 'instances';
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const outdirExisted = fs.existsSync(outdir);
  let files;
  let pool: RenderPool | undefined;
  try {
    const threads = renderThreadCount(countInstanceFiles(instancesDir));
    pool = threads > 1 ? new RenderPool(threads) : undefined;
    const clusters = loadInstances(instancesDir, (w) => process.stderr.write(`warning: ${formatProblem(w)}\n`));
    files = pool ? await renderClustersInParallel(clusters, pool) : renderClusters(clusters);
  } catch (err) {
    const message = err instanceof SpecValidationError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`error: ${message}\n${untouchedNote(outdir, outdirExisted)}\n`);
    return 1;
  } finally {
    await pool?.close();
  }
  writeOutputTree(outdir, files);
  process.stdout.write(`rendered ${instancesDir} into ${outdir} (${files.size} files)\n`);
  return 0;
}

/**
 * What happened to the output directory on failure. This app never writes it
 * then, but `cdk8s synth` deletes it before it starts the app (and sets
 * CDK8S_RECORD_CONSTRUCT_METADATA for the app, which is how we know).
 */
function untouchedNote(outdir: string, existed: boolean): string {
  if (existed) return `${outdir} was left untouched.`;
  if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA !== undefined) {
    return `nothing was written to ${outdir}, but the cdk8s CLI removed it before running this app: restore it with \`git checkout -- ${outdir}\`; \`npm run synth\` keeps it on failure.`;
  }
  return `nothing was written to ${outdir}.`;
}

main().then((code) => { process.exitCode = code; });
