/**
 * A valid repository whose output cannot be written: the failure is one
 * reported line naming the output path, exit 1, no stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { abi, runSynth, workspace } from './support';

describe('synth when the output cannot be written', () => {
  test('GIVEN CDK8S_OUTDIR below a regular file WHEN synth runs THEN it exits 1 naming the output path, without a stack trace', () => {
    const { base, root } = workspace({ 'dev/a.yaml': abi('a') });
    try {
      const blocker = path.join(base, 'not-a-dir');
      fs.writeFileSync(blocker, 'a file\n');
      const outdir = path.join(blocker, 'dist');

      const run = runSynth(root, outdir);

      expect(run.timedOut).toBe(false);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`error: cannot write the output to ${outdir}: `);
      expect(run.stderr).toContain(`nothing was written to ${outdir}.`);
      expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(fs.readFileSync(blocker, 'utf8')).toBe('a file\n');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
