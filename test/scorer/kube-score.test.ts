/**
 * An external scorer on everything we render: kube-score (built by
 * tools/kube-score/build.sh, location in KUBE_SCORE) runs on every rendered
 * sample and on a generated mix of every shape, and any finding not listed in
 * tools/kube-score/exceptions.yaml fails. Each exception names the check, the
 * objects it covers and why; an exception that no longer matches anything
 * fails too, so the list only shrinks with the findings.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { kubeScoreBinary } from '../support/binaries';
import { REPO_ROOT, renderedFleets } from '../support/fleet';
import { objectsOf } from '../support/rendered';

const binary = kubeScoreBinary();
const describeWithKubeScore = binary ? describe : describe.skip;
/** The Kubernetes minor the manifests target (the API server tests use 1.36). */
const KUBERNETES_VERSION = 'v1.36';
const EXCEPTIONS_FILE = path.join(REPO_ROOT, 'tools', 'kube-score', 'exceptions.yaml');

interface Exception {
  /** A check id, or several joined by |. */
  readonly check: string;
  /** Regular expression over `<cluster>/<Kind>/<namespace>/<name>` (and ` [<container>]` when the finding names one). */
  readonly objects: string;
  /** Regular expression over the finding's text. @default every finding of the check */
  readonly finding?: string;
  readonly why: string;
}

interface Finding {
  readonly check: string;
  readonly grade: string;
  /** `<cluster>/<Kind>/<namespace>/<name>`, plus ` [container]` when kube-score names one. */
  readonly object: string;
  readonly summary: string;
}

const GRADES: Record<number, string> = { 1: 'CRITICAL', 5: 'WARNING', 7: 'ALMOST_OK', 10: 'OK' };

function loadExceptions(): Exception[] {
  const doc = yaml.load(fs.readFileSync(EXCEPTIONS_FILE, 'utf8')) as { exceptions: Exception[] };
  for (const e of doc.exceptions) {
    if (!e.check || !e.objects || !e.why || e.why.trim().length < 20) throw new Error(`${EXCEPTIONS_FILE}: every exception needs check, objects and a why: ${JSON.stringify(e)}`);
  }
  return doc.exceptions;
}

/** kube-score's findings (grade below OK, not skipped) on one cluster's objects. */
function score(cluster: string, objects: readonly unknown[]): Finding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-score-'));
  try {
    const file = path.join(dir, 'manifests.yaml');
    fs.writeFileSync(file, objects.map((o) => yaml.dump(o, { noRefs: true })).join('---\n'));
    let out: string;
    try {
      out = execFileSync(binary!, ['score', '--output-format', 'json', '--kubernetes-version', KUBERNETES_VERSION, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    } catch (err: any) {
      // kube-score exits 1 when it has critical findings; the JSON is still complete.
      if (typeof err.stdout !== 'string' || err.stdout.trim() === '') throw err;
      out = err.stdout;
    }
    const results = JSON.parse(out) as any[];
    return results.flatMap((r) => {
      const object = `${cluster}/${r.type_meta.kind}/${r.object_meta.namespace ?? ''}/${r.object_meta.name}`;
      return (r.checks ?? []).filter((c: any) => !c.skipped && c.grade < 10).flatMap((c: any) => {
        const comments: any[] = c.comments?.length ? c.comments : [{ path: '', summary: c.check.name }];
        return comments.map((comment) => ({
          check: c.check.id,
          grade: GRADES[c.grade] ?? String(c.grade),
          object: comment.path ? `${object} [${comment.path}]` : object,
          summary: comment.summary,
        }));
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeWithKubeScore('kube-score on everything we render', () => {
  const exceptions = loadExceptions();
  const fleets = renderedFleets();
  // Scored in beforeAll, not while collecting: a skipped describe still runs
  // its body, and without the binary there is nothing to score.
  let findings: Array<{ name: string; findings: Finding[] }> = [];
  beforeAll(() => {
    // Per cluster: kube-score matches Services, PDBs and NetworkPolicies by namespace.
    findings = fleets.map((f) => {
      const clusters = [...new Set([...f.tree.keys()].map((file) => file.split('/')[0]))].sort();
      return {
        name: f.name,
        findings: clusters.flatMap((c) => score(c, objectsOf(f.tree, `${c}/`).filter((o) => o.kind !== 'CustomResourceDefinition'))),
      };
    });
  }, 120_000);
  const excepted = (f: Finding) => exceptions.find((e) => e.check.split('|').includes(f.check)
    && new RegExp(`^(?:${e.objects})$`).test(f.object)
    && (e.finding === undefined || new RegExp(e.finding).test(f.summary)));

  test('GIVEN the exceptions file THEN it is short and every entry says why', () => {
    expect(exceptions.length).toBeGreaterThan(0);
    expect(exceptions.length).toBeLessThanOrEqual(8);
  });

  test.each(fleets.map((f) => f.name))('GIVEN %s WHEN scored THEN every finding is a listed exception', (name) => {
    const { findings: all } = findings.find((f) => f.name === name)!;
    expect(all.length).toBeGreaterThan(0);
    const unexpected = all.filter((f) => !excepted(f)).map((f) => `${f.grade} ${f.check} ${f.object}: ${f.summary}`);
    expect(unexpected).toEqual([]);
  });

  test('GIVEN every exception THEN it still matches a finding (stale ones are removed)', () => {
    const all = findings.flatMap((f) => f.findings);
    expect(exceptions.filter((e) => !all.some((f) => excepted(f) === e)).map((e) => `${e.check}: ${e.objects}`)).toEqual([]);
  });

  test('GIVEN a Deployment without probes, limits or a NetworkPolicy WHEN scored THEN kube-score reports it (the scorer really runs)', () => {
    const bare = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare', namespace: 'x' }, spec: { replicas: 2, selector: { matchLabels: { app: 'bare' } }, template: { metadata: { labels: { app: 'bare' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const checks = score('x', [bare]).map((f) => f.check);
    expect(checks).toEqual(expect.arrayContaining(['container-resources', 'pod-networkpolicy', 'container-image-tag']));
  });
});
