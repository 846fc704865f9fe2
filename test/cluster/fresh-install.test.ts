/**
 * Fresh install on the simulated cluster: every sample under instances/ and a
 * small generated mix, applied as a GitOps tool would, scheduled by the real
 * scheduler onto KWOK nodes, run by the real controllers, judged by our
 * reconciler (with the rendered ServiceAccount's RBAC), and by Argo CD's Lua,
 * Flux's CEL and kstatus on the status it wrote.
 */
import { ReconcilerProcess } from '../reconciler/reconciler-process';
import { KubeClient, KubeObject } from '../support/kube-client';
import { objectsOf, OutputTree } from '../support/rendered';
import { describeWithSimulatedCluster, useSimulatedCluster } from '../support/simulated-cluster-suite';
import {
  endpointsOf, getCr, HEALTHY, installInstances, installPlatform, instanceObjects, nodesByName, podsOf, prepareCluster,
  render, renderGenerated, startReconciler, verdictsOf,
} from './day2';

const CONVERGE_MS = 120_000;

describeWithSimulatedCluster('fresh install on a simulated cluster (real controllers and scheduler, KWOK nodes)', () => {
  const sim = useSimulatedCluster();
  let client: KubeClient;
  let reconciler: ReconcilerProcess;
  let samples: OutputTree;
  let sampleObjects: KubeObject[];

  beforeAll(async () => {
    client = sim().adminClient();
    await prepareCluster(sim());
    samples = render();
    await installPlatform(client, samples, 'prod');
    sampleObjects = [...instanceObjects(samples, 'dev'), ...instanceObjects(samples, 'prod')];
    await installInstances(client, sampleObjects);
    reconciler = await startReconciler(sim(), { identity: 'fresh-install' });
    await reconciler.waitForLog((e) => e.msg === 'became leader', 30_000);
  }, 240_000);

  afterAll(async () => {
    await reconciler?.stop();
  }, 60_000);

  const customResources = () => sampleObjects.filter((o) => o.kind === 'AbiInstance' || o.kind === 'VecodexSet');

  test('GIVEN every sample applied WHEN the cluster has run them THEN each custom resource is Running/Healthy/Ready and Argo CD, Flux CEL and kstatus agree', async () => {
    const crs = customResources();
    expect(crs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'AbiInstance/abi/abi-production', 'AbiInstance/default/my-abi', 'AbiInstance/ml-workloads/abi-gpu',
      'VecodexSet/default/search-cluster', 'VecodexSet/default/vecodexset-sample',
    ]);
    for (const cr of crs) {
      const kind = cr.kind as 'AbiInstance' | 'VecodexSet';
      const got = await sim().eventually(async () => {
        const live = await getCr(client, kind, cr.metadata.namespace!, cr.metadata.name);
        return verdictsOf(live).ready === 'True' ? live : false;
      }, CONVERGE_MS, `${kind} ${cr.metadata.name} Ready`);
      expect({ name: cr.metadata.name, ...verdictsOf(got) }).toMatchObject({ name: cr.metadata.name, ...HEALTHY });
      expect(got.status.observedGeneration).toBe(got.metadata.generation);
    }
  });

  test('GIVEN the GPU samples WHEN scheduled THEN GPU pods run only on GPU nodes, every other pod only on CPU nodes', async () => {
    const nodes = await nodesByName(client);
    const isGpuNode = (name: string) => nodes.get(name)?.metadata.labels['nvidia.com/gpu.present'] === 'true';
    const wantsGpu = (pod: any) => pod.spec.containers.some((c: any) => c.resources?.limits?.['nvidia.com/gpu'] !== undefined);
    const checked: string[] = [];
    for (const cr of customResources()) {
      for (const pod of await podsOf(client, cr.metadata.namespace!, cr.metadata.name)) {
        expect({ pod: pod.metadata.name, node: pod.spec.nodeName, gpuNode: isGpuNode(pod.spec.nodeName) })
          .toEqual({ pod: pod.metadata.name, node: expect.any(String), gpuNode: wantsGpu(pod) });
        checked.push(`${pod.metadata.name}${wantsGpu(pod) ? '(gpu)' : ''}`);
      }
    }
    // abi-gpu's 2 replicas and search-cluster's GPU writer.
    expect(checked.filter((p) => p.endsWith('(gpu)')).length).toBe(3);
  });

  test('GIVEN abi-production (hard anti-affinity, 3 replicas) WHEN scheduled THEN its pods run on 3 distinct nodes in 3 zones', async () => {
    const nodes = await nodesByName(client);
    const pods = await podsOf(client, 'abi', 'abi-production');
    expect(pods).toHaveLength(3);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(3);
    expect(new Set(pods.map((p) => nodes.get(p.spec.nodeName).metadata.labels['topology.kubernetes.io/zone'])).size).toBe(3);
  });

  test('GIVEN StatefulSets with claims WHEN scheduled THEN every claim is Bound to a volume in its pod\'s zone', async () => {
    const nodes = await nodesByName(client);
    let claims = 0;
    for (const cr of customResources()) {
      for (const pod of await podsOf(client, cr.metadata.namespace!, cr.metadata.name)) {
        for (const volume of pod.spec.volumes ?? []) {
          if (!volume.persistentVolumeClaim) continue;
          const pvc = (await client.request('GET', `/api/v1/namespaces/${pod.metadata.namespace}/persistentvolumeclaims/${volume.persistentVolumeClaim.claimName}`)).body;
          expect({ claim: pvc.metadata.name, phase: pvc.status.phase }).toEqual({ claim: pvc.metadata.name, phase: 'Bound' });
          const pv = (await client.request('GET', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`)).body;
          expect({ claim: pvc.metadata.name, zone: pv.metadata.labels['topology.kubernetes.io/zone'] })
            .toEqual({ claim: pvc.metadata.name, zone: nodes.get(pod.spec.nodeName).metadata.labels['topology.kubernetes.io/zone'] });
          claims++;
        }
      }
    }
    // abi-production 3, abi-gpu 2, my-abi 1, each VecodexSet's etcd and MinIO.
    expect(claims).toBeGreaterThanOrEqual(10);
  });

  test('GIVEN the rendered Services WHEN the pods are ready THEN each Service has ready endpoints on exactly the container ports its targetPorts name', async () => {
    const services = sampleObjects.filter((o) => o.kind === 'Service' && (o as any).spec.selector);
    expect(services.length).toBeGreaterThanOrEqual(10);
    for (const svc of services) {
      const namespace = svc.metadata.namespace ?? 'default';
      const ep = await sim().eventually(async () => {
        const got = await endpointsOf(client, namespace, svc.metadata.name);
        return got.addresses > 0 ? got : false;
      }, 30_000, `endpoints of ${svc.metadata.name}`);
      // What the endpoint controller resolved, from the pods it selected: a named targetPort becomes that container port's number.
      const selector = Object.entries((svc as any).spec.selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = (await client.request('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items as any[];
      const containerPorts = pods[0].spec.containers.flatMap((c: any) => c.ports ?? []) as Array<{ name?: string; containerPort: number }>;
      const expected = ((svc as any).spec.ports as Array<{ port: number; targetPort?: number | string }>).map((p) => {
        const target = p.targetPort ?? p.port;
        return typeof target === 'number' ? target : containerPorts.find((c) => c.name === target)?.containerPort;
      });
      expect({ service: svc.metadata.name, ports: ep.ports, ready: ep.addresses >= 1 })
        .toEqual({ service: svc.metadata.name, ports: [...new Set(expected)].sort((a, b) => a! - b!), ready: true });
    }
  });

  test('GIVEN the rendered Ingresses WHEN installed THEN every backend is a Service port that has ready endpoints', async () => {
    const ingresses = sampleObjects.filter((o) => o.kind === 'Ingress');
    expect(ingresses.length).toBeGreaterThanOrEqual(2);
    for (const ing of ingresses) {
      const namespace = ing.metadata.namespace ?? 'default';
      const backends = ((ing as any).spec.rules ?? []).flatMap((r: any) => r.http?.paths ?? []).map((p: any) => p.backend.service);
      expect(backends.length).toBeGreaterThan(0);
      for (const backend of backends) {
        const svc = (await client.get('v1', 'Service', namespace, backend.name)).body;
        const port = (svc.spec?.ports ?? [])
          .find((p: any) => (backend.port.number !== undefined ? p.port === backend.port.number : p.name === backend.port.name));
        expect({ ingress: ing.metadata.name, backend: backend.name, port: port !== undefined })
          .toEqual({ ingress: ing.metadata.name, backend: backend.name, port: true });
        expect((await endpointsOf(client, namespace, backend.name)).addresses).toBeGreaterThan(0);
      }
    }
  });

  test('GIVEN abi-production under an HPA (minReplicas 3, replicas not rendered) WHEN installed THEN the HPA raised the StatefulSet to 3 and its PDB allows exactly one eviction', async () => {
    const sts = (await client.get('apps/v1', 'StatefulSet', 'abi', 'abi-production')).body;
    expect(sts.spec.replicas).toBe(3);
    const pdb = await sim().eventually(async () => {
      const got = (await client.get('policy/v1', 'PodDisruptionBudget', 'abi', 'abi-production')).body;
      return got.status?.currentHealthy === 3 ? got : false;
    }, 30_000, 'abi-production PDB counted 3 healthy');
    expect(pdb.status).toMatchObject({ desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    const cr = await getCr(client, 'AbiInstance', 'abi', 'abi-production');
    expect(cr.status).toMatchObject({ replicas: 3, readyReplicas: 3, version: 'v1.0.0' });
  });

  test('GIVEN a generated mix (a Deployment under an HPA, a shared ReadWriteMany claim, a sharded VecodexSet with autoscaled searchers) WHEN installed THEN each converges and every reader agrees', async () => {
    const mix = renderGenerated('mix', { prometheusOperator: false }, [
      { apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'web-hpa', namespace: 'mix' },
        spec: {
          replicas: 2, storage: { enabled: false }, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 },
          highAvailability: { enabled: true, podDisruptionBudget: { minAvailable: 1 } },
        } },
      { apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'shared-data', namespace: 'mix' },
        spec: { replicas: 2, storage: { enabled: true, size: '5Gi', accessModes: ['ReadWriteMany'] } } },
      { apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'sharded', namespace: 'mix' },
        spec: {
          coordinator: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
          writer: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
          searcher: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 2, shards: [{ id: 'a' }, { id: 'b' }], autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 3 } },
          ingress: { host: 'sharded.mix.example' },
        } },
    ]);
    const objects = instanceObjects(mix, 'mix');
    await installInstances(client, objects);
    const crs = objects.filter((o) => o.kind === 'AbiInstance' || o.kind === 'VecodexSet');
    expect(crs).toHaveLength(3);
    for (const cr of crs) {
      const kind = cr.kind as 'AbiInstance' | 'VecodexSet';
      const got = await sim().eventually(async () => {
        const live = await getCr(client, kind, 'mix', cr.metadata.name);
        return verdictsOf(live).ready === 'True' ? live : false;
      }, CONVERGE_MS, `${kind} ${cr.metadata.name} Ready`);
      expect({ name: cr.metadata.name, ...verdictsOf(got) }).toMatchObject({ name: cr.metadata.name, ...HEALTHY });
    }
    // The HPAs raised their workloads to minReplicas before Ready was reported.
    const web = (await client.get('apps/v1', 'Deployment', 'mix', 'web-hpa')).body;
    expect(web.spec.replicas).toBe(2);
    expect((await getCr(client, 'AbiInstance', 'mix', 'web-hpa')).status).toMatchObject({ readyReplicas: 2 });
    const searchers = objectsOf(mix, 'mix/').filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name.includes('sharded'));
    expect(searchers.length).toBe(2);
    for (const hpa of searchers) {
      const target = (hpa as any).spec.scaleTargetRef.name;
      expect((await client.get('apps/v1', 'Deployment', 'mix', target)).body.spec.replicas).toBe(2);
    }
    // One ReadWriteMany claim shared by both replicas of shared-data.
    const pods = await podsOf(client, 'mix', 'shared-data');
    const claimNames = (p: any): string[] => (p.spec.volumes ?? [])
      .filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.persistentVolumeClaim.claimName);
    const claims = new Set(pods.flatMap(claimNames));
    expect(pods).toHaveLength(2);
    expect(claims.size).toBe(1);
  });
});
