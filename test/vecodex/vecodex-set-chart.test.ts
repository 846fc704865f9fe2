import { App } from 'cdk8s';
import { toYamlDocuments } from '../../src/pipeline/yaml';
import { vecodexExpectedChildren } from '../../src/vecodex/vecodex-children';
import { positionalModes } from '../../src/vecodex/vecodex-command';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { KubeObject } from '../support/kube-client';
import { offlineValidationErrors } from '../support/offline-validate';
import { find, selects } from '../support/rendered';
import { loadVecodex, renderVecodex, SAMPLES } from './support';

const kindsWithPods = ['Deployment', 'StatefulSet'];
const render = (file: string) => renderVecodex(file) as KubeObject[];
const services = (objects: any[]) => objects.filter((o) => o.kind === 'Service');
const workloads = (objects: any[]) => objects.filter((o) => kindsWithPods.includes(o.kind));

describe('VecodexSetChart', () => {
  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN the manifests match the snapshot', (file) => {
    expect(toYamlDocuments(render(file))).toMatchSnapshot();
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered twice THEN the output is identical', (file) => {
    expect(toYamlDocuments(render(file))).toEqual(toYamlDocuments(render(file)));
  });

  test.each(SAMPLES)('GIVEN %s WHEN every object is validated offline THEN there are no errors', (file) => {
    expect(offlineValidationErrors(render(file), ['VecodexSet'])).toEqual([]);
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN the expected children are exactly the rendered workloads and Services', (file) => {
    const doc = loadVecodex(file);
    const objects = render(file);
    const expected = vecodexExpectedChildren(doc.name, doc.namespace, doc.spec);
    expect(expected.workloads.map((w) => `${w.kind}/${w.name}`).sort()).toEqual(workloads(objects).map((o) => `${o.kind}/${o.metadata.name}`).sort());
    expect([...expected.services].sort()).toEqual(services(objects).map((o) => o.metadata.name).sort());
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN every workload selector matches its pod labels, and every Service selects pods with the ports it targets', (file) => {
    const objects = render(file);
    for (const w of workloads(objects)) {
      expect(selects(w.spec.selector.matchLabels, w.spec.template.metadata.labels)).toBe(true);
    }
    for (const svc of services(objects)) {
      const backing = workloads(objects).filter((w) => selects(svc.spec.selector, w.spec.template.metadata.labels));
      expect(backing.length).toBeGreaterThan(0);
      for (const w of backing) {
        const portNames = w.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
        for (const port of svc.spec.ports) expect(portNames).toContain(port.targetPort);
      }
    }
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN every Ingress backend and ServiceMonitor port resolves to a real Service port', (file) => {
    const objects = render(file);
    for (const ing of objects.filter((o: any) => o.kind === 'Ingress') as any[]) {
      for (const path of ing.spec.rules.flatMap((r: any) => r.http.paths)) {
        const svc = find(objects, 'Service', path.backend.service.name);
        expect(svc.spec.ports.map((p: any) => p.port)).toContain(path.backend.service.port.number);
      }
    }
    for (const sm of objects.filter((o: any) => o.kind === 'ServiceMonitor') as any[]) {
      const port = sm.spec.endpoints[0].port;
      // Prometheus keeps only endpoints on the named port: a selected Service without it yields no target.
      const scraped = services(objects)
        .filter((s) => selects(sm.spec.selector.matchLabels, s.metadata.labels) && s.spec.ports.some((p: any) => p.name === port));
      expect(scraped.map((s) => s.metadata.name).sort()).toEqual(services(objects).filter((s) => /-(coordinator|writer|searcher)$/.test(s.metadata.name)).map((s) => s.metadata.name).sort());
      // Each Vecodex pod is scraped through exactly one Service, or its series are duplicated.
      for (const w of objects.filter((o: any) => o.kind === 'Deployment') as any[]) {
        expect(scraped.filter((s) => selects(s.spec.selector, w.spec.template.metadata.labels)).map((s) => s.metadata.name)).toHaveLength(1);
      }
    }
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN the writer and the coordinator wait for every shard through a Service that selects exactly that shard, and every wait target is a real Service port or an external endpoint', (file) => {
    const doc = loadVecodex(file);
    const objects = render(file);
    const external = [doc.wire.etcd?.external?.endpoint, doc.wire.s3?.external?.endpoint].filter(Boolean).map((e: string) => new URL(e).hostname);
    const targetsOf = (d: any): string[] => d.spec.template.spec.initContainers[0].command.slice(5);
    const shardWorkloads = objects.filter((o: any) => o.kind === 'Deployment' && o.spec.template.spec.containers[0].name === 'searcher') as any[];
    expect(shardWorkloads.length).toBe(Math.max(1, doc.wire.searcher.shards?.length ?? 0));
    for (const d of objects.filter((o: any) => o.kind === 'Deployment') as any[]) {
      const targets = targetsOf(d);
      for (const target of targets) {
        const [host, port] = target.split(':');
        if (external.includes(host)) continue;
        expect(find(objects, 'Service', host).spec.ports.map((p: any) => p.port)).toContain(Number(port));
      }
      if (d.spec.template.spec.containers[0].name === 'searcher') continue;
      // THEN every shard is waited on, each through a Service selecting only that shard's pods.
      const shardTargets = targets.filter((t) => t.endsWith(':44400'));
      expect(shardTargets).toHaveLength(shardWorkloads.length);
      for (const shard of shardWorkloads) {
        const svc = shardTargets.map((t) => find(objects, 'Service', t.split(':')[0])).find((s) => selects(s.spec.selector, shard.spec.template.metadata.labels));
        expect(svc).toBeDefined();
        expect(svc.spec.clusterIP).toBe('None');
        expect(shardWorkloads.filter((other) => selects(svc.spec.selector, other.spec.template.metadata.labels))).toEqual([shard]);
      }
    }
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN each config JSON parses and names only Services that exist (or the external endpoints)', (file) => {
    const doc = loadVecodex(file);
    const objects = render(file);
    const serviceNames = services(objects).map((s) => s.metadata.name);
    const external = [doc.wire.etcd?.external?.endpoint, doc.wire.s3?.external?.endpoint].filter(Boolean).map((e: string) => new URL(e).hostname);
    for (const cm of objects.filter((o: any) => o.kind === 'ConfigMap') as any[]) {
      const config = JSON.parse(cm.data['config.json']);
      expect(Object.keys(config)).toEqual(['mode', 'port', 'hostname', 'etcd_address', 's3-host', 'indexes']);
      expect(config.port).toBe('44400');
      for (const key of ['etcd_address', 's3-host']) {
        const url = new URL(config[key]);
        expect([...serviceNames, ...external]).toContain(url.hostname);
        if (serviceNames.includes(url.hostname)) {
          expect(find(objects, 'Service', url.hostname).spec.ports.map((p: any) => p.port)).toContain(Number(url.port));
        }
      }
      expect(serviceNames).toContain(config.hostname);
    }
  });

  test.each(SAMPLES)('GIVEN %s WHEN rendered THEN every Vecodex container gets --config-path to its mounted ConfigMap and a config hash, and searchers advertise their pod IP', (file) => {
    const objects = render(file);
    for (const d of objects.filter((o: any) => o.kind === 'Deployment') as any[]) {
      const pod = d.spec.template.spec;
      const [c] = pod.containers;
      expect(c.args.slice(0, 2)).toEqual(['--config-path', '/etc/vecodex/config.json']);
      const cmName = pod.volumes.find((v: any) => v.name === 'config').configMap.name;
      expect(c.volumeMounts).toContainEqual({ mountPath: '/etc/vecodex', name: 'config', readOnly: true });
      const cm = find(objects, 'ConfigMap', cmName);
      expect(JSON.parse(cm.data['config.json']).mode).toBe(c.name);
      expect(d.spec.template.metadata.annotations['apps.vecodex.link/config-hash']).toMatch(/^[0-9a-f]{16}$/);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(pod.volumes.find((v: any) => v.name === 'work').emptyDir.sizeLimit).toBe(c.resources.limits['ephemeral-storage']);
      if (c.name === 'searcher') {
        expect(c.args).toEqual(['--config-path', '/etc/vecodex/config.json', '--hostname', '$(POD_IP)']);
        expect(c.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
      }
      // The binary rejects positional arguments: none may survive into the container.
      expect(positionalModes(c.command)).toEqual([]);
    }
  });

  test('GIVEN the upstream sample WHEN rendered THEN upstream names and selectors are kept and the bare mode becomes --mode', () => {
    const objects = render(SAMPLES[0]);
    for (const component of ['coordinator', 'writer', 'searcher']) {
      const d = find(objects, 'Deployment', `vecodexset-sample-${component}`);
      expect(d.spec.selector.matchLabels).toEqual({ app: `vecodexset-sample-${component}` });
      expect(d.spec.template.spec.containers[0].name).toBe(component);
      expect(d.spec.template.spec.containers[0].command).toEqual(['/app/cmake/build/vecodex-app', '--mode', component]);
    }
    expect(find(objects, 'Deployment', 'vecodexset-sample-searcher').spec.replicas).toBe(3);
    const ing = find(objects, 'Ingress', 'vecodexset-sample-ingress');
    expect(ing.spec.rules[0].host).toBe('search.vecodex.link');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/backend-protocol']).toBe('GRPC');
  });

  test('GIVEN the upstream sample WHEN rendered THEN start-up order is etcd/MinIO, then searchers, then writer and coordinator', () => {
    const objects = render(SAMPLES[0]);
    const waits = (name: string) => find(objects, 'Deployment', name).spec.template.spec.initContainers[0].command.slice(5);
    expect(waits('vecodexset-sample-searcher')).toEqual(['vecodexset-sample-etcd:2379', 'vecodexset-sample-minio:9000']);
    expect(waits('vecodexset-sample-writer')).toEqual(['vecodexset-sample-etcd:2379', 'vecodexset-sample-minio:9000', 'vecodexset-sample-searcher:44400']);
    expect(waits('vecodexset-sample-coordinator')).toEqual(['vecodexset-sample-etcd:2379', 'vecodexset-sample-searcher:44400']);
  });

  test('GIVEN shards WHEN rendered THEN the writer and the coordinator wait for each shard by name', () => {
    const objects = render(SAMPLES[2]);
    const waits = (name: string) => find(objects, 'Deployment', name).spec.template.spec.initContainers[0].command.slice(5);
    expect(waits('full-writer')).toEqual(['etcd.infra:2379', 's3.example.com:443', 'full-searcher-0:44400', 'full-searcher-1:44400']);
    expect(waits('full-coordinator')).toEqual(['etcd.infra:2379', 'full-searcher-0:44400', 'full-searcher-1:44400']);
    expect(waits('full-searcher-1')).toEqual(['etcd.infra:2379', 's3.example.com:443']);
    expect(find(objects, 'Service', 'full-searcher-1').spec.selector).toEqual({ app: 'full-searcher-1' });
  });

  test('GIVEN managed etcd and MinIO WHEN rendered THEN each is one replica that no PodDisruptionBudget selects (a drain can always evict it), and every Service port has a listening container port', () => {
    const objects = render(SAMPLES[0]);
    const pdbs = objects.filter((o: any) => o.kind === 'PodDisruptionBudget') as any[];
    for (const name of ['vecodexset-sample-etcd', 'vecodexset-sample-minio']) {
      const sts = find(objects, 'StatefulSet', name);
      expect(sts.spec.replicas).toBe(1);
      expect(pdbs.filter((p) => selects(p.spec.selector.matchLabels, sts.spec.template.metadata.labels))).toEqual([]);
    }
    // A single etcd member binds its peer listener to localhost: only the client port is exposed.
    expect(find(objects, 'Service', 'vecodexset-sample-etcd').spec.ports.map((p: any) => p.port)).toEqual([2379]);
  });

  test('GIVEN the upstream sample WHEN rendered THEN MinIO takes its credentials only from a Secret reference and no Secret is rendered', () => {
    const objects = render(SAMPLES[0]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const minio = find(objects, 'StatefulSet', 'vecodexset-sample-minio');
    const env = minio.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'MINIO_ROOT_USER')).toEqual({ name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'vecodexset-sample-s3-credentials', key: 'accessKey' } } });
    expect(JSON.stringify(objects)).not.toMatch(/"password"|"value":"user"/);
    expect(minio.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(find(objects, 'StatefulSet', 'vecodexset-sample-etcd').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  });

  test('GIVEN the GPU example WHEN rendered THEN only the writer gets the GPU toleration and node selector', () => {
    const objects = render(SAMPLES[1]);
    const pod = (name: string) => find(objects, 'Deployment', name).spec.template.spec;
    expect(pod('search-cluster-writer').tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod('search-cluster-writer').nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod('search-cluster-writer').containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    for (const name of ['search-cluster-coordinator', 'search-cluster-searcher']) {
      expect(pod(name).tolerations).toBeUndefined();
      expect(pod(name).nodeSelector).toBeUndefined();
    }
  });

  test('GIVEN a GPU profile of another cluster WHEN rendered THEN its toleration and node selector are used', () => {
    const objects = renderVecodex(SAMPLES[1], { cluster: { gpu: { tolerations: [{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { accelerator: 'nvidia' } } } });
    const pod = find(objects as KubeObject[], 'Deployment', 'search-cluster-writer').spec.template.spec;
    expect(pod.tolerations).toEqual([{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ accelerator: 'nvidia' });
  });

  test('GIVEN shards, external endpoints, autoscaling and PDBs WHEN rendered THEN every shard is wired and the extras target real workloads', () => {
    const objects = render(SAMPLES[2]);
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    for (const shard of ['0', '1']) {
      const d = find(objects, 'Deployment', `full-searcher-${shard}`);
      expect(d.spec.selector.matchLabels).toEqual({ app: `full-searcher-${shard}` });
      const config = JSON.parse(find(objects, 'ConfigMap', `full-searcher-${shard}-config`).data['config.json']);
      expect(config.etcd_address).toBe('http://etcd.infra:2379');
      expect(config['s3-host']).toBe('https://s3.example.com');
      expect(new Set(config.indexes.map((i: any) => i.shard_id))).toEqual(new Set([shard]));
      expect(selects(find(objects, 'Service', 'full-searcher').spec.selector, d.spec.template.metadata.labels)).toBe(true);
      expect(find(objects, 'PodDisruptionBudget', `full-searcher-${shard}`).spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
    }
    expect(JSON.parse(find(objects, 'ConfigMap', 'full-searcher-1-config').data['config.json']).indexes.map((i: any) => i.index_id)).toEqual(['docs']);
    const writer = JSON.parse(find(objects, 'ConfigMap', 'full-writer-config').data['config.json']);
    expect(writer.indexes[0]).toEqual({ id: 'docs', library: 'faiss', type: 'faissHNSWFlat', dim: 768, threshold: 1000, metric: 'L2', M: 32, enable_merge: true });
    expect(writer.indexes[1]).not.toHaveProperty('M');
    expect(JSON.parse(find(objects, 'ConfigMap', 'full-coordinator-config').data['config.json']).indexes).toEqual({});
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'full-coordinator');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'full-coordinator' });
    expect(find(objects, 'Deployment', 'full-coordinator').spec.replicas).toBeUndefined();
    const ing = find(objects, 'Ingress', 'full-ingress');
    expect(ing.spec.tls).toEqual([{ hosts: ['search.example.com'], secretName: 'search-tls' }]);
    expect(ing.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC', 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    const cr = find(objects, 'VecodexSet', 'full');
    expect(cr.spec).toEqual(loadVecodex(SAMPLES[2]).wire);
  });
});

describe('VecodexSetChart used directly from code', () => {
  test('GIVEN a spec that breaks a rule WHEN the chart is constructed THEN it throws naming the construct and the field', () => {
    const doc = loadVecodex(SAMPLES[2]);
    const spec = { ...doc.spec, coordinator: { ...doc.spec.coordinator, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 } } };
    expect(() => new VecodexSetChart(new App({ outdir: '/dev/null' }), 'direct', { metadata: { name: doc.name, namespace: doc.namespace }, spec }))
      .toThrow(/^VecodexSetChart direct: invalid spec:\n {2}spec\.coordinator\.autoscaling\.minReplicas: /);
  });
});
