import { Testing } from 'cdk8s';
import { StatusReconciler } from '../../src/reconciler/status-reconciler';

function synth(props = {}) {
  const chart = Testing.chart();
  new StatusReconciler(chart, 'reconciler', props);
  return Testing.synth(chart) as any[];
}

describe('StatusReconciler construct', () => {
  test('GIVEN defaults WHEN synthesized THEN namespace, identity, RBAC, 2-replica Deployment, PDB and metrics Service are rendered', () => {
    const kinds = synth().map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual([
      'Namespace/cdk8s-abi-vecodex-system',
      'ServiceAccount/cdk8s-abi-vecodex-status-reconciler',
      'ClusterRole/cdk8s-abi-vecodex-status-reconciler',
      'ClusterRoleBinding/cdk8s-abi-vecodex-status-reconciler',
      'Role/cdk8s-abi-vecodex-status-reconciler-leader-election',
      'RoleBinding/cdk8s-abi-vecodex-status-reconciler-leader-election',
      'Deployment/cdk8s-abi-vecodex-status-reconciler',
      'PodDisruptionBudget/cdk8s-abi-vecodex-status-reconciler',
      'NetworkPolicy/cdk8s-abi-vecodex-status-reconciler',
      'Service/cdk8s-abi-vecodex-status-reconciler-metrics',
    ]);
  });

  test('GIVEN defaults, restricted egress, or networkPolicy false WHEN synthesized THEN metrics are admitted from monitoring only, egress is DNS and the API server only when restricted, and false renders no policy', () => {
    const policyOf = (props: object) => synth(props).find((o) => o.kind === 'NetworkPolicy');
    const open = policyOf({});
    expect(open.metadata.namespace).toBe('cdk8s-abi-vecodex-system');
    expect(open.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'status-reconciler', 'app.kubernetes.io/instance': 'cdk8s-abi-vecodex-status-reconciler' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'http-metrics' }] }],
    });
    const restricted = policyOf({ networkPolicy: { monitoringNamespace: 'prom', egress: 'restricted' } });
    expect(restricted.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(restricted.spec.egress.map((r: any) => r.ports.map((p: any) => `${p.protocol}/${p.port}`))).toEqual([['UDP/53', 'TCP/53'], ['TCP/443', 'TCP/6443']]);
    expect(policyOf({ networkPolicy: false })).toBeUndefined();
  });

  test('GIVEN defaults WHEN synthesized THEN the PDB keeps one replica but lets an unhealthy one be evicted', () => {
    const pdb = synth().find((o) => o.kind === 'PodDisruptionBudget');
    expect(pdb.spec).toMatchObject({ minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('GIVEN defaults WHEN synthesized THEN the namespace enforces Pod Security restricted and the pod complies', () => {
    const objects = synth();
    const ns = objects.find((o) => o.kind === 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('GIVEN defaults WHEN synthesized THEN RBAC never grants Secrets, wildcards, or writes other than status, events and the lease', () => {
    const objects = synth();
    const rules = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
      expect(rule.verbs).not.toContain('*');
      expect(rule.verbs).not.toContain('delete');
      const writes = rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v));
      if (writes.length > 0) {
        expect(rule.resources.every((r: string) => r.endsWith('/status') || r === 'events' || r === 'leases')).toBe(true);
      }
    }
    const role = objects.find((o) => o.kind === 'Role');
    expect(role.metadata.namespace).toBe('cdk8s-abi-vecodex-system');
  });

  test('GIVEN products [abi] and a custom namespace WHEN synthesized THEN only AbiInstance is granted and flags follow the props', () => {
    const objects = synth({ products: ['abi'], namespace: 'ops', createNamespace: false, logLevel: 'debug', replicas: 3 });
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
    const groups = objects.find((o) => o.kind === 'ClusterRole').rules.flatMap((r: any) => r.apiGroups);
    expect(groups).toContain('abi.io');
    expect(groups).not.toContain('apps.vecodex.link');
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.metadata.namespace).toBe('ops');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--log-level=debug', '--products=abi']));
  });
});
