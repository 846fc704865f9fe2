/**
 * Test helpers over rendered output: parse the in-memory tree the pipeline
 * produces and look objects up by kind and name.
 */
import * as yaml from 'js-yaml';
import { loadInstances } from '../../src/pipeline/load-instances';
import { renderClusters, OutputTree, synthesizeRepository } from '../../src/pipeline/synthesize';
import { KubeObject } from './kube-client';

export { renderClusters, loadInstances, synthesizeRepository };
export type { OutputTree };

/** Every Kubernetes object in the tree (kustomization files excluded), in file order. */
export function objectsOf(tree: OutputTree, prefix = ''): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [file, text] of [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!file.startsWith(prefix) || file.endsWith('kustomization.yaml')) continue;
    for (const doc of yaml.loadAll(text)) {
      if (doc && typeof doc === 'object' && 'kind' in (doc as object)) out.push(doc as KubeObject);
    }
  }
  return out;
}

export function find(objects: KubeObject[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Does the selector (matchLabels or a Service's plain selector) select pods with these labels? */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
