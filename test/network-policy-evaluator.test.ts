/**
 * The NetworkPolicy evaluator (test/support/network-policy-evaluator.ts)
 * against the cases of the Kubernetes documentation,
 * kubernetes.io/docs/concepts/services-networking/network-policies: its
 * example policy (test-network-policy), the default policies (deny or allow
 * all ingress and egress), the AND/OR difference of namespaceSelector and
 * podSelector, port ranges (endPort), targeting a namespace by name, and
 * policies adding up.
 */
import { Cluster, connectionAllowed, egressAllows, Endpoint, ingressAllows, NetworkPolicy, Pod } from './support/network-policy-evaluator';

const pod = (name: string, namespace: string, labels: Record<string, string>, ports: Pod['ports'] = []): Pod => ({ kind: 'pod', name, namespace, labels, ports });
const external = (ip: string): Endpoint => ({ kind: 'external', ip });
const ns = (name: string, labels: Record<string, string> = {}) => ({ [name]: { 'kubernetes.io/metadata.name': name, ...labels } });
const policy = (name: string, namespace: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { name, namespace }, spec });

const namespaces = { ...ns('default'), ...ns('myproject', { project: 'myproject' }), ...ns('other'), ...ns('alice', { user: 'alice' }) };

// The documentation's "test-network-policy".
const TEST_NETWORK_POLICY = policy('test-network-policy', 'default', {
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [{
    from: [
      { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
      { namespaceSelector: { matchLabels: { project: 'myproject' } } },
      { podSelector: { matchLabels: { role: 'frontend' } } },
    ],
    ports: [{ protocol: 'TCP', port: 6379 }],
  }],
  egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
});

const db = pod('db', 'default', { role: 'db' }, [{ name: 'redis', containerPort: 6379 }]);
const frontend = pod('frontend', 'default', { role: 'frontend' });
const otherDefault = pod('web', 'default', { role: 'web' });
const inMyproject = pod('anything', 'myproject', { app: 'x' });
const frontendElsewhere = pod('frontend', 'other', { role: 'frontend' });

type Case = [string, Cluster, Endpoint, Endpoint, number, string, boolean];
const withTestPolicy: Cluster = { namespaces, policies: [TEST_NETWORK_POLICY] };
const CASES: Case[] = [
  // test-network-policy, ingress to role=db on TCP 6379
  ['a role=frontend pod of the same namespace', withTestPolicy, frontend, db, 6379, 'TCP', true],
  ['any pod of a namespace labelled project=myproject', withTestPolicy, inMyproject, db, 6379, 'TCP', true],
  ['an address in 172.17.0.0/16', withTestPolicy, external('172.17.3.4'), db, 6379, 'TCP', true],
  ['an address in the excepted 172.17.1.0/24', withTestPolicy, external('172.17.1.9'), db, 6379, 'TCP', false],
  ['another pod of the same namespace', withTestPolicy, otherDefault, db, 6379, 'TCP', false],
  ['a role=frontend pod of another namespace (podSelector means the policy\'s namespace)', withTestPolicy, frontendElsewhere, db, 6379, 'TCP', false],
  ['a role=frontend pod on another port', withTestPolicy, frontend, db, 6380, 'TCP', false],
  ['a role=frontend pod on UDP 6379', withTestPolicy, frontend, db, 6379, 'UDP', false],
  ['any pod to a pod no policy selects', withTestPolicy, otherDefault, frontend, 80, 'TCP', true],
  // test-network-policy, egress from role=db
  ['db to 10.0.0.0/24 on TCP 5978', withTestPolicy, db, external('10.0.0.7'), 5978, 'TCP', true],
  ['db to 10.0.0.0/24 on another port', withTestPolicy, db, external('10.0.0.7'), 5979, 'TCP', false],
  ['db to an address outside 10.0.0.0/24', withTestPolicy, db, external('10.0.1.7'), 5978, 'TCP', false],
  ['db to a pod (egress is isolated)', withTestPolicy, db, frontend, 80, 'TCP', false],
  // Default deny all ingress
  ['default deny ingress: any source', { namespaces, policies: [policy('default-deny-ingress', 'default', { podSelector: {}, policyTypes: ['Ingress'] })] }, frontend, otherDefault, 80, 'TCP', false],
  ['default deny ingress: egress stays open', { namespaces, policies: [policy('default-deny-ingress', 'default', { podSelector: {}, policyTypes: ['Ingress'] })] }, frontend, external('8.8.8.8'), 53, 'UDP', true],
  ['default deny ingress in another namespace does not apply', { namespaces, policies: [policy('default-deny-ingress', 'other', { podSelector: {}, policyTypes: ['Ingress'] })] }, frontend, otherDefault, 80, 'TCP', true],
  // Allow all ingress
  ['allow all ingress beside deny all', { namespaces, policies: [
    policy('default-deny-ingress', 'default', { podSelector: {}, policyTypes: ['Ingress'] }),
    policy('allow-all-ingress', 'default', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] }),
  ] }, inMyproject, otherDefault, 80, 'TCP', true],
  // Default deny all egress, and allow all egress
  ['default deny egress', { namespaces, policies: [policy('default-deny-egress', 'default', { podSelector: {}, policyTypes: ['Egress'] })] }, frontend, otherDefault, 80, 'TCP', false],
  ['default deny egress: ingress stays open', { namespaces, policies: [policy('default-deny-egress', 'default', { podSelector: {}, policyTypes: ['Egress'] })] }, inMyproject, frontend, 80, 'TCP', true],
  ['allow all egress', { namespaces, policies: [policy('allow-all-egress', 'default', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] })] }, frontend, external('1.2.3.4'), 443, 'TCP', true],
  // Default deny all ingress and egress
  ['default deny all: in', { namespaces, policies: [policy('default-deny-all', 'default', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })] }, inMyproject, frontend, 80, 'TCP', false],
  ['default deny all: out', { namespaces, policies: [policy('default-deny-all', 'default', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })] }, frontend, inMyproject, 80, 'TCP', false],
  // namespaceSelector and podSelector: one element (AND) or two (OR)
  ...((): Case[] => {
    const and = policy('and', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }] }] });
    const or = policy('or', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } } }, { podSelector: { matchLabels: { role: 'client' } } }] }] });
    const aliceClient = pod('c', 'alice', { role: 'client' });
    const aliceOther = pod('o', 'alice', { role: 'other' });
    const localClient = pod('c', 'default', { role: 'client' });
    return [
      ['AND: a role=client pod in user=alice', { namespaces, policies: [and] }, aliceClient, db, 6379, 'TCP', true],
      ['AND: another pod in user=alice', { namespaces, policies: [and] }, aliceOther, db, 6379, 'TCP', false],
      ['AND: a role=client pod of the policy\'s namespace', { namespaces, policies: [and] }, localClient, db, 6379, 'TCP', false],
      ['OR: another pod in user=alice', { namespaces, policies: [or] }, aliceOther, db, 6379, 'TCP', true],
      ['OR: a role=client pod of the policy\'s namespace', { namespaces, policies: [or] }, localClient, db, 6379, 'TCP', true],
      ['OR: a role=client pod of a namespace that is not alice', { namespaces, policies: [or] }, pod('c', 'other', { role: 'client' }), db, 6379, 'TCP', false],
    ];
  })(),
  // Port ranges (endPort)
  ...((): Case[] => {
    const range = policy('multi-port-egress', 'default', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] });
    return [
      ['endPort: the first port', { namespaces, policies: [range] }, db, external('10.0.0.1'), 32000, 'TCP', true],
      ['endPort: the last port', { namespaces, policies: [range] }, db, external('10.0.0.1'), 32768, 'TCP', true],
      ['endPort: one past the range', { namespaces, policies: [range] }, db, external('10.0.0.1'), 32769, 'TCP', false],
    ];
  })(),
  // Targeting a namespace by its name (kubernetes.io/metadata.name), and named ports
  ...((): Case[] => {
    const byName = policy('by-name', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'myproject' } } }], ports: [{ port: 'redis' }] }] });
    return [
      ['namespace by name, named port', { namespaces, policies: [byName] }, inMyproject, db, 6379, 'TCP', true],
      ['namespace by name, another namespace', { namespaces, policies: [byName] }, pod('x', 'other', {}), db, 6379, 'TCP', false],
      ['named port resolves only to its own number', { namespaces, policies: [byName] }, inMyproject, db, 6380, 'TCP', false],
    ];
  })(),
  // matchExpressions
  ...((): Case[] => {
    const expr = policy('expr', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['untrusted'] }] } }] }] });
    return [
      ['NotIn: a pod without the key', { namespaces, policies: [expr] }, frontend, db, 1, 'TCP', true],
      ['NotIn: a pod with an excluded value', { namespaces, policies: [expr] }, pod('u', 'default', { tier: 'untrusted' }), db, 1, 'TCP', false],
    ];
  })(),
];

describe('NetworkPolicy evaluator against the Kubernetes documentation', () => {
  test('GIVEN the table THEN it has cases', () => {
    expect(CASES.length).toBeGreaterThan(30);
  });

  test.each(CASES)('%s', (_what, cluster, source, destination, port, protocol, allowed) => {
    expect(connectionAllowed(cluster, source, destination, port, protocol)).toBe(allowed);
  });

  test('GIVEN policyTypes omitted THEN a policy with egress rules isolates egress too, one without only ingress', () => {
    const withEgress: Cluster = { namespaces, policies: [policy('p', 'default', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })] };
    expect(egressAllows(withEgress, frontend, external('1.1.1.1'), 443)).toBe(false);
    expect(ingressAllows(withEgress, inMyproject, frontend, 80)).toBe(false);
    const ingressOnly: Cluster = { namespaces, policies: [policy('p', 'default', { podSelector: {}, ingress: [{}] })] };
    expect(egressAllows(ingressOnly, frontend, external('1.1.1.1'), 443)).toBe(true);
  });
});
