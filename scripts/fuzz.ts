/**
 * `npm run fuzz -- --count N --seed S [--api-server]`: the properties of
 * test/property/properties.ts over as many generated specs as asked for.
 * Default seed: the clock (printed, so a run can be repeated). With
 * KUBEBUILDER_ASSETS set (or --api-server), rendered objects also go to a real
 * kube-apiserver under strict server-side dry-run. A failing property prints
 * its shrunk counterexample and writes it to test/fixtures/fuzz-regressions/,
 * where test/property/fuzz-regressions.test.ts replays it.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { renderCrdObjects } from '../src/pipeline/crd-files';
import { checkApiServerAccepts, checkEdgeCluster, checkMutationRefused, checkParallelSame, checkRenders, ClusterDocs, clusterDocs, counterexampleYaml, edgeCluster, mutatedCluster } from '../test/property/properties';
import { assetsDirectory, ControlPlane } from '../test/support/control-plane';
import { KubeObject } from '../test/support/kube-client';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const REPO = path.join(__dirname, '..', '..');
const REGRESSIONS = path.join(REPO, 'test', 'fixtures', 'fuzz-regressions');

/** The CRDs of test/fixtures/crds (ServiceMonitor...), read from the repository, not from lib/. */
function testOnlyCrds(): KubeObject[] {
  const dir = path.join(REPO, 'test', 'fixtures', 'crds');
  return fs.readdirSync(dir).sort().map((f) => yaml.load(fs.readFileSync(path.join(dir, f), 'utf8')) as KubeObject);
}

function keep(what: string, seed: number, out: fc.RunDetails<any>): boolean {
  if (!out.failed) return true;
  const example = (out.counterexample as any)?.[0];
  const cluster: ClusterDocs | undefined = example?.cluster ?? example;
  const why = String(out.error ?? what);
  console.error(`\n${what}: FAILED (seed ${seed}, path ${out.counterexamplePath}, after ${out.numRuns} runs, ${out.numShrinks} shrinks)\n${why}`);
  if (cluster) {
    fs.mkdirSync(REGRESSIONS, { recursive: true });
    const file = path.join(REGRESSIONS, `${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${seed}.yaml`);
    const header = example?.mutation ? `# expect: refused (${example.mutation.kind} at ${example.mutation.path} of instance ${example.index})\n` : '# expect: renders\n';
    fs.writeFileSync(file, header + counterexampleYaml(cluster, why));
    console.error(`counterexample written to ${file}`);
  }
  return false;
}

async function main(): Promise<void> {
  const count = Number(option('count') ?? 500);
  const seed = Number(option('seed') ?? Date.now() % 2 ** 31);
  const apiServer = process.argv.includes('--api-server') || assetsDirectory() !== undefined;
  console.log(`fuzz: ${count} clusters, seed ${seed}${apiServer ? ', real API server' : ' (KUBEBUILDER_ASSETS unset: no API-server property)'}`);
  let instances = 0;
  let ok = true;
  const started = Date.now();

  ok = keep('renders', seed, fc.check(fc.property(clusterDocs, (c) => { instances += c.instances.length; checkRenders(c); }), { seed, numRuns: count })) && ok;
  console.log(`renders: ${count} clusters, ${instances} instances (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  let mutations = 0;
  const kinds = new Map<string, number>();
  ok = keep('mutation refused', seed, fc.check(fc.property(mutatedCluster, ({ cluster, index, mutation }) => {
    mutations += 1;
    kinds.set(mutation.kind, (kinds.get(mutation.kind) ?? 0) + 1);
    checkMutationRefused(cluster, index, mutation);
  }), { seed: seed + 1, numRuns: count })) && ok;
  console.log(`mutations: ${mutations} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`);

  let edges = 0;
  let edgeAccepted = 0;
  ok = keep('edge values', seed, await fc.check(fc.asyncProperty(edgeCluster, async ({ cluster }) => {
    edges += 1;
    if (await checkEdgeCluster(cluster)) edgeAccepted += 1;
  }), { seed: seed + 4, numRuns: count })) && ok;
  console.log(`edge values: ${edges} clusters, ${edgeAccepted} accepted by synth, ${edges - edgeAccepted} refused naming fields`);

  try {
    await checkParallelSame(fc.sample(clusterDocs, { seed: seed + 2, numRuns: Math.max(1, Math.min(20, Math.round(count / 50))) }), 2);
    console.log('parallel: byte-identical');
  } catch (err) {
    ok = false;
    console.error(`parallel: FAILED: ${(err as Error).message}`);
  }

  if (apiServer) {
    const plane = await ControlPlane.start();
    try {
      const client = plane.adminClient();
      await client.installCrds([...(renderCrdObjects() as KubeObject[]), ...testOnlyCrds()]);
      let applied = 0;
      ok = keep('API server accepts', seed, await fc.check(fc.asyncProperty(clusterDocs, async (c) => {
        applied += c.instances.length;
        await checkApiServerAccepts(client as any, checkRenders(c));
      }), { seed: seed + 3, numRuns: count })) && ok;
      console.log(`API server: ${applied} instances dry-run applied`);
      let edgeApplied = 0;
      ok = keep('edge values accepted by the API server', seed, await fc.check(fc.asyncProperty(edgeCluster, async ({ cluster }) => {
        if (await checkEdgeCluster(cluster, client as any)) edgeApplied += 1;
      }), { seed: seed + 5, numRuns: count })) && ok;
      console.log(`API server: ${edgeApplied} edge-value clusters accepted by synth, dry-run applied`);
    } finally {
      await plane.stop();
    }
  }
  console.log(`fuzz: ${ok ? 'all properties hold' : 'FAILURES above'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
