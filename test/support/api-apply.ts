/** Proving rendered output with a real API server: server-side dry-run apply of every object. */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { KubeClient, KubeObject } from './kube-client';

export const TEST_CRDS_DIR = path.join(__dirname, '..', 'fixtures', 'crds');

export function testOnlyCrds(): KubeObject[] {
  return fs.readdirSync(TEST_CRDS_DIR).sort().map((f) => yaml.load(fs.readFileSync(path.join(TEST_CRDS_DIR, f), 'utf8')) as KubeObject);
}

/** Labels a namespace so the API server enforces Pod Security "restricted" on it. */
export async function restrictedNamespace(client: KubeClient, name: string): Promise<void> {
  const level = 'restricted';
  const res = await client.apply({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/warn': level, 'pod-security.kubernetes.io/audit': level } },
  });
  if (res.status >= 300) throw new Error(`namespace ${name}: ${JSON.stringify(res.body)}`);
}

export interface DryRunOutcome {
  readonly object: string;
  readonly status: number;
  readonly message?: string;
  readonly warnings: string[];
}

/** Dry-run applies each object; returns the ones that failed or drew warnings. */
export async function dryRunApplyAll(client: KubeClient, objects: KubeObject[]): Promise<DryRunOutcome[]> {
  const bad: DryRunOutcome[] = [];
  for (const obj of objects) {
    const res = await client.apply(obj, { dryRun: true });
    if (res.status >= 300 || res.warnings.length > 0) {
      bad.push({ object: `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, status: res.status, message: res.body?.message, warnings: res.warnings });
    }
  }
  return bad;
}
