import { KubeObject } from '../../src/reconciler/kube-object';
import { observedEndpoints, rolledOutRelease } from '../../src/reconciler/status/status-assembly';
import { StatusFacts } from '../../src/reconciler/status/status-facts';
import { NO_CHILDREN } from '../../src/reconciler/status/status-types';
import { facts, missing, observed, updating } from './status-facts-fixtures';

describe('rolled-out release (version and config hash)', () => {
  const previous = { version: 'v1', configHash: 'old' };
  interface ReleaseCase {
    readonly given: string;
    readonly facts: StatusFacts;
    readonly previous: Record<string, unknown>;
    readonly then: { version?: string; configHash?: string };
  }
  const CASES: readonly ReleaseCase[] = [
    { given: 'a rolled-out primary', facts: facts([observed('a', { image: 'r/a:v2', configHash: 'new' }), observed('b', { image: 'r/b:v9' })]), previous,
      then: { version: 'v2', configHash: 'new' } },
    { given: 'a primary mid-rollout', facts: facts([updating('a', { image: 'r/a:v2', configHash: 'new' })]), previous, then: previous },
    { given: 'a missing primary', facts: facts([missing('a')]), previous, then: previous },
    { given: 'an optional workload first (not the primary)', facts: facts([{ ...observed('o', { image: 'r/o:v7' }), critical: false }, observed('a', { image: 'r/a:v2' })]), previous,
      then: { version: 'v2', configHash: 'old' } },
    { given: 'no previous values and nothing rolled out', facts: facts([updating('a')]), previous: { version: '' }, then: { version: undefined, configHash: undefined } },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN the release is read THEN version ${c.then.version ?? 'absent'}`, () => {
      expect(rolledOutRelease(c.facts, c.previous)).toEqual(c.then);
    });
  }
});

describe('observed endpoints', () => {
  const expected = { workloads: [], services: ['demo'], endpoints: { http: 'http://demo:8080', ingress: 'spec.example', grpc: 'demo:50051' } };
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'demo' } };
  const ingress = (name: string, host?: string, tls = false): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name },
    spec: { rules: [host ? { host } : {}], ...(tls && host ? { tls: [{ hosts: [host] }] } : {}) },
  });
  const CASES: ReadonlyArray<{ given: string; services: KubeObject[]; ingresses: KubeObject[]; then: unknown }> = [
    { given: 'no Service yet', services: [], ingresses: [ingress('a', 'a.example')], then: undefined },
    { given: 'the Service and no Ingress (the spec host alone is not an endpoint)', services: [service], ingresses: [], then: { http: 'http://demo:8080', grpc: 'demo:50051' } },
    { given: 'an Ingress with TLS for its host', services: [service], ingresses: [ingress('a', 'a.example', true)], then: { http: 'http://demo:8080', grpc: 'demo:50051', ingress: 'https://a.example' } },
    { given: 'two Ingresses, the first by name without a host', services: [service], ingresses: [ingress('b', 'b.example'), ingress('a')], then: { http: 'http://demo:8080', grpc: 'demo:50051', ingress: 'http://b.example' } },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN endpoints are read THEN ${JSON.stringify(c.then)}`, () => {
      expect(observedEndpoints({ expected, children: { ...NO_CHILDREN, services: c.services, ingresses: c.ingresses } })).toEqual(c.then);
    });
  }
});
