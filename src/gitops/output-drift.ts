/**
 * Compares a freshly rendered tree with what is on disk: the drift guard behind
 * `npm run check`. Committed dist/ must be exactly what synth renders, or the
 * GitOps tool applies something no reviewer saw.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface OutputDrift {
  /** Rendered, but missing on disk. */
  readonly missing: string[];
  /** On disk, but no longer rendered (stale: would never be pruned). */
  readonly extra: string[];
  /** On disk with other content. */
  readonly changed: string[];
}

export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

export function outputDrift(rendered: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>): OutputDrift {
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  return {
    missing: sorted([...rendered.keys()].filter((f) => !onDisk.has(f))),
    extra: sorted([...onDisk.keys()].filter((f) => !rendered.has(f))),
    changed: sorted([...rendered.keys()].filter((f) => onDisk.has(f) && onDisk.get(f) !== rendered.get(f))),
  };
}

export function hasDrift(drift: OutputDrift): boolean {
  return drift.missing.length + drift.extra.length + drift.changed.length > 0;
}

export function formatDrift(drift: OutputDrift, outdir: string): string {
  const lines = [
    ...drift.changed.map((f) => `  changed: ${outdir}/${f}`),
    ...drift.missing.map((f) => `  missing: ${outdir}/${f}`),
    ...drift.extra.map((f) => `  stale:   ${outdir}/${f}`),
  ];
  return lines.join('\n');
}
