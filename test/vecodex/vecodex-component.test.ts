import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { resolveGpuProfile } from '../../src/shared/gpu-scheduling';
import { CONFIG_HASH_ANNOTATION } from '../../src/shared/status';
import { ResolvedComponent, resolveVecodexSpec } from '../../src/vecodex/resolve-vecodex-spec';
import { VecodexComponent, VecodexComponentProps } from '../../src/vecodex/vecodex-component';
import { coordinatorConfig, writerConfig } from '../../src/vecodex/vecodex-config';
import { UPSTREAM_SELECTOR_LABEL } from '../../src/vecodex/vecodex-labels';
import { selects } from '../support/rendered';
import { loadVecodex, renderVecodex } from './support';

// Every optional extension: a GPU writer, an autoscaled coordinator with a PDB, external etcd and S3.
const FULL = 'test/vecodex/fixtures/full.yaml';
const doc = loadVecodex(FULL);
const spec = resolveVecodexSpec(doc.name, doc.spec);
const writerProps: VecodexComponentProps = { instance: doc.name, name: 'full-writer', component: spec.writer, config: writerConfig(doc.name, spec) };
const coordinatorProps: VecodexComponentProps = { instance: doc.name, name: 'full-coordinator', component: spec.coordinator, config: coordinatorConfig(doc.name, spec) };

/** The component alone in a chart of the fixture's namespace, and what it renders. */
function renderAlone(props: VecodexComponentProps, id = 'Component'): { component: VecodexComponent; objects: any[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: doc.namespace, disableResourceNameHashes: true });
  const component = new VecodexComponent(chart, id, props);
  return { component, objects: Testing.synth(chart) };
}
const kinds = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const one = (objects: any[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('VecodexComponent', () => {
  test('GIVEN the full fixture\'s writer WHEN rendered alone THEN it is exactly the writer VecodexSetChart renders: ConfigMap, Deployment, Service in that order', () => {
    const { objects } = renderAlone({ ...writerProps, s3Credentials: spec.s3.credentials, waitFor: [{ host: 'etcd.infra', port: 2379 }, { host: 's3.example.com', port: 443 }, { host: 'full-searcher-0', port: 44400 }, { host: 'full-searcher-1', port: 44400 }] });
    const fromChart = renderVecodex(FULL).filter((o) => ['ConfigMap', 'Deployment', 'Service'].includes(o.kind) && ['full-writer', 'full-writer-config'].includes(o.metadata.name));
    expect(kinds(objects)).toEqual(['ConfigMap/full-writer-config', 'Deployment/full-writer', 'Service/full-writer']);
    expect(objects).toEqual(fromChart);
  });

  test('GIVEN a component WHEN rendered THEN the Deployment mounts the ConfigMap, carries its hash, and selects upstream\'s app label that the Service selects too', () => {
    const { component, objects } = renderAlone(writerProps);
    const deployment = one(objects, 'Deployment');
    const service = one(objects, 'Service');
    expect(component.selector).toEqual({ [UPSTREAM_SELECTOR_LABEL]: 'full-writer' });
    expect(deployment.spec.selector.matchLabels).toEqual(component.selector);
    expect(service.spec.selector).toEqual(component.selector);
    expect(selects(component.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(deployment.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(component.config.name);
    expect(deployment.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION.vecodex]).toBe(component.config.hash);
    // The selector label is the pods'; the Service carries only the recommended labels.
    expect(service.metadata.labels[UPSTREAM_SELECTOR_LABEL]).toBeUndefined();
  });

  test('GIVEN a component that autoscales and sets a PDB WHEN rendered THEN the HPA targets the Deployment, which leaves replicas to it, and the PDB selects the workload\'s pods', () => {
    const { component, objects } = renderAlone(coordinatorProps);
    expect(kinds(objects)).toEqual(['ConfigMap/full-coordinator-config', 'Deployment/full-coordinator', 'HorizontalPodAutoscaler/full-coordinator', 'PodDisruptionBudget/full-coordinator', 'Service/full-coordinator']);
    const deployment = one(objects, 'Deployment');
    const hpa = one(objects, 'HorizontalPodAutoscaler');
    const pdb = one(objects, 'PodDisruptionBudget');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'full-coordinator' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 5]);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(ApiObject.of(component.autoscaler!).kind).toBe('HorizontalPodAutoscaler');
    expect(ApiObject.of(component.disruptionBudget!).kind).toBe('PodDisruptionBudget');
  });

  test('GIVEN a component without autoscaling or a budget WHEN rendered THEN there is no HPA or PDB and the Deployment sets its replica count', () => {
    const { component, objects } = renderAlone(writerProps);
    expect(objects.filter((o) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind))).toEqual([]);
    expect(component.autoscaler).toBeUndefined();
    expect(component.disruptionBudget).toBeUndefined();
    expect(one(objects, 'Deployment').spec.replicas).toBe(1);
  });

  test('GIVEN a podDisruptionBudget with neither minAvailable nor maxUnavailable WHEN rendered THEN no PDB is rendered', () => {
    const component: ResolvedComponent = { ...spec.writer, podDisruptionBudget: {} };
    const { component: rendered, objects } = renderAlone({ ...writerProps, component });
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(rendered.disruptionBudget).toBeUndefined();
  });

  test('GIVEN service: false and pod labels WHEN rendered THEN there is no Service, the pods carry the labels, and the selector does not', () => {
    const { component, objects } = renderAlone({ ...writerProps, service: false, podLabels: { 'example.com/team': 'search' } });
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
    expect(component.service).toBeUndefined();
    const deployment = one(objects, 'Deployment');
    expect(deployment.spec.template.metadata.labels['example.com/team']).toBe('search');
    expect(deployment.metadata.labels['example.com/team']).toBe('search');
    expect(deployment.spec.selector.matchLabels).toEqual({ [UPSTREAM_SELECTOR_LABEL]: 'full-writer' });
  });

  test('GIVEN wait targets and S3 credentials WHEN rendered THEN an init container waits for each target and the container reads the credentials from the Secret', () => {
    const { objects } = renderAlone({ ...writerProps, waitFor: [{ host: 'etcd.infra', port: 2379 }], s3Credentials: spec.s3.credentials });
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0].command.slice(5)).toEqual(['etcd.infra:2379']);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef?.name]));
    expect(env.AWS_ACCESS_KEY_ID).toBe('vecodex-s3');
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('vecodex-s3');
  });

  test('GIVEN no wait targets and no S3 credentials WHEN rendered THEN the pod has no init container and no AWS_* env', () => {
    const { objects } = renderAlone(coordinatorProps);
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.containers[0].env.map((e: any) => e.name).filter((n: string) => n.startsWith('AWS_'))).toEqual([]);
  });

  test('GIVEN a GPU writer and no gpu prop WHEN rendered THEN the pods are scheduled by the default GPU profile', () => {
    const gpu = resolveGpuProfile();
    const { objects } = renderAlone(writerProps);
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(pod.nodeSelector).toEqual(gpu.nodeSelector);
    expect(pod.tolerations).toEqual(gpu.tolerations);
    expect(renderAlone({ ...writerProps, gpu }).objects).toEqual(objects);
  });

  test('GIVEN a component WHEN ApiObject.of is called on it THEN the escape hatch is its Deployment, and on its config the ConfigMap', () => {
    const { component } = renderAlone(writerProps);
    expect(ApiObject.of(component).kind).toBe('Deployment');
    expect(ApiObject.of(component).metadata.name).toBe('full-writer');
    expect(ApiObject.of(component.workload)).toBe(ApiObject.of(component));
    expect(ApiObject.of(component.config).kind).toBe('ConfigMap');
    expect(ApiObject.of(component.service!).kind).toBe('Service');
  });

  test('GIVEN a JSON patch on ApiObject.of(component) WHEN rendered THEN the Deployment carries it and nothing else changes', () => {
    const plain = renderAlone(writerProps).objects;
    const { component, objects } = renderAlone(writerProps);
    ApiObject.of(component).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
    const patched = Testing.synth(Chart.of(component));
    expect(one(patched, 'Deployment').spec.minReadySeconds).toBe(10);
    expect(objects).toEqual(plain);
    expect(patched.filter((o) => o.kind !== 'Deployment')).toEqual(plain.filter((o) => o.kind !== 'Deployment'));
  });

  test('GIVEN two different construct IDs WHEN rendered THEN the output is identical: object names come from props, not from the construct path', () => {
    expect(renderAlone(coordinatorProps, 'A').objects).toEqual(renderAlone(coordinatorProps, 'SomethingElse').objects);
  });
});
