import * as fs from 'fs';
import * as path from 'path';
import { OutputTree } from './synthesize';

/**
 * Replaces `outdir` with exactly `files`: written to a sibling temp dir first,
 * then swapped in by rename, so a failure leaves the previous output intact and
 * removed instances leave no stale files behind.
 */
export function writeOutputTree(outdir: string, files: OutputTree): void {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
  let moved: string | undefined;
  try {
    const dirs = new Set<string>();
    for (const rel of [...files.keys()].sort()) {
      const dir = path.dirname(path.join(staging, rel));
      if (!dirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      fs.writeFileSync(path.join(staging, rel), files.get(rel)!);
    }
    moved = fs.existsSync(target) ? `${staging.replace('.new-', '.old-')}` : undefined;
    if (moved) fs.renameSync(target, moved);
    fs.renameSync(staging, target);
    if (moved) fs.rmSync(moved, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    // The previous output goes back where it was if the swap failed half-way.
    if (moved && fs.existsSync(moved) && !fs.existsSync(target)) fs.renameSync(moved, target);
    throw err;
  }
}
