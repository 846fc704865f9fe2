/** Cluster set-up shared by the reconciler's API-server tests and its benchmark. */
import * as fs from 'fs';
import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { KubeClient, KubeObject } from '../support/kube-client';
import { eventually } from './reconciler-process';

/**
 * Installs a CRD as the code renders it (the source of crds/*.yaml; the files
 * can lag behind until regenerated) and waits until the API server serves it.
 */
export async function installCrd(client: KubeClient, name: string): Promise<KubeObject> {
  const crd = (renderCrdObjects() as KubeObject[]).find((c) => c.metadata.name === name);
  if (!crd) throw new Error(`no CRD named ${name} is rendered`);
  const res = await client.apply(crd);
  if (res.status >= 300) throw new Error(`installing ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  await eventually(async () => {
    const got = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crd.metadata.name);
    return (got.body.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
  }, 30_000, `CRD ${crd.metadata.name} established`);
  client.forgetDiscovery();
  return crd;
}

export async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  const res = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status >= 300) throw new Error(`namespace ${name}: HTTP ${res.status}`);
}

/** A kubeconfig that authenticates with a bearer token (e.g. a ServiceAccount's). */
export function writeTokenKubeconfig(file: string, server: string, caFile: string, token: string, namespace = 'default'): string {
  const ca = fs.readFileSync(caFile).toString('base64');
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: testenv', '  cluster:', `    server: ${server}`, `    certificate-authority-data: ${ca}`,
    'users:', '- name: sa', '  user:', `    token: ${token}`,
    'contexts:', '- name: testenv', '  context:', '    cluster: testenv', '    user: sa', `    namespace: ${namespace}`,
    'current-context: testenv', '',
  ].join('\n'), { mode: 0o600 });
  return file;
}

export async function mustApply(client: KubeClient, obj: KubeObject): Promise<any> {
  const res = await client.apply(obj);
  if (res.status >= 300) throw new Error(`apply ${obj.kind} ${obj.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function mustPatchStatus(
  client: KubeClient, apiVersion: string, kind: string, namespace: string, name: string, status: unknown,
): Promise<any> {
  const res = await client.patchStatus(apiVersion, kind, namespace, name, status);
  if (res.status >= 300) throw new Error(`status of ${kind} ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
