/**
 * The StatusReconciler construct's RBAC against a real API server: proven
 * with SubjectAccessReview, then by running the compiled reconciler with a
 * token of the rendered ServiceAccount until a custom resource converges.
 */
import * as path from 'path';
import { Testing } from 'cdk8s';
import { StatusReconciler } from '../../src/reconciler/status-reconciler';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeClient } from '../support/kube-client';
import { ensureNamespace, installCrd, mustApply, mustPatchStatus, writeTokenKubeconfig } from './cluster';
import { abiInstance, rolledOut, workload } from './fixtures';
import { ensureBuilt, eventually, ReconcilerProcess } from './reconciler-process';

const NS = 'cdk8s-abi-vecodex-system';
const SA = 'cdk8s-abi-vecodex-status-reconciler';

describeWithApiServer('StatusReconciler RBAC against a real API server', () => {
  const plane = useControlPlane();
  let client: KubeClient;
  let objects: any[];

  beforeAll(async () => {
    client = plane().adminClient();
    await installCrd(client, 'abiinstances.abi.io');
    await installCrd(client, 'vecodexsets.apps.vecodex.link');
    const chart = Testing.chart();
    new StatusReconciler(chart, 'reconciler');
    objects = Testing.synth(chart);
  }, 120_000);

  test('GIVEN the synthesized objects WHEN applied THEN the API server accepts all of them without Pod Security warnings', async () => {
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ServiceAccount', 'ClusterRole', 'Deployment']));
    for (const obj of objects) {
      const res = await client.apply(obj);
      expect({ object: `${obj.kind}/${obj.metadata.name}`, status: res.status < 300 ? 'ok' : res.body.message, warnings: res.warnings })
        .toEqual({ object: `${obj.kind}/${obj.metadata.name}`, status: 'ok', warnings: [] });
    }
  });

  async function can(verb: string, resource: string, opts: { group?: string; namespace?: string; subresource?: string } = {}): Promise<boolean> {
    const res = await client.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${NS}:${SA}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'],
        resourceAttributes: { verb, resource, group: opts.group ?? '', namespace: opts.namespace, subresource: opts.subresource },
      },
    });
    if (res.status !== 201) throw new Error(`SubjectAccessReview: HTTP ${res.status}`);
    return res.body.status.allowed === true;
  }

  test.each([
    ['update', 'abiinstances', { group: 'abi.io', namespace: 'team-a', subresource: 'status' }],
    ['patch', 'abiinstances', { group: 'abi.io', namespace: 'team-a', subresource: 'status' }],
    ['update', 'vecodexsets', { group: 'apps.vecodex.link', namespace: 'team-a', subresource: 'status' }],
    ['watch', 'abiinstances', { group: 'abi.io' }],
    ['list', 'deployments', { group: 'apps' }],
    ['watch', 'statefulsets', { group: 'apps' }],
    ['list', 'horizontalpodautoscalers', { group: 'autoscaling' }],
    ['watch', 'ingresses', { group: 'networking.k8s.io' }],
    ['list', 'services', {}],
    ['watch', 'poddisruptionbudgets', { group: 'policy' }],
    ['list', 'poddisruptionbudgets', { group: 'policy' }],
    ['patch', 'events', { namespace: 'team-a' }],
    ['create', 'events', { namespace: 'team-a' }],
    ['update', 'leases', { group: 'coordination.k8s.io', namespace: NS }],
    ['create', 'leases', { group: 'coordination.k8s.io', namespace: NS }],
  ])('GIVEN the reconciler ServiceAccount WHEN asked to %s %s (%j) THEN it is allowed', async (verb, resource, opts) => {
    expect(await can(verb, resource, opts)).toBe(true);
  });

  test.each([
    ['create', 'deployments', { group: 'apps', namespace: 'team-a' }],
    ['update', 'deployments', { group: 'apps', namespace: 'team-a' }],
    ['delete', 'deployments', { group: 'apps', namespace: 'team-a' }],
    ['delete', 'abiinstances', { group: 'abi.io', namespace: 'team-a' }],
    ['update', 'abiinstances', { group: 'abi.io', namespace: 'team-a' }],
    ['delete', 'services', { namespace: 'team-a' }],
    ['update', 'poddisruptionbudgets', { group: 'policy', namespace: 'team-a' }],
    ['create', 'pods', { subresource: 'eviction', namespace: 'team-a' }],
    ['delete', 'leases', { group: 'coordination.k8s.io', namespace: NS }],
    ['get', 'secrets', { namespace: 'team-a' }],
    ['list', 'secrets', {}],
    ['get', 'secrets', { namespace: NS }],
    ['update', 'leases', { group: 'coordination.k8s.io', namespace: 'kube-system' }],
    ['list', 'pods', {}],
  ])('GIVEN the reconciler ServiceAccount WHEN asked to %s %s (%j) THEN it is denied', async (verb, resource, opts) => {
    expect(await can(verb, resource, opts)).toBe(false);
  });

  test('GIVEN only the ServiceAccount token WHEN the reconciler runs THEN it leads, writes status and logs no permission errors', async () => {
    ensureBuilt();
    const tokenRes = await client.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts/${SA}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 },
    });
    expect(tokenRes.status).toBe(201);
    const kubeconfig = writeTokenKubeconfig(path.join(plane().dir, 'reconciler-sa.kubeconfig'), plane().url, plane().caFile, tokenRes.body.status.token, NS);
    await ensureNamespace(client, 'team-a');
    const proc = await ReconcilerProcess.start([`--kubeconfig=${kubeconfig}`, `--lease-namespace=${NS}`, '--retry-period=0.5', '--lease-duration=4', '--renew-deadline=3']);
    try {
      await proc.waitForLog((e) => e.msg === 'became leader');
      await mustApply(client, abiInstance('svc', { replicas: 1, storage: { enabled: false } }, { namespace: 'team-a' }) as any);
      const created = await mustApply(client, workload({ name: 'svc', namespace: 'team-a', replicas: 1 }) as any);
      await mustPatchStatus(client, 'apps/v1', 'Deployment', 'team-a', 'svc', rolledOut(1, 1, created.metadata.generation));
      await eventually(async () => (await client.get('abi.io/v1', 'AbiInstance', 'team-a', 'svc')).body.status?.phase === 'Running', 30_000, 'Running');
      await eventually(async () => {
        const res = await client.request('GET', '/api/v1/namespaces/team-a/events');
        return res.body.items.some((e: any) => e.involvedObject.name === 'svc' && e.reason === 'Running');
      }, 30_000, 'event written with the ServiceAccount');
      expect(proc.logs.filter((e) => e.level === 'error' || (e.level === 'warn' && /403|forbidden/i.test(JSON.stringify(e))))).toEqual([]);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });
});
