/**
 * `npm run diff -- <git-ref>`: the rendered change between a git ref and the
 * working tree, per object (added, changed with a field-level diff, removed),
 * as Markdown for a pull request.
 *
 * The ref side is the ref's committed dist/ (what the GitOps tool applies
 * today; `npm run check` keeps it honest); the working-tree side is a fresh
 * render of instances/ with the working tree's code, so a reviewer sees the
 * change even before running synth.
 *
 * Environment: INSTANCES_DIR (default instances), CDK8S_OUTDIR (default dist).
 */
import { execFileSync } from 'child_process';
import { formatRenderedDiff, renderedDiff } from '../src/gitops/rendered-diff';
import { SpecValidationError } from '../src/pipeline/spec-error';
import { synthesizeRepository } from '../src/pipeline/synthesize';

/** Files under `dir` at `ref`, by path relative to `dir`. */
export function treeAtRef(ref: string, dir: string, cwd = process.cwd()): Map<string, string> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const prefix = dir.replace(/\/+$/, '');
  const files = new Map<string, string>();
  const listed = git('ls-tree', '-r', '-z', '--name-only', ref, '--', `${prefix}/`).split('\0').filter(Boolean);
  for (const file of listed) files.set(file.slice(prefix.length + 1), git('show', `${ref}:${file}`));
  return files;
}

if (require.main === module) {
  const ref = process.argv[2];
  if (!ref) {
    process.stderr.write('usage: npm run diff -- <git-ref>\n');
    process.exit(2);
  }
  const instancesDir = process.env.INSTANCES_DIR ?? 'instances';
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const diff = renderedDiff(treeAtRef(ref, outdir), synthesizeRepository(instancesDir));
    process.stdout.write(formatRenderedDiff(diff, `Rendered changes: ${ref} → working tree`));
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  }
}
