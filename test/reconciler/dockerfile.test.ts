/**
 * The Dockerfile cannot be built in CI here (no Docker daemon), so this test
 * holds it to what the StatusReconciler construct runs: the entrypoint is the
 * compiled main.js the build stage produces, the user is the uid the pod's
 * securityContext expects, the port is the one probed and scraped, every flag
 * the Deployment passes is one the program accepts, and everything main.js
 * loads at run time is copied into the image or survives `npm prune --omit=dev`.
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseOptions, splitHostPort } from '../../src/reconciler/options';
import { RECONCILER_UID, StatusReconciler } from '../../src/reconciler/status-reconciler';
import { ensureBuilt, MAIN_JS } from './reconciler-process';

const ROOT = path.resolve(__dirname, '..', '..');

interface Instruction { readonly op: string; readonly args: string }
interface Stage { readonly from: string; readonly name?: string; readonly instructions: Instruction[] }

/** Enough of the Dockerfile grammar for this file: comments, line continuations, FROM … AS …. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) { pending += `${line.slice(0, -1)} `; continue; }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const space = line.indexOf(' ');
    const op = line.slice(0, space).toUpperCase();
    const args = line.slice(space + 1).trim();
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!m) throw new Error(`cannot parse FROM ${args}`);
      stages.push({ from: m[1], name: m[2], instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${op} before FROM`);
      stages[stages.length - 1].instructions.push({ op, args });
    }
  }
  return stages;
}

const dockerfile = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const build = dockerfile.find((s) => s.name === 'build')!;
const runtime = dockerfile[dockerfile.length - 1];
const last = (stage: Stage, op: string) => [...stage.instructions].reverse().find((i) => i.op === op)?.args;
const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);
const execForm = (args: string | undefined): string[] => {
  const parsed = JSON.parse(args ?? 'null');
  if (!Array.isArray(parsed)) throw new Error(`not exec form: ${args}`);
  return parsed;
};

function renderedDeployment(): any {
  const chart = Testing.chart();
  new StatusReconciler(chart, 'reconciler');
  return (Testing.synth(chart) as any[]).find((o) => o.kind === 'Deployment');
}

describe('Dockerfile against the StatusReconciler construct', () => {
  const deployment = renderedDeployment();
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('GIVEN the Dockerfile WHEN parsed THEN it is multi-stage with a build stage and a separate, minimal runtime stage', () => {
    expect(build).toBeDefined();
    expect(runtime).not.toBe(build);
    expect(runtime.from).toMatch(/distroless/);
    // Only build output and production modules reach the runtime stage.
    const copies = all(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy).toMatch(/^--from=build /);
  });

  test('GIVEN the runtime stage WHEN compared with the pod THEN the numeric USER is the uid/gid runAsNonRoot expects', () => {
    const user = last(runtime, 'USER');
    // runAsNonRoot can only be verified by the kubelet for a numeric user.
    expect(user).toMatch(/^\d+(:\d+)?$/);
    const [uid, gid] = user!.split(':').map(Number);
    expect(uid).toBe(RECONCILER_UID);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, ...(gid !== undefined ? { runAsGroup: gid } : {}) });
  });

  test('GIVEN the ENTRYPOINT WHEN resolved against WORKDIR and the COPY of lib THEN it is the compiled main.js the build stage emits, and the construct keeps it (no command override)', () => {
    const entrypoint = execForm(last(runtime, 'ENTRYPOINT'));
    expect(path.posix.basename(entrypoint[0])).toBe('node');
    const workdir = last(runtime, 'WORKDIR')!;
    const script = path.posix.resolve(workdir, entrypoint[1]);
    // COPY --from=build /src/lib ./lib: the image path under /app/lib is the build stage's /src/lib.
    const libCopy = all(runtime, 'COPY').map((c) => c.split(/\s+/)).find((parts) => parts[1] === `${last(build, 'WORKDIR')}/lib`);
    expect(libCopy).toBeDefined();
    const libInImage = path.posix.resolve(workdir, libCopy![2]);
    expect(script.startsWith(`${libInImage}/`)).toBe(true);
    // The build stage compiles with tsconfig.build.json, whose outDir is lib/ at the repository root, as locally.
    expect(all(build, 'RUN').join(' ')).toContain('tsc -p tsconfig.build.json');
    ensureBuilt();
    expect(path.relative(ROOT, MAIN_JS)).toBe(path.posix.relative(path.posix.dirname(libInImage), script));
    expect(container.command).toBeUndefined();
  });

  test('GIVEN CMD and the Deployment args WHEN parsed by the program THEN both are valid, and the listen port is the EXPOSEd, named and probed container port', () => {
    const exposed = Number(last(runtime, 'EXPOSE'));
    const cmd = execForm(last(runtime, 'CMD'));
    for (const args of [cmd, container.args as string[]]) {
      const options = parseOptions(args, {});
      expect(splitHostPort(options.listenAddress).port).toBe(exposed);
    }
    expect(container.ports).toEqual([expect.objectContaining({ name: 'http-metrics', containerPort: exposed })]);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http-metrics' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http-metrics' });
  });

  test('GIVEN the build stage WHEN compared with tsconfig.build.json THEN every folder it compiles is copied in', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
    const copied = all(build, 'COPY').flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(tsconfig.include.length).toBeGreaterThan(0);
    for (const include of tsconfig.include as string[]) expect(copied).toContain(include.split('/')[0]);
    expect(copied).toEqual(expect.arrayContaining(['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']));
  });

  test('GIVEN main.js WHEN its require graph is walked THEN every local module is under lib/ and every package is a production dependency (kept by npm prune --omit=dev)', () => {
    ensureBuilt();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const production = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const lib = path.join(ROOT, 'lib');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        const spec = m[1];
        if (spec.startsWith('.')) {
          const base = path.resolve(path.dirname(file), spec);
          const found = [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
          if (!found) throw new Error(`${file} requires ${spec}, which does not exist`);
          walk(found);
        } else if (!builtins.has(spec.replace(/^node:/, ''))) {
          packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    };
    walk(MAIN_JS);
    expect([...seen].filter((f) => !f.startsWith(`${lib}${path.sep}`))).toEqual([]);
    expect(packages.has('@kubernetes/client-node')).toBe(true);
    expect([...packages].filter((p) => !production.has(p))).toEqual([]);
  });
});
