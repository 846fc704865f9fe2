import { describeWithApiServer, useControlPlane } from './support/api-server';

describeWithApiServer('envtest-style control plane', () => {
  const plane = useControlPlane();

  test('GIVEN a started control plane WHEN a namespace is created THEN it can be read back', async () => {
    const client = plane().adminClient();
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'harness-check' } };
    expect((await client.apply(ns)).status).toBe(201);
    const read = await client.get('v1', 'Namespace', undefined, 'harness-check');
    expect(read.body.metadata.name).toBe('harness-check');
  });

  test('GIVEN the API server is restarted WHEN reading THEN data survives on the same port', async () => {
    const port = plane().apiPort;
    await plane().restartApiServer();
    expect(plane().apiPort).toBe(port);
    const read = await plane().adminClient().get('v1', 'Namespace', undefined, 'harness-check');
    expect(read.status).toBe(200);
  });
});
