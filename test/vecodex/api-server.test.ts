import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { dryRunApplyAll, restrictedNamespace, testOnlyCrds } from '../support/api-apply';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeObject } from '../support/kube-client';
import { loadVecodex, renderVecodex, SAMPLES } from './support';

describeWithApiServer('VecodexSet manifests against a real API server', () => {
  const plane = useControlPlane();
  const objects = SAMPLES.flatMap((file) => renderVecodex(file) as KubeObject[]);

  beforeAll(async () => {
    const client = plane().adminClient();
    await client.installCrds([...(renderCrdObjects() as KubeObject[]), ...testOnlyCrds()]);
    for (const ns of new Set(SAMPLES.map((f) => loadVecodex(f).namespace))) await restrictedNamespace(client, ns);
  });

  test('GIVEN every rendered object of every sample WHEN dry-run applied server-side in restricted namespaces THEN zero errors and zero warnings', async () => {
    expect(objects.some((o) => o.kind === 'StatefulSet')).toBe(true);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(true);
    expect(objects.some((o) => o.kind === 'Ingress')).toBe(true);
    // The per-shard headless Services the writer and the coordinator wait on.
    expect(objects.filter((o) => o.kind === 'Service' && /^full-searcher-\d$/.test(o.metadata.name)).map((o) => o.metadata.name)).toEqual(['full-searcher-0', 'full-searcher-1']);
    expect(await dryRunApplyAll(plane().adminClient(), objects)).toEqual([]);
  });

  test('GIVEN a searcher that runs as root WHEN dry-run applied THEN Pod Security warns (the check can fail)', async () => {
    const d = JSON.parse(JSON.stringify(objects.find((o) => o.kind === 'Deployment'))) as any;
    d.spec.template.spec.securityContext.runAsNonRoot = false;
    d.spec.template.spec.containers[0].securityContext.runAsNonRoot = false;
    const [outcome] = await dryRunApplyAll(plane().adminClient(), [d]);
    expect(outcome.warnings.join(' ')).toContain('runAsNonRoot');
  });

  test('GIVEN the upstream sample WHEN applied unchanged as a VecodexSet THEN the API server accepts it and shows the printer columns', async () => {
    const client = plane().adminClient();
    const cr = objects.find((o) => o.kind === 'VecodexSet' && o.metadata.name === 'vecodexset-sample')!;
    const res = await client.apply(cr);
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([]);
    // Nothing pruned: what we sent is what is stored.
    expect(res.body.spec).toEqual(loadVecodex(SAMPLES[0]).wire);
    await client.patchStatus('apps.vecodex.link/v1alpha1', 'VecodexSet', 'default', 'vecodexset-sample', {
      phase: 'Running', readyReplicas: 5, health: { status: 'Healthy' },
      components: { 'searcher-0': { kind: 'Deployment', name: 'vecodexset-sample-searcher', replicas: 3, readyReplicas: 3 } },
    });
    const table = await client.request('GET', '/apis/apps.vecodex.link/v1alpha1/namespaces/default/vecodexsets/vecodexset-sample', undefined, undefined,
      'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Coordinators', 'Writers', 'Searchers', 'Ready', 'Phase', 'Health', 'Host', 'Age', 'Endpoint', 'Message']);
    expect(table.body.rows[0].cells.slice(0, 8)).toEqual(['vecodexset-sample', 1, 1, 3, 5, 'Running', 'Healthy', 'search.vecodex.link']);
  });
});
