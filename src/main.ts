/**
 * The synth entry point: `npx cdk8s synth` (cdk8s.yaml's app) and `npm run synth`.
 * Renders instances/ (or INSTANCES_DIR) into dist/ (or CDK8S_OUTDIR, which
 * `cdk8s synth -o DIR` sets). Invalid input: every problem on stderr, exit 1,
 * and the output directory left as it was.
 */
import { loadInstances } from './pipeline/load-instances';
import { renderClusters } from './pipeline/synthesize';
import { formatProblem, SpecValidationError } from './pipeline/spec-error';
import { writeOutputTree } from './pipeline/write-output';

function main(): number {
  const instancesDir = process.env.INSTANCES_DIR ?? 'instances';
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const clusters = loadInstances(instancesDir, (w) => process.stderr.write(`warning: ${formatProblem(w)}\n`));
    const files = renderClusters(clusters);
    writeOutputTree(outdir, files);
    process.stdout.write(`rendered ${instancesDir} into ${outdir} (${files.size} files)\n`);
    return 0;
  } catch (err) {
    if (err instanceof SpecValidationError) {
      process.stderr.write(`error: ${err.message}\n${outdir} was left untouched.\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = main();
