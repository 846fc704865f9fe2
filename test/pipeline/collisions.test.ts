import * as fs from 'fs';
import * as path from 'path';
import { loadInstances } from '../../src/pipeline/load-instances';
import { ClusterObjects, podSelection } from '../../src/pipeline/object-collisions';
import { formatProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { renderClusters } from '../../src/pipeline/synthesize';
import { abi, expectRefused, previousOutput, problemsOf, runSynth, vecodex, workspace } from './support';

// [case, file a (first in render order), file b, object both render]
const CASES: Array<[string, string, string, string]> = [
  ['AbiInstance x next to AbiInstance x-headless', abi('x'), abi('x-headless'), 'Service team/x-headless'],
  ['VecodexSet v next to AbiInstance v-coordinator', vecodex('v'), abi('v-coordinator'), 'Service team/v-coordinator'],
  ['VecodexSet v next to AbiInstance v-writer', vecodex('v'), abi('v-writer'), 'Service team/v-writer'],
  ['VecodexSet v with a shard named writer next to VecodexSet v-searcher', vecodex('v', 'team', '    shards: [{id: writer}]'), vecodex('v-searcher'), 'Deployment.apps team/v-searcher-writer'],
];

describe('collisions between instances of one cluster', () => {
  test('GIVEN the cases THEN there are some', () => expect(CASES.length).toBeGreaterThan(3));

  test.each(CASES)('GIVEN %s WHEN synthesized THEN it is refused naming both instances and the object', (_name, first, second, object) => {
    const { base, root } = workspace({ 'c1/a.yaml': first, 'c1/b.yaml': second });
    try {
      // Loading alone passes: the collision is between what the two render.
      expect(problemsOf(root)).toEqual([]);
      const problems = problemsOf(root, true);
      const collision = problems.find((p) => p.includes('two objects with one identity'));
      expect(collision).toBeDefined();
      expect(collision).toContain(`${path.join(root, 'c1/b.yaml')}: document 1: `);
      expect(collision).toContain(`in ${path.join(root, 'c1/a.yaml')} (document 1) renders too`);
      expect(collision).toContain(object);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN colliding instances WHEN synth runs on several threads THEN it exits 1 with the same problem and leaves the output as it was', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('x'), 'c1/b.yaml': abi('x-headless'), 'c2/c.yaml': abi('y') });
    try {
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(root, outdir, { env: { SYNTH_WORKERS: '2' } });
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${path.join(root, 'c1/b.yaml')}: document 1: AbiInstance team/x-headless: metadata.name: renders Service team/x-headless, which AbiInstance team/x in ${path.join(root, 'c1/a.yaml')} (document 1) renders too`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN the same instances in two namespaces or two clusters WHEN synthesized THEN nothing collides', () => {
    const { base, root } = workspace({ 'c1/a.yaml': `${abi('x')}---\n${abi('x-headless', 'other')}`, 'c2/a.yaml': abi('x-headless') });
    try {
      expect(problemsOf(root, true)).toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN clusters built in code (no loader) WHEN rendered THEN the same check refuses the collision', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('x'), 'c1/b.yaml': abi('x-headless') });
    try {
      const clusters = loadInstances(root);
      let error: unknown;
      try { renderClusters(clusters); } catch (err) { error = err; }
      expect(error).toBeInstanceOf(SpecValidationError);
      expect((error as SpecValidationError).problems.map(formatProblem)).toEqual([expect.stringContaining('renders Service team/x-headless')]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('selectors that reach the pods of another instance', () => {
  const deployment = (name: string, selector: Record<string, string>, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'team' },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels } } },
  });
  const service = (name: string, selector: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'team' }, spec: { selector } });
  const owner = (name: string, document: number) => ({ file: 'c1/a.yaml', document, resource: `Custom team/${name}` });

  test('GIVEN a Service of one instance whose selector matches the pods of another, under other names WHEN checked THEN it is refused naming both', () => {
    const objects = new ClusterObjects('c1');
    const a = [deployment('a', { app: 'a' }, { app: 'a', tier: 'web' }), service('a', { tier: 'web' })];
    const b = [deployment('b', { app: 'b' }, { app: 'b', tier: 'web' })];
    objects.add(owner('a', 1), a.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata })), podSelection(a));
    objects.add(owner('b', 2), b.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata })), podSelection(b));
    expect(objects.problems().map(formatProblem)).toEqual([
      'c1/a.yaml: document 2: Custom team/b: metadata.name: the Service team/a of Custom team/a in c1/a.yaml (document 1) (selector tier=web) selects the pods of the Deployment.apps team/b of this instance in cluster "c1": the workloads and Services of one instance would take over the pods of the other; rename one of the two instances',
    ]);
  });

  test('GIVEN selectors that match only their own pods WHEN checked THEN nothing is reported', () => {
    const objects = new ClusterObjects('c1');
    const a = [deployment('a', { app: 'a' }, { app: 'a', tier: 'web' })];
    const b = [deployment('b', { app: 'b', tier: 'web' }, { app: 'b', tier: 'web' })];
    objects.add(owner('a', 1), [], podSelection(a));
    objects.add(owner('b', 2), [], podSelection(b));
    expect(objects.problems()).toEqual([]);
  });
});
