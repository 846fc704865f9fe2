/**
 * The "already-built objects" both references start from: every output file
 * of a real synthesis, parsed back into plain objects (one array of YAML
 * documents per file). Serializing them again with src/pipeline/yaml.ts gives
 * the same bytes, which run.ts checks.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

export interface ObjectsFile {
  /** [path relative to the output dir, documents] in path order. */
  readonly files: Array<[string, unknown[]]>;
}

export function readTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...readTree(dir, child));
    else out.push(child);
  }
  return out;
}

export function objectsOfTree(dir: string): ObjectsFile {
  return {
    files: readTree(dir).map((rel) => [rel, yaml.loadAll(fs.readFileSync(path.join(dir, rel), 'utf8')).filter((d) => d !== null && d !== undefined)]),
  };
}

/** Kubernetes objects in the tree, without the kustomization.yaml files. */
export function countObjects(objects: ObjectsFile): { objects: number; kustomizations: number } {
  let count = 0;
  let kustomizations = 0;
  for (const [rel, docs] of objects.files) {
    if (rel.endsWith('kustomization.yaml')) kustomizations += docs.length;
    else count += docs.length;
  }
  return { objects: count, kustomizations };
}
