import { dryRunApplyAll, restrictedNamespace, testOnlyCrds } from '../support/api-apply';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeObject } from '../support/kube-client';
import { documents, twoClusters } from './fixtures';
import { kustomizeBuild } from './kustomize';

describeWithApiServer('GitOps folders against a real API server', () => {
  const plane = useControlPlane();
  const files = twoClusters();

  test('GIVEN platform/ of each cluster WHEN applied server-side THEN the CRDs are accepted without warnings', async () => {
    const client = plane().adminClient();
    for (const cluster of ['alpha', 'beta']) {
      const platform = kustomizeBuild(files, `${cluster}/platform`) as KubeObject[];
      expect(platform.map((o) => o.kind)).toContain('CustomResourceDefinition');
      for (const obj of platform) {
        const res = await client.apply(obj);
        expect({ object: `${obj.kind}/${obj.metadata.name}`, status: res.status < 300, warnings: res.warnings }).toEqual({ object: `${obj.kind}/${obj.metadata.name}`, status: true, warnings: [] });
      }
    }
    // The Prometheus Operator's CRD, which beta's profile says is installed.
    await client.installCrds(testOnlyCrds());
  });

  test.each(['alpha', 'beta'])('GIVEN cluster %s built like `kubectl kustomize` WHEN its Namespaces are applied and every other object dry-run applied server-side THEN zero errors and zero warnings', async (cluster) => {
    const client = plane().adminClient();
    const objects = kustomizeBuild(files, cluster) as KubeObject[];
    await restrictedNamespace(client, 'default');
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      const res = await client.apply(ns);
      expect(res.status).toBeLessThan(300);
      expect(res.warnings).toEqual([]);
    }
    const rest = objects.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
    expect(rest.some((o) => o.kind === 'AbiInstance')).toBe(true);
    expect(await dryRunApplyAll(client, rest)).toEqual([]);
  });

  test.each(['alpha', 'beta'])('GIVEN cluster %s argocd-cm.yaml (the one core object outside the cluster build) WHEN dry-run applied into Argo CD\'s namespace THEN zero errors and zero warnings', async (cluster) => {
    const client = plane().adminClient();
    const cm = documents(files, `${cluster}/argocd/argocd-cm.yaml`)[0] as KubeObject;
    const ns = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: cm.metadata.namespace! } });
    expect(ns.status).toBeLessThan(300);
    expect(await dryRunApplyAll(client, [cm])).toEqual([]);
  });
});
