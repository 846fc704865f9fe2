/**
 * Property-based tests (issue 10): seeded, reproducible, shrinking. A bounded
 * number of runs here; `npm run fuzz -- --count N --seed S` runs as many as
 * wanted with the same properties (test/property/properties.ts). A failure
 * prints its seed and the shrunk counterexample as a spec file; keep it under
 * test/fixtures/fuzz-regressions/ and fuzz-regressions.test.ts replays it.
 */
import fc from 'fast-check';
import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { testOnlyCrds } from '../support/api-apply';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeObject } from '../support/kube-client';
import { checkApiServerAccepts, checkEdgeCluster, checkMutationRefused, checkParallelSame, checkRenders, clusterDocs, counterexampleYaml, edgeCluster, mutatedCluster } from './properties';

/** Fixed so that `npm test` is reproducible; the fuzzer takes fresh ones. */
const SEED = 20261201;
const report = (what: string) => (out: fc.RunDetails<any>): void => {
  if (!out.failed) return;
  const example = (out.counterexample as any)?.[0];
  const cluster = example?.cluster ?? example;
  throw new Error(`${what} failed (seed ${out.seed}, path ${out.counterexamplePath}): ${String(out.error ?? '')}\n--- counterexample (keep as test/fixtures/fuzz-regressions/<name>.yaml) ---\n${cluster ? counterexampleYaml(cluster, String(out.error ?? what)) : ''}`);
};

describe('properties of valid specs', () => {
  test('GIVEN generated clusters WHEN synthesized THEN every valid spec loads and renders, with no duplicate object identity', () => {
    let instances = 0;
    report('renders')(fc.check(fc.property(clusterDocs, (cluster) => {
      instances += cluster.instances.length;
      checkRenders(cluster);
    }), { seed: SEED, numRuns: 60 }));
    expect(instances).toBeGreaterThan(60);
  }, 120_000);

  test('GIVEN generated clusters WHEN rendered on one and on two threads THEN the output is byte-identical', async () => {
    const clusters = fc.sample(clusterDocs, { seed: SEED + 1, numRuns: 4 });
    await checkParallelSame(clusters, 2);
  }, 120_000);

  test('GIVEN mutations of valid specs (wrong type, range, pattern, enum, unknown field, missing field, int32 overflow) WHEN loaded THEN each is refused naming its field, without a stack trace', () => {
    const kinds = new Set<string>();
    report('mutation refused')(fc.check(fc.property(mutatedCluster, ({ cluster, index, mutation }) => {
      kinds.add(mutation.kind);
      checkMutationRefused(cluster, index, mutation);
    }), { seed: SEED + 2, numRuns: 150 }));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['int32 overflow', 'missing required', 'out of range', 'unknown field', 'wrong type']));
  }, 120_000);
});

describe('properties of edge values', () => {
  test('GIVEN valid specs with values at and beyond Kubernetes\' limits WHEN loaded THEN each is refused naming fields, or renders cleanly', async () => {
    let accepted = 0;
    let runs = 0;
    report('edge values')(await fc.check(fc.asyncProperty(edgeCluster, async ({ cluster }) => {
      runs += 1;
      if (await checkEdgeCluster(cluster)) accepted += 1;
    }), { seed: SEED + 4, numRuns: 100 }));
    // Both outcomes occur, or the property tests only one side.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(runs);
  }, 120_000);
});

describeWithApiServer('properties against a real API server', () => {
  const plane = useControlPlane();
  beforeAll(async () => {
    await plane().adminClient().installCrds([...(renderCrdObjects() as KubeObject[]), ...testOnlyCrds()]);
  }, 120_000);

  test('GIVEN generated clusters WHEN every rendered object is dry-run applied (fieldValidation=Strict) THEN none is refused and none draws a warning', async () => {
    const client = plane().adminClient() as any;
    let instances = 0;
    report('API server accepts')(await fc.check(fc.asyncProperty(clusterDocs, async (cluster) => {
      instances += cluster.instances.length;
      await checkApiServerAccepts(client, checkRenders(cluster));
    }), { seed: SEED + 3, numRuns: 40 }));
    expect(instances).toBeGreaterThan(40);
  }, 600_000);

  test('GIVEN edge values that synth accepts WHEN dry-run applied (fieldValidation=Strict) THEN the API server accepts them too, without warnings', async () => {
    const client = plane().adminClient() as any;
    let accepted = 0;
    report('edge values accepted by the API server')(await fc.check(fc.asyncProperty(edgeCluster, async ({ cluster }) => {
      if (await checkEdgeCluster(cluster, client)) accepted += 1;
    }), { seed: SEED + 5, numRuns: 60 }));
    expect(accepted).toBeGreaterThan(0);
  }, 600_000);

  test('GIVEN a rendered object with an unknown field WHEN dry-run applied the same way THEN it is refused (the property can fail)', async () => {
    const [cluster] = fc.sample(clusterDocs, { seed: SEED, numRuns: 1 });
    const tree = checkRenders(cluster);
    const [file] = [...tree.keys()].filter((f) => f.endsWith('manifests.yaml'));
    tree.set(file, tree.get(file)!.replace(/^spec:$/m, 'spec:\n  zzUnknownField: 1'));
    await expect(checkApiServerAccepts(plane().adminClient() as any, tree)).rejects.toThrow(/zzUnknownField/);
  }, 120_000);
});
