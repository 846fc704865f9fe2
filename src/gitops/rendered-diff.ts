/**
 * The rendered change between two output trees, per object: what a reviewer
 * needs to see in a pull request, because it is what Argo CD or Flux will apply.
 * Objects are keyed by cluster, group, kind, namespace and name, so moving an
 * object between files is no change; kustomization.yaml files are objects too.
 */
import * as yaml from 'js-yaml';
import { ApplyHazard, applyHazards } from './apply-hazards';
import { FieldChange, ObjectChanges } from './object-changes';
import { kustomizationKey, objectKey } from './object-key';

export interface RenderedDiff extends ObjectChanges {
  /** Changes the API server will refuse, or that strand data (apply-hazards.ts). */
  readonly hazards: ApplyHazard[];
}

type Tree = ReadonlyMap<string, string>;

export function objectsByKey(tree: Tree): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const file of [...tree.keys()].sort()) {
    if (!/\.ya?ml$/.test(file)) continue;
    const cluster = file.split('/')[0];
    for (const doc of yaml.loadAll(tree.get(file)!) as any[]) {
      if (doc === null || typeof doc !== 'object') continue;
      const key = doc.kind === 'Kustomization' && doc.apiVersion?.startsWith('kustomize.config.k8s.io/')
        ? kustomizationKey(cluster, file)
        : objectKey(cluster, doc);
      out.set(key, doc);
    }
  }
  return out;
}

export function renderedDiff(before: Tree, after: Tree): RenderedDiff {
  const a = objectsByKey(before);
  const b = objectsByKey(after);
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  const changed: RenderedDiff['changed'] = [];
  for (const key of sorted(b.keys())) {
    if (!a.has(key)) continue;
    const fields = fieldChanges(a.get(key), b.get(key), '');
    if (fields.length > 0) changed.push({ object: key, fields });
  }
  const diff = {
    added: sorted([...b.keys()].filter((k) => !a.has(k))),
    removed: sorted([...a.keys()].filter((k) => !b.has(k))),
    changed,
  };
  return { ...diff, hazards: applyHazards(diff, a) };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Lists of objects that all carry a unique name are compared by name (containers, ports, env). */
function byName(list: unknown[]): Map<string, unknown> | undefined {
  if (!list.every((x) => isObject(x) && typeof x.name === 'string')) return undefined;
  const m = new Map(list.map((x) => [(x as { name: string }).name, x] as [string, unknown]));
  return m.size === list.length ? m : undefined;
}

export function fieldChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  const join = (key: string) => (path === '' ? key : /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], join(k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = byName(before);
    const b = byName(after);
    if (a && b && before.length > 0 && after.length > 0) {
      const names = [...new Set([...a.keys(), ...b.keys()])].sort();
      return names.flatMap((n) => fieldChanges(a.get(n), b.get(n), `${path}[${n}]`));
    }
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => fieldChanges(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

const show = (v: unknown) => (typeof v === 'string' && !v.includes('\n') ? v : JSON.stringify(v));

/** Markdown, ready for a pull request comment. */
export function formatRenderedDiff(diff: RenderedDiff, title: string): string {
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) return `### ${title}\n\nNo rendered change.\n`;
  const lines = [`### ${title}`, '', `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed`, ''];
  if (diff.hazards.length > 0) {
    lines.push('**Needs attention before merging**', '', ...diff.hazards.map((h) => `- \`${h.object}\` ${h.message}`), '');
  }
  if (diff.added.length > 0) lines.push('**Added**', '', ...diff.added.map((k) => `- \`${k}\``), '');
  if (diff.removed.length > 0) lines.push('**Removed**', '', ...diff.removed.map((k) => `- \`${k}\``), '');
  if (diff.changed.length > 0) {
    lines.push('**Changed**', '');
    for (const c of diff.changed) {
      lines.push(`- \`${c.object}\``, '', '  ```diff');
      for (const f of c.fields) {
        if (f.before !== undefined) lines.push(`  - ${f.path}: ${show(f.before)}`);
        if (f.after !== undefined) lines.push(`  + ${f.path}: ${show(f.after)}`);
      }
      lines.push('  ```', '');
    }
  }
  return lines.join('\n');
}
