import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { OutputTree, synthesizeRepository } from '../../src/pipeline/synthesize';

/** Two clusters: alpha (defaults, kstatus, a VecodexSet) and beta (every GitOps setting overridden, CEL, an HPA). */
export const TWO_CLUSTERS = path.join(__dirname, '..', 'fixtures', 'gitops', 'two-clusters');

let cached: OutputTree | undefined;
/** The two-cluster rendering, computed once per test file. */
export function twoClusters(): OutputTree {
  cached ??= synthesizeRepository(TWO_CLUSTERS);
  return cached;
}

/** A writable copy of a fixture folder. */
export function copyFixture(from: string = TWO_CLUSTERS): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-fixture-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** Every document of one rendered file. */
export function documents(files: OutputTree, file: string): any[] {
  const text = files.get(file);
  if (text === undefined) throw new Error(`${file} was not rendered`);
  return (yaml.loadAll(text) as any[]).filter((d) => d !== null && d !== undefined);
}

/**
 * Every Argo CD (`argocd`) or Flux (`flux`) object of a cluster: the root
 * lists first, then each shard's (dist/<cluster>/<tool>/<namespace>/shard-<d>/),
 * argocd-cm.yaml and kustomization.yaml excluded.
 */
export function wiringDocuments(files: OutputTree, cluster: string, tool: 'argocd' | 'flux'): any[] {
  const prefix = `${cluster}/${tool}/`;
  const paths = [...files.keys()].filter((f) => f.startsWith(prefix) && !f.endsWith('/kustomization.yaml') && !f.endsWith('/argocd-cm.yaml'));
  const depth = (f: string) => f.split('/').length;
  paths.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  return paths.flatMap((f) => documents(files, f));
}
