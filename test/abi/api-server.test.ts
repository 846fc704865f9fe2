import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { ABI_SAMPLES } from '../support/abi-samples';
import { dryRunApplyAll, restrictedNamespace, testOnlyCrds } from '../support/api-apply';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeObject } from '../support/kube-client';
import { objectsOf } from '../support/rendered';

/** The repository's AbiInstance samples and cluster profiles, rendered by the pipeline. */
function renderAbiSamples(): KubeObject[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-samples-'));
  for (const file of [...Object.values(ABI_SAMPLES), ...['dev', 'prod'].map((c) => path.join(ABI_SAMPLES.basic, '..', '..', c, 'cluster.yaml'))]) {
    if (!fs.existsSync(file)) continue;
    const rel = path.relative(path.join(ABI_SAMPLES.basic, '..', '..'), file);
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(file, path.join(root, rel));
  }
  // Argo CD and Flux objects need those tools installed; test/gitops validates them.
  const tree = synthesizeRepository(root);
  for (const file of [...tree.keys()]) {
    if (/^[^/]+\/(argocd|flux)\//.test(file)) tree.delete(file);
  }
  return objectsOf(tree);
}

describeWithApiServer('AbiInstance manifests against a real API server', () => {
  const plane = useControlPlane();
  const objects = renderAbiSamples();

  beforeAll(async () => {
    const client = plane().adminClient();
    await client.installCrds([...(renderCrdObjects() as KubeObject[]), ...testOnlyCrds()]);
    await restrictedNamespace(client, 'default');
  });

  test('GIVEN the rendered samples WHEN applied server-side THEN the Namespaces are accepted and enforce Pod Security restricted', async () => {
    const client = plane().adminClient();
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces.length).toBeGreaterThan(0);
    for (const ns of namespaces) {
      const res = await client.apply(ns);
      expect(res.status).toBeLessThan(300);
      expect((ns.metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  test('GIVEN every other rendered object WHEN dry-run applied server-side THEN zero errors and zero warnings', async () => {
    const rest = objects.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
    expect(rest.some((o) => o.kind === 'StatefulSet')).toBe(true);
    expect(rest.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(true);
    expect(await dryRunApplyAll(plane().adminClient(), rest)).toEqual([]);
  });

  test('GIVEN a pod that breaks Pod Security WHEN dry-run applied THEN the API server rejects it (the check can fail)', async () => {
    const sts = JSON.parse(JSON.stringify(objects.find((o) => o.kind === 'StatefulSet'))) as any;
    sts.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    const [outcome] = await dryRunApplyAll(plane().adminClient(), [sts]);
    expect(outcome.warnings.join(' ')).toContain('allowPrivilegeEscalation');
  });

  test('GIVEN an AbiInstance WHEN created for real THEN kubectl-style reads show its printer columns and scale subresource', async () => {
    const client = plane().adminClient();
    const cr = objects.find((o) => o.kind === 'AbiInstance' && o.metadata.name === 'abi-production')!;
    expect((await client.apply(cr)).status).toBe(201);
    await client.patchStatus('abi.io/v1', 'AbiInstance', 'abi', 'abi-production', {
      phase: 'Running', readyReplicas: 3, version: 'v1.0.0', health: { status: 'Healthy' },
    });
    const table = await client.request('GET', '/apis/abi.io/v1/namespaces/abi/abiinstances/abi-production', undefined, undefined,
      'application/json;as=Table;v=v1;g=meta.k8s.io');
    const columns = table.body.columnDefinitions.map((c: any) => c.name);
    expect(columns).toEqual(['Name', 'Replicas', 'Ready', 'Phase', 'Health', 'Version', 'Age', 'Endpoint', 'Message']);
    expect(table.body.rows[0].cells.slice(0, 6)).toEqual(['abi-production', 3, 3, 'Running', 'Healthy', 'v1.0.0']);
    const scale = await client.request('GET', '/apis/abi.io/v1/namespaces/abi/abiinstances/abi-production/scale');
    expect(scale.body.spec.replicas).toBe(3);
    expect(scale.body.status.replicas).toBe(3);
    const byShortName = await client.request('GET', '/apis/abi.io/v1');
    expect(byShortName.body.resources.find((r: any) => r.name === 'abiinstances').shortNames).toEqual(['abi', 'abis']);
  });
});
