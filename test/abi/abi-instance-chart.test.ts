import * as yaml from 'js-yaml';
import { abiObjectNames } from '../../src/abi/abi-names';
import { ABI_SAMPLES, abiDoc, readAbiDocument, renderAbi } from '../support/abi-samples';
import { KubeObject } from '../support/kube-client';
import { find, selects } from '../support/rendered';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];
const workloadOf = (objects: KubeObject[]): any => objects.find((o) => WORKLOAD_KINDS.includes(o.kind));
const containerOf = (objects: KubeObject[]): any => workloadOf(objects).spec.template.spec.containers[0];

describe.each(Object.entries(ABI_SAMPLES))('AbiInstance sample %s', (_sample, file) => {
  const doc = readAbiDocument(file);
  const objects = renderAbi(doc);
  const workload = workloadOf(objects);
  const podLabels = workload.spec.template.metadata.labels;

  test('GIVEN the sample WHEN rendered THEN the YAML matches the snapshot', () => {
    expect(objects.map((o) => yaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n')).toMatchSnapshot();
  });

  test('THEN it renders the AbiInstance itself with the spec unchanged', () => {
    const cr = find(objects, 'AbiInstance', doc.metadata.name);
    expect(cr.spec).toEqual(doc.spec);
  });

  test('THEN the workload selector, Services and PDB select the pods', () => {
    expect(selects(workload.spec.selector.matchLabels, podLabels)).toBe(true);
    const services = objects.filter((o) => o.kind === 'Service');
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) {
      expect(selects((svc as any).spec.selector, podLabels)).toBe(true);
    }
    // A budget exactly when the spec sets one; the samples together render one (checked below).
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    expect(budgets.length).toBe(Object.keys(doc.spec.highAvailability?.podDisruptionBudget ?? {}).length > 0 ? 1 : 0);
    for (const pdb of budgets) {
      expect(selects((pdb as any).spec.selector.matchLabels, podLabels)).toBe(true);
    }
    // The seed's troubleshooting command finds the pods.
    expect(podLabels['app.kubernetes.io/instance']).toBe(doc.metadata.name);
  });

  test('THEN every Service targetPort names a real container port', () => {
    const portNames = containerOf(objects).ports.map((p: any) => p.name);
    const services = objects.filter((o) => o.kind === 'Service');
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) {
      for (const port of (svc as any).spec.ports) expect(portNames).toContain(port.targetPort);
    }
  });

  test('THEN the server is told to listen on all interfaces and probed on /health', () => {
    const container = containerOf(objects);
    expect(container.args.slice(0, 4)).toEqual(['llm', 'serve', '-a', '0.0.0.0:8080']);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(container[probe].httpGet).toEqual({ path: '/health', port: 'http' });
    }
  });

  test('THEN every object carries the recommended labels', () => {
    expect(objects.length).toBeGreaterThan(1);
    for (const obj of objects) {
      expect(obj.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': doc.metadata.name, 'app.kubernetes.io/part-of': 'abi' });
      if (obj.kind !== 'AbiInstance') {
        expect(Object.keys(obj.metadata.labels as object)).toEqual(expect.arrayContaining([
          'app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version',
        ]));
      }
    }
  });

  test('THEN no Secret and no secret value is rendered', () => {
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    // A sample without env passes trivially; the samples together set some (checked below).
    for (const env of containerOf(objects).env ?? []) {
      expect(env.value).toBeUndefined();
      expect(Object.keys(env.valueFrom)).toEqual(['secretKeyRef']);
    }
  });

  test('THEN GPU scheduling appears exactly when the spec asks for GPUs', () => {
    const wantsGpu = doc.spec.features?.gpu === true;
    const pod = workload.spec.template.spec;
    expect('nvidia.com/gpu' in containerOf(objects).resources.limits).toBe(wantsGpu);
    expect(pod.tolerations !== undefined).toBe(wantsGpu);
    expect(pod.nodeSelector !== undefined).toBe(wantsGpu);
    expect(pod.affinity?.nodeAffinity !== undefined).toBe(wantsGpu && doc.spec.gpu?.memory !== undefined);
  });

  test('THEN an HPA, if any, targets the workload, which leaves replicas to it', () => {
    const hpa: any = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa !== undefined).toBe(doc.spec.autoscaling?.enabled === true);
    if (hpa) {
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: workload.kind, name: workload.metadata.name });
      expect(workload.spec.replicas).toBeUndefined();
    } else {
      expect(workload.spec.replicas).toBe(doc.spec.replicas);
    }
  });
});

describe('AbiInstance samples together', () => {
  const rendered = Object.values(ABI_SAMPLES).map((file) => renderAbi(readAbiDocument(file)));

  test('GIVEN the samples WHEN rendered THEN the per-sample loops above have cases: one renders a PDB, one passes secrets as env', () => {
    expect(Object.keys(ABI_SAMPLES).length).toBeGreaterThan(1);
    expect(rendered.some((objects) => objects.some((o) => o.kind === 'PodDisruptionBudget'))).toBe(true);
    expect(rendered.some((objects) => (containerOf(objects).env ?? []).length > 0)).toBe(true);
  });
});

describe('AbiInstanceChart details', () => {
  test('GIVEN the basic sample WHEN rendered THEN upstream defaults apply: a StatefulSet with a 10Gi claim, ollama env, config from a ConfigMap', () => {
    const objects = renderAbi(readAbiDocument(ABI_SAMPLES.basic));
    const sts = find(objects, 'StatefulSet', 'my-abi');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.serviceName).toBe('my-abi-headless');
    find(objects, 'Service', 'my-abi-headless');
    const config = find(objects, 'ConfigMap', 'my-abi-config');
    expect(config.data).toMatchObject({ ABI_OLLAMA_HOST: 'http://ollama-service:11434', ABI_OLLAMA_MODEL: 'llama3', ABI_GPU_BACKEND: 'none' });
    expect(sts.spec.template.spec.containers[0].image).toBe('ghcr.io/abi/abi:v1.0.0');
  });

  test('GIVEN ReadWriteMany storage WHEN rendered THEN a Deployment shares one claim', () => {
    const objects = renderAbi(abiDoc({ replicas: 2, storage: { accessModes: ['ReadWriteMany'] } }));
    const deploy = find(objects, 'Deployment', 'test-abi');
    const claim = find(objects, 'PersistentVolumeClaim', abiObjectNames('test-abi').dataVolume);
    expect(deploy.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: claim.metadata.name } });
  });

  test('GIVEN storage disabled WHEN rendered THEN a Deployment uses an emptyDir and no claim', () => {
    const objects = renderAbi(abiDoc({ replicas: 1, storage: { enabled: false } }));
    const deploy = find(objects, 'Deployment', 'test-abi');
    // Bounded by the container's ephemeral-storage limit, which then defaults to storage.size.
    expect(deploy.spec.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '10Gi' } });
    expect(deploy.spec.template.spec.containers[0].resources.limits['ephemeral-storage']).toBe('10Gi');
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  test('GIVEN storage on, off, and an ephemeral-storage override WHEN rendered THEN the scratch space fits: logs and /tmp, or the /data emptyDir at storage.size', () => {
    const server = (spec: Record<string, unknown>) => workloadOf(renderAbi(abiDoc({ replicas: 1, ...spec }))).spec.template.spec;
    const on = server({});
    expect(on.containers[0].resources.requests['ephemeral-storage']).toBe('256Mi');
    expect(on.containers[0].resources.limits['ephemeral-storage']).toBe('2Gi');
    expect(on.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    const off = server({ storage: { enabled: false, size: '4Gi' } });
    expect(off.containers[0].resources).toMatchObject({ requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '4Gi' } });
    expect(off.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '4Gi' } });
    const override = server({ storage: { enabled: false }, resources: { requests: { 'ephemeral-storage': '3Gi' }, limits: { 'ephemeral-storage': '30Gi' } } });
    expect(override.containers[0].resources).toMatchObject({ requests: { cpu: '100m', 'ephemeral-storage': '3Gi' }, limits: { cpu: '1000m', 'ephemeral-storage': '30Gi' } });
    expect(override.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '30Gi' } });
  });

  test('GIVEN a config change WHEN rendered THEN the pod template hash changes; GIVEN none THEN it is stable', () => {
    const hash = (spec: Record<string, unknown>) =>
      workloadOf(renderAbi(abiDoc(spec))).spec.template.metadata.annotations['abi.io/config-hash'];
    expect(hash({ replicas: 1 })).toBe(hash({ replicas: 1 }));
    expect(hash({ replicas: 1, config: { logLevel: 'debug' } })).not.toBe(hash({ replicas: 1 }));
    expect(hash({ replicas: 2 })).toBe(hash({ replicas: 1 }));
  });

  test('GIVEN highAvailability soft or hard WHEN rendered THEN anti-affinity is preferred or required on the hostname and pods spread over zones', () => {
    const soft = workloadOf(renderAbi(abiDoc({ replicas: 2, highAvailability: { enabled: true } }))).spec.template.spec;
    expect(soft.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(soft.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    const hard = workloadOf(renderAbi(abiDoc({ replicas: 2, highAvailability: { enabled: true, antiAffinity: 'hard' } }))).spec.template.spec;
    expect(hard.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    // Nodes without a zone label must still take pods: zones stay a preference even for "hard".
    expect(soft.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(hard.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
  });

  test('GIVEN hard anti-affinity on a Deployment WHEN rendered THEN it rolls without a surge pod, which could not schedule next to every replica', () => {
    const shared = { replicas: 3, storage: { enabled: true, accessModes: ['ReadWriteMany'] } };
    const hard = workloadOf(renderAbi(abiDoc({ ...shared, highAvailability: { enabled: true, antiAffinity: 'hard' } })));
    expect(hard.kind).toBe('Deployment');
    expect(hard.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    const soft = workloadOf(renderAbi(abiDoc({ ...shared, highAvailability: { enabled: true } })));
    expect(soft.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('GIVEN a cluster profile with other GPU conventions WHEN rendered THEN resource name, taints and labels follow it', () => {
    const objects = renderAbi(abiDoc({ replicas: 1, features: { gpu: true }, gpu: { backend: 'cuda', count: 2 } }), {
      cluster: { gpu: { resourceName: 'example.com/gpu', tolerations: [{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } } },
    });
    const pod = workloadOf(objects).spec.template.spec;
    expect(pod.containers[0].resources.limits['example.com/gpu']).toBe(2);
    expect(pod.tolerations).toEqual([{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
  });

  test('GIVEN a local model with a modelSource WHEN rendered THEN an init container downloads it into the data volume the server preloads it from', () => {
    const objects = renderAbi(abiDoc({ replicas: 1, llm: { provider: 'local', model: 'llama-7b', modelSource: { url: 'https://models.example/llama.gguf', sha256: 'a'.repeat(64) } } }), { cluster: { imageRegistry: 'mirror.example' } });
    const pod = workloadOf(objects).spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    const fetcher = pod.initContainers[0];
    expect(fetcher.name).toBe('fetch-model');
    // A registry-less default image goes through the cluster's mirror like every other image.
    expect(fetcher.image).toBe('mirror.example/curlimages/curl:8.11.1');
    expect(fetcher.command.slice(3)).toEqual(['fetch-model', '/data/models/llama-7b.gguf', 'https://models.example/llama.gguf', 'a'.repeat(64)]);
    expect(fetcher.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(fetcher.securityContext).toEqual(pod.containers[0].securityContext);
    expect(pod.containers[0].args).toEqual(['llm', 'serve', '-a', '0.0.0.0:8080', '-m', '/data/models/llama-7b.gguf', '--preload']);
    expect(workloadOf(renderAbi(abiDoc({ replicas: 1, llm: { provider: 'local', model: 'llama-7b' } }))).spec.template.spec.initContainers).toBeUndefined();
  });

  test('GIVEN features.ai false WHEN rendered THEN the container serves the database instead', () => {
    const container = containerOf(renderAbi(abiDoc({ replicas: 1, features: { ai: false, database: true } })));
    expect(container.args).toEqual(['db', 'serve', '--addr', '0.0.0.0:8080']);
  });

  test('GIVEN a cluster without the Prometheus Operator WHEN rendered THEN no ServiceMonitor', () => {
    const objects = renderAbi(abiDoc({ replicas: 1 }), { cluster: { prometheusOperator: false } });
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  test('GIVEN the pod WHEN rendered THEN it meets Pod Security "restricted" with writable mounts where the server writes', () => {
    const pod = workloadOf(renderAbi(abiDoc({ replicas: 1 }))).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/data', '/tmp']);
  });
});

describe('cluster image policy', () => {
  test('GIVEN a profile with a mirror registry and pull Secrets WHEN an image names no registry THEN it is pulled from the mirror with both Secrets', () => {
    const objects = renderAbi(abiDoc({ replicas: 1, image: { repository: 'abi/abi', tag: 'v1', pullSecrets: [{ name: 'own' }] } }), {
      cluster: { imageRegistry: 'mirror.example.com/hub', imagePullSecrets: ['mirror-creds', 'own'] },
    });
    const pod = workloadOf(objects).spec.template.spec;
    expect(pod.containers[0].image).toBe('mirror.example.com/hub/abi/abi:v1');
    expect(pod.imagePullSecrets).toEqual([{ name: 'own' }, { name: 'mirror-creds' }]);
  });

  test('GIVEN a mirror registry WHEN the image names its registry THEN it is left as written', () => {
    const objects = renderAbi(abiDoc({ replicas: 1 }), { cluster: { imageRegistry: 'mirror.example.com' } });
    expect(containerOf(objects).image).toBe('ghcr.io/abi/abi:v1.0.0');
    expect(workloadOf(objects).spec.template.spec.imagePullSecrets).toBeUndefined();
  });
});

describe('AbiInstanceChart used directly from code', () => {
  test('GIVEN a spec that breaks a rule WHEN the chart is constructed THEN it throws naming the construct and each field, as the pipeline would', () => {
    expect(() => renderAbi(abiDoc({ replicas: 5, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 }, storage: { accessModes: ['ReadOnlyMany'] } })))
      .toThrow(/^AbiInstanceChart test: invalid spec:\n {2}spec\.storage\.accessModes: allows no writes[^\n]*\n {2}spec\.autoscaling\.minReplicas: is 5, more than maxReplicas 3/);
  });
});
