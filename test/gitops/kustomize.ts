/**
 * A test-side `kubectl kustomize` for the subset of Kustomize we render:
 * kustomization.yaml with `resources` naming files or folders, resolved
 * recursively. Anything else in a kustomization (a field we do not render, a
 * missing file, a folder without kustomization.yaml, an object twice) fails,
 * as kustomize itself would.
 */
import * as yaml from 'js-yaml';

export type FileTree = ReadonlyMap<string, string>;

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: any;
}

/** Every field kustomization.yaml may have in our output; anything else is a mistake. */
export const KUSTOMIZATION_SCHEMA: Record<string, any> = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  additionalProperties: false,
  properties: {
    apiVersion: { enum: ['kustomize.config.k8s.io/v1beta1'] },
    kind: { enum: ['Kustomization'] },
    resources: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
};

const KUSTOMIZATION_FIELDS = new Set(Object.keys(KUSTOMIZATION_SCHEMA.properties));

export function kustomizeBuild(files: FileTree, folder: string): KubeObject[] {
  const out: KubeObject[] = [];
  const ids = new Set<string>();
  const visit = (dir: string, stack: string[]) => {
    const file = `${dir}/kustomization.yaml`;
    const text = files.get(file);
    if (text === undefined) throw new Error(`${dir}: no kustomization.yaml`);
    if (stack.includes(dir)) throw new Error(`cycle: ${[...stack, dir].join(' → ')}`);
    const k = yaml.load(text) as Record<string, unknown>;
    if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') throw new Error(`${file}: not a Kustomization`);
    for (const key of Object.keys(k)) if (!KUSTOMIZATION_FIELDS.has(key)) throw new Error(`${file}: unexpected field ${key}`);
    for (const resource of (k.resources as string[]) ?? []) {
      const target = `${dir}/${resource}`;
      if (files.has(`${target}/kustomization.yaml`)) {
        visit(target, [...stack, dir]);
      } else if (files.has(target)) {
        for (const obj of yaml.loadAll(files.get(target)!) as KubeObject[]) {
          if (obj === null || obj === undefined) continue;
          const id = `${obj.apiVersion.split('/').length > 1 ? obj.apiVersion.split('/')[0] : ''}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
          if (ids.has(id)) throw new Error(`${target}: ${id} is already defined`);
          ids.add(id);
          out.push(obj);
        }
      } else {
        throw new Error(`${file}: resource ${resource} does not exist`);
      }
    }
  };
  visit(folder, []);
  return out;
}

/** Every file a build of `folder` reads (kustomization.yaml files included). */
export function filesReachedBy(files: FileTree, folder: string): Set<string> {
  const reached = new Set<string>();
  const visit = (dir: string) => {
    reached.add(`${dir}/kustomization.yaml`);
    const k = yaml.load(files.get(`${dir}/kustomization.yaml`)!) as { resources?: string[] };
    for (const resource of k.resources ?? []) {
      const target = `${dir}/${resource}`;
      if (files.has(`${target}/kustomization.yaml`)) visit(target);
      else reached.add(target);
    }
  };
  visit(folder);
  return reached;
}

/** Folders (relative paths) that hold at least one file. */
export function foldersOf(files: FileTree): string[] {
  const dirs = new Set<string>();
  for (const f of files.keys()) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}
