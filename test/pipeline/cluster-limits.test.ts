import * as fs from 'fs';
import * as path from 'path';
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { GITOPS_NAME_MAX_LENGTH, MAX_CLUSTER_FOLDER_LENGTH, maxNamespaceLength } from '../../src/pipeline/gitops-name-limits';
import { SYSTEM_NAMESPACES } from '../../src/pipeline/reserved-namespaces';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { abi, expectRefused, previousOutput, problemsOf, runSynth, workspace } from './support';

const PROFILE = 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\nspec:\n';
const GITOPS = '  gitops:\n    repoURL: https://github.com/example-org/platform.git\n';

/** Every name the Argo CD and Flux files of `cluster` hold. */
function gitOpsObjectNames(files: Map<string, string>, cluster: string): string[] {
  return [...files.entries()]
    .filter(([file]) => file.startsWith(`${cluster}/argocd/`) || file.startsWith(`${cluster}/flux/`))
    .flatMap(([, text]) => [...text.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]));
}

describe('cluster folder names and namespaces: every derived GitOps name fits a label value', () => {
  test('GIVEN a cluster folder name of exactly the maximum WHEN synthesized with GitOps THEN every Argo CD/Flux name fits, the longest exactly', () => {
    const cluster = 'c'.repeat(MAX_CLUSTER_FOLDER_LENGTH);
    const { base, root } = workspace({ [`${cluster}/cluster.yaml`]: PROFILE + GITOPS, [`${cluster}/a.yaml`]: abi('a', 'ns') });
    try {
      const names = gitOpsObjectNames(synthesizeRepository(root), cluster);
      expect(names).toContain(gitOpsNames(cluster).bootstrapProject);
      expect(Math.max(...names.map((n) => n.length))).toBe(GITOPS_NAME_MAX_LENGTH);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN a cluster folder name one longer than the maximum WHEN synth runs THEN it is refused saying the maximum', () => {
    const cluster = 'c'.repeat(MAX_CLUSTER_FOLDER_LENGTH + 1);
    const { base, root } = workspace({ [`${cluster}/a.yaml`]: abi('a') });
    try {
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(root, outdir);
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${path.join(root, cluster)}: is too long for a cluster folder name: ${MAX_CLUSTER_FOLDER_LENGTH + 1} characters, at most ${MAX_CLUSTER_FOLDER_LENGTH} are allowed`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN GitOps wiring and a namespace one longer than the cluster allows WHEN loaded THEN it is refused on metadata.namespace saying the maximum; at the maximum it renders', () => {
    const max = maxNamespaceLength('c1');
    const { base, root } = workspace({ 'c1/cluster.yaml': PROFILE + GITOPS, 'c1/a.yaml': `${abi('a', 'n'.repeat(max + 1))}---\n${abi('b', 'm'.repeat(max))}` });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining(`a.yaml: document 1: AbiInstance ${'n'.repeat(max + 1)}/a: metadata.namespace: "${'n'.repeat(max + 1)}" is too long for cluster "c1"`)]);
      expect(problemsOf(root)[0]).toContain(`namespaces of this cluster may have at most ${max} characters`);
      fs.writeFileSync(path.join(root, 'c1/a.yaml'), abi('b', 'm'.repeat(max)));
      const names = gitOpsObjectNames(synthesizeRepository(root), 'c1');
      expect(names).toContain(gitOpsNames('c1').namespace('m'.repeat(max)));
      expect(Math.max(...names.map((n) => n.length))).toBe(GITOPS_NAME_MAX_LENGTH);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN the README WHEN it states the cluster folder maximum THEN it is the derived one', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain(`A cluster folder name has at most ${MAX_CLUSTER_FOLDER_LENGTH} characters`);
  });

  test('GIVEN no GitOps wiring WHEN a namespace is that long THEN it renders (no Argo CD or Flux object is named after it)', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('a', 'n'.repeat(maxNamespaceLength('c1') + 1)) });
    try {
      expect(problemsOf(root, true)).toEqual([]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('system namespaces', () => {
  test.each(SYSTEM_NAMESPACES.map((ns) => [ns]))('GIVEN spec.reconciler.namespace %s WHEN loaded THEN the profile is refused on that field', (namespace) => {
    const { base, root } = workspace({ 'c1/cluster.yaml': `${PROFILE}  reconciler:\n    namespace: ${namespace}\n`, 'c1/a.yaml': abi('a') });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining(`${path.join(root, 'c1/cluster.yaml')}: document 1: ClusterProfile: spec.reconciler.namespace: "${namespace}" is a Kubernetes system namespace`)]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test.each([['kube-system'], ['kube-public'], ['kube-node-lease']])('GIVEN an instance in %s WHEN loaded THEN it is refused on metadata.namespace', (namespace) => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('a', namespace) });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining(`metadata.namespace: "${namespace}" is a Kubernetes system namespace`)]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN GitOps wiring WHEN an instance uses the Flux namespace THEN it is refused; in default it renders', () => {
    const { base, root } = workspace({ 'c1/cluster.yaml': PROFILE + GITOPS, 'c1/a.yaml': `${abi('a', 'flux-system')}---\n${abi('b', 'default')}` });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining('AbiInstance flux-system/a: metadata.namespace: "flux-system" is Flux\'s namespace')]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('never replace the output with nothing', () => {
  test('GIVEN an instances dir with no cluster folder WHEN synth runs THEN it is refused and the output is left as it was', () => {
    const { base, root } = workspace({ 'README.md': '# instances\n' });
    try {
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(root, outdir);
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${root}: holds no cluster folder`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN cluster folders without any instance WHEN synth runs THEN it is refused and the output is left as it was', () => {
    const { base, root } = workspace({ 'c1/cluster.yaml': PROFILE + GITOPS, 'c2/empty.yaml': '# nothing yet\n' });
    try {
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(root, outdir);
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${root}: holds no instance in any of its cluster folders (c1, c2)`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN a rendered output of two clusters WHEN one cluster folder is removed on purpose THEN its output is pruned', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('a'), 'c2/b.yaml': abi('b') });
    try {
      const outdir = path.join(base, 'dist');
      expect(runSynth(root, outdir).status).toBe(0);
      expect(fs.readdirSync(outdir).sort()).toEqual(['c1', 'c2']);
      fs.rmSync(path.join(root, 'c2'), { recursive: true });
      expect(runSynth(root, outdir).status).toBe(0);
      expect(fs.readdirSync(outdir)).toEqual(['c1']);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN an instances dir that does not exist WHEN synth runs THEN it is refused and the output is left as it was', () => {
    const { base } = workspace();
    try {
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(path.join(base, 'missing'), outdir);
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${path.join(base, 'missing')}: does not exist`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
