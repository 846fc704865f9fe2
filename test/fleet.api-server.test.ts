import { renderCrdObjects } from '../src/pipeline/crd-files';
import { dryRunApplyAll, restrictedNamespace, testOnlyCrds } from './support/api-apply';
import { describeWithApiServer, useControlPlane } from './support/api-server';
import { renderedFleets } from './support/fleet';
import { KubeObject } from './support/kube-client';

describeWithApiServer('the generated mix of every shape against a real API server', () => {
  const plane = useControlPlane();
  const mix = renderedFleets().find((f) => f.name === 'generated mix')!;

  test('GIVEN every object of the mix (NetworkPolicies with named ports and selectors, digests, spread, ephemeral storage) WHEN dry-run applied server-side in restricted namespaces THEN zero errors and zero warnings', async () => {
    const client = plane().adminClient();
    await client.installCrds([...(renderCrdObjects() as KubeObject[]), ...testOnlyCrds()]);
    const objects = mix.objects.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace');
    const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined));
    for (const ns of namespaces) await restrictedNamespace(client, ns);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(10);
    // Dry-run persists nothing, so the clusters' same-named platform objects do not collide.
    expect(await dryRunApplyAll(client, objects)).toEqual([]);
  }, 120_000);
});
