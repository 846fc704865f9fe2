/**
 * `npm run check`: re-renders instances/ into a temporary directory and fails,
 * listing the files, when the committed output differs. Rendering to a temp
 * dir (through the same writer as synth) checks exactly the bytes synth writes.
 *
 * Environment: INSTANCES_DIR (default instances), CDK8S_OUTDIR (default dist).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDrift, hasDrift, outputDrift, readTree } from '../src/gitops/output-drift';
import { SpecValidationError } from '../src/pipeline/spec-error';
import { synthesizeRepository } from '../src/pipeline/synthesize';
import { writeOutputTree } from '../src/pipeline/write-output';

export function checkDist(instancesDir: string, outdir: string): { ok: boolean; report: string } {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-dist-'));
  try {
    writeOutputTree(path.join(temp, 'out'), synthesizeRepository(instancesDir));
    const drift = outputDrift(readTree(path.join(temp, 'out')), readTree(outdir));
    if (!hasDrift(drift)) return { ok: true, report: `${outdir} is up to date with ${instancesDir}` };
    return {
      ok: false,
      report: `${outdir} differs from what ${instancesDir} renders:\n${formatDrift(drift, outdir)}\nRun \`npm run synth\` and commit ${outdir}/.`,
    };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const instancesDir = process.env.INSTANCES_DIR ?? 'instances';
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const { ok, report } = checkDist(instancesDir, outdir);
    (ok ? process.stdout : process.stderr).write(`${report}\n`);
    process.exitCode = ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  }
}
