import * as path from 'path';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import ignore from 'ignore';
import { CEL_EXPRESSIONS } from '../../src/gitops/flux-health-exprs';
import { onlyFolders, SOURCE_GROUP_LABEL } from '../../src/gitops/flux-wiring';
import { shardOf } from '../../src/gitops/instance-shards';
import { renderableKinds } from '../../src/gitops/project-kinds';
import { reconcilerImage } from '../../src/shared/cluster-profile';
import { documents, twoClusters, wiringDocuments } from './fixtures';
import { kustomizeBuild } from './kustomize';
import { StrictValidator, strictValidators } from './model-schema';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'argoproj.io/v1alpha1/AppProject': AppProject,
  'argoproj.io/v1alpha1/Application': Application,
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': Kustomization,
  'source.toolkit.fluxcd.io/v1/GitRepository': GitRepository,
};

function validate(obj: any): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`no model for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

const byName = (objects: any[], name: string) => {
  const found = objects.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${name} not found among ${objects.map((o) => o.metadata.name).join(', ')}`);
  return found;
};

describe('Argo CD and Flux objects', () => {
  const files = twoClusters();
  // The root lists and every shard list (each shard folder builds on its own too).
  const gitops = (cluster: string) => [...wiringDocuments(files, cluster, 'argocd'), ...wiringDocuments(files, cluster, 'flux')];

  let strict: { objects: Record<string, StrictValidator>; kustomization: StrictValidator };
  beforeAll(() => {
    strict = strictValidators();
  });
  const strictIssues = (obj: any) => {
    const check = strict.objects[`${obj.apiVersion}/${obj.kind}`];
    if (!check) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
    return check(obj);
  };

  test.each(['alpha', 'beta'])('GIVEN cluster %s WHEN its Argo CD and Flux objects are validated against the upstream models and their strict schemas THEN all pass', (cluster) => {
    const objects = gitops(cluster);
    expect(objects.length).toBeGreaterThan(5);
    expect(objects.some((o) => o.spec.healthCheckExprs)).toBe(cluster === 'beta');
    for (const obj of objects) {
      expect(() => validate(obj)).not.toThrow();
      expect({ object: `${obj.kind}/${obj.metadata.name}`, issues: strictIssues(obj) }).toEqual({ object: `${obj.kind}/${obj.metadata.name}`, issues: [] });
    }
  });

  test('GIVEN an object with a wrongly typed field WHEN validated THEN validation fails (the check above can fail)', () => {
    const platform = byName(kustomizeBuild(files, 'alpha/flux'), 'abi-vecodex-alpha-platform');
    expect(() => validate({ ...platform, spec: { ...platform.spec, prune: 'yes' } })).toThrow();
    expect(strictIssues({ ...platform, spec: { ...platform.spec, prune: 'yes' } })).toEqual(['spec.prune: must be of type boolean']);
    const app = byName(kustomizeBuild(files, 'alpha/argocd'), 'abi-vecodex-alpha-platform');
    expect(() => validate({ ...app, spec: { ...app.spec, source: { path: 1 } } })).toThrow();
  });

  test('GIVEN each kind with a misspelled field WHEN validated strictly THEN the field is reported (the upstream models alone accept it)', () => {
    const argo = wiringDocuments(files, 'beta', 'argocd');
    const flux = wiringDocuments(files, 'beta', 'flux');
    const app = byName(argo, 'abi-vecodex-beta-team-b-scaled');
    const project = byName(argo, 'abi-vecodex-beta');
    const kustomization = byName(flux, 'abi-vecodex-beta-team-b-scaled');
    const repo = repositoryOf(flux);
    const cases: Array<[any, string]> = [
      [{ ...app, spec: { ...app.spec, syncPolicy: { ...app.spec.syncPolicy, automated: { prune: true, selfheal: true } } } }, 'spec.syncPolicy.automated.selfheal'],
      [{ ...app, spec: { ...app.spec, ignoreDifferences: [{ ...app.spec.ignoreDifferences[0], jqPathExpression: ['.spec.replicas'] }] } }, 'spec.ignoreDifferences[0].jqPathExpression'],
      [{ ...project, spec: { ...project.spec, clusterResourceWhitelists: [] } }, 'spec.clusterResourceWhitelists'],
      [{ ...kustomization, spec: { ...kustomization.spec, dependOn: kustomization.spec.dependsOn } }, 'spec.dependOn'],
      [{ ...kustomization, spec: { ...kustomization.spec, healthCheckExprs: [{ ...kustomization.spec.healthCheckExprs[0], inprogress: 'true' }] } }, 'spec.healthCheckExprs[0].inprogress'],
      [{ ...repo, spec: { ...repo.spec, ref: { brnach: 'main' } } }, 'spec.ref.brnach'],
      [{ ...repo, metadata: { ...repo.metadata, annotation: {} } }, 'metadata.annotation'],
    ];
    for (const [obj, field] of cases) {
      expect(() => validate(obj)).not.toThrow();
      expect(strictIssues(obj)).toEqual([expect.stringMatching(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: is not a known field`))]);
    }
  });

  test('GIVEN every kustomization.yaml of both clusters WHEN validated THEN each has only apiVersion, kind and resources; a misspelled field is reported', () => {
    const kustomizations = [...files.keys()].filter((f) => f.endsWith('/kustomization.yaml'));
    expect(kustomizations.length).toBeGreaterThan(10);
    for (const file of kustomizations) {
      expect({ file, issues: strict.kustomization(documents(files, file)[0]) }).toEqual({ file, issues: [] });
    }
    const root = documents(files, 'alpha/kustomization.yaml')[0];
    expect(strict.kustomization({ apiVersion: root.apiVersion, kind: root.kind, resource: root.resources })).toEqual([
      'resource: is not a known field: allowed fields here are apiVersion, kind, resources',
    ]);
    expect(strict.kustomization({ ...root, kind: 'Kustomisation' })).toEqual(['kind: must be one of "Kustomization"']);
  });

  test('GIVEN the beta rendering WHEN snapshotted THEN Argo CD and Flux files match', () => {
    const wiringFiles = [...files.keys()].filter((f) => /^beta\/(argocd|flux)\/.*\.yaml$/.test(f) && !f.endsWith('/argocd-cm.yaml')).sort();
    expect(wiringFiles).toContain('beta/flux/team-b/shard-b/kustomizations.yaml');
    for (const file of wiringFiles) {
      expect(files.get(file)).toMatchSnapshot(file);
    }
  });

  describe('Argo CD', () => {
    test('GIVEN alpha WHEN reading the Applications THEN the root manages argocd/, platform syncs before instances, with prune and server-side apply', () => {
      const apps = wiringDocuments(files, 'alpha', 'argocd').filter((d) => d.kind === 'Application');
      expect(apps.map((a) => [a.metadata.name, a.spec.source.path, a.metadata.annotations?.['argocd.argoproj.io/sync-wave']])).toEqual([
        // The root lists itself: in the last wave, so it never waits on its own (the fleet's) health to go on.
        ['abi-vecodex-alpha', 'dist/alpha/argocd', '1'],
        ['abi-vecodex-alpha-platform', 'dist/alpha/platform', '-1'],
        ['abi-vecodex-alpha-default', 'dist/alpha/default/_namespace', '0'],
        ['abi-vecodex-alpha-default--shard-f', 'dist/alpha/argocd/default/shard-f', '1'],
        ['abi-vecodex-alpha-team-a', 'dist/alpha/team-a/_namespace', '0'],
        ['abi-vecodex-alpha-team-a--shard-2', 'dist/alpha/argocd/team-a/shard-2', '1'],
        ['abi-vecodex-alpha-team-a--shard-3', 'dist/alpha/argocd/team-a/shard-3', '1'],
        // The shards' lists: one Application per instance, in the shard of its name's hash.
        ['abi-vecodex-alpha-default-basic', 'dist/alpha/default/basic', undefined],
        ['abi-vecodex-alpha-default-vecodexset-sample', 'dist/alpha/default/vecodexset-sample', undefined],
        ['abi-vecodex-alpha-team-a-search', 'dist/alpha/team-a/search', undefined],
        ['abi-vecodex-alpha-team-a-chat', 'dist/alpha/team-a/chat', undefined],
      ]);
      expect(documents(files, 'alpha/argocd/team-a/shard-3/applications.yaml').map((a) => a.metadata.name)).toEqual(['abi-vecodex-alpha-team-a-chat']);
      for (const app of apps) {
        expect(app.spec.source.repoURL).toBe('https://git.example.com/platform/fleet.git');
        expect(app.spec.source.targetRevision).toBe('main');
        // Plain directories: the repo-server never runs kustomize.
        expect(app.spec.source.directory).toBeDefined();
        // The namespace Applications only hold the (never pruned) Namespace; not pruning keeps the layout migration safe.
        const namespaceOnly = app.spec.source.path.endsWith('/_namespace');
        expect({ name: app.metadata.name, automated: app.spec.syncPolicy.automated })
          .toEqual({ name: app.metadata.name, automated: { prune: !namespaceOnly, selfHeal: true } });
        expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
        expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
      }
      expect(byName(apps, 'abi-vecodex-alpha').spec.project).toBe('abi-vecodex-alpha-bootstrap');
      // Shards only manage Applications, next to Argo CD, like the root.
      const shard = byName(apps, 'abi-vecodex-alpha-team-a--shard-2');
      expect(shard.spec.project).toBe('abi-vecodex-alpha-bootstrap');
      expect(shard.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
      // A shard prunes at once (a removal must not wait for its siblings' health); the root prunes last, after the shards have synced.
      expect(shard.spec.syncPolicy.syncOptions).not.toContain('PruneLast=true');
      expect(byName(apps, 'abi-vecodex-alpha').spec.syncPolicy.syncOptions).toContain('PruneLast=true');
      expect(byName(apps, 'abi-vecodex-alpha-team-a-search').spec.syncPolicy.syncOptions).toContain('PruneLast=true');
      expect(byName(apps, 'abi-vecodex-alpha-team-a').spec.project).toBe('abi-vecodex-alpha');
    });

    test('GIVEN the platform WHEN rendered THEN CRDs are in an earlier wave than the rest of the platform', () => {
      const crds = documents(files, 'alpha/platform/crds.yaml');
      expect(crds.map((crd) => crd.kind)).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition']);
      for (const crd of crds) {
        expect(crd.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
      }
      expect(documents(files, 'alpha/team-a/_namespace/namespace.yaml')[0].metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    });

    test('GIVEN the platform WHEN rendered THEN the status reconciler runs in the profile namespace with the profile image (default: its published image)', () => {
      const image = (cluster: string) => kustomizeBuild(files, `${cluster}/platform`).find((o) => o.kind === 'Deployment')!;
      expect(image('alpha').spec.template.spec.containers[0].image).toBe(reconcilerImage());
      expect(image('alpha').metadata.namespace).toBe('cdk8s-abi-vecodex-system');
      expect(image('beta').spec.template.spec.containers[0].image).toBe('registry.example.com/mirror/reconciler:1.2.3');
      expect(image('beta').metadata.namespace).toBe('abi-system');
      expect(byName(wiringDocuments(files, 'beta', 'argocd').filter((d) => d.kind === 'Application'), 'abi-vecodex-beta-platform').spec.destination.namespace).toBe('abi-system');
    });

    test('GIVEN ignoreDifferences WHEN rendered THEN they exist only for the workload an HPA scales', () => {
      const withIgnores = [...wiringDocuments(files, 'alpha', 'argocd').filter((d) => d.kind === 'Application'), ...wiringDocuments(files, 'beta', 'argocd').filter((d) => d.kind === 'Application')]
        .filter((a) => a.spec.ignoreDifferences);
      expect(withIgnores.map((a) => a.metadata.name)).toEqual(['abi-vecodex-beta-team-b-scaled']);
      const hpa = kustomizeBuild(files, 'beta/team-b/scaled').find((o) => o.kind === 'HorizontalPodAutoscaler')!;
      expect(withIgnores[0].spec.ignoreDifferences).toEqual([{ group: 'apps', kind: hpa.spec.scaleTargetRef.kind, jqPathExpressions: ['.spec.replicas'] }]);
      expect(withIgnores[0].spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    });

    test('GIVEN the workload AppProject WHEN rendered THEN it allows every kind the cluster renders and can render, in every namespace but the reserved ones', () => {
      const project = byName(documents(files, 'alpha/argocd/projects.yaml'), 'abi-vecodex-alpha');
      const objects = kustomizeBuild(files, 'alpha');
      const gk = (o: any) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;
      const allowed = [...project.spec.namespaceResourceWhitelist, ...project.spec.clusterResourceWhitelist].map((x: any) => `${x.group}/${x.kind}`).sort();
      // Not narrowed to what renders now (project-kinds.ts): exactly the declared renderable kinds.
      expect(allowed).toEqual([...new Set(renderableKinds().map((x) => `${x.group}/${x.kind}`))].sort());
      expect(allowed).toEqual(expect.arrayContaining([...new Set(objects.map(gk))]));
      expect(project.spec.clusterResourceWhitelist.map((x: any) => x.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Namespace']);
      const server = 'https://kubernetes.default.svc';
      expect(project.spec.destinations).toEqual([
        { server, namespace: '*' },
        ...['argocd', 'flux', 'flux-system', 'kube-node-lease', 'kube-public', 'kube-system', 'platform'].map((ns) => ({ server, namespace: `!${ns}` })),
      ]);
      expect(project.spec.sourceRepos).toEqual(['https://git.example.com/platform/fleet.git']);
    });

    test('GIVEN a destination cluster by name (beta) WHEN rendered THEN the project allows every namespace of that cluster only (Argo CD matches namespace denies against the server, which synth does not know)', () => {
      const project = byName(documents(files, 'beta/argocd/projects.yaml'), 'abi-vecodex-beta');
      expect(project.spec.destinations).toEqual([{ name: 'beta-cluster', namespace: '*' }]);
    });

    test('GIVEN beta overrides WHEN rendered THEN the Argo CD namespace, destination name, revision and path follow the profile', () => {
      const apps = wiringDocuments(files, 'beta', 'argocd').filter((d) => d.kind === 'Application');
      const team = byName(apps, 'abi-vecodex-beta-team-b-extra');
      expect(team.metadata.namespace).toBe('gitops');
      expect(team.spec.destination).toEqual({ name: 'beta-cluster', namespace: 'team-b' });
      expect(team.spec.source).toEqual({
        repoURL: 'ssh://git@git.example.com/platform/fleet.git', targetRevision: 'release', path: 'deploy/rendered/beta/team-b/extra', directory: { exclude: 'kustomization.yaml' },
      });
      expect(byName(apps, 'abi-vecodex-beta-platform').spec.destination).toEqual({ name: 'beta-cluster', namespace: 'abi-system' });
      // The root manages Applications, which live next to Argo CD whatever the workload cluster.
      expect(byName(apps, 'abi-vecodex-beta').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'gitops' });
    });

    test('GIVEN argocd-cm.yaml WHEN rendered THEN it is outside the root Application and switches tracking to annotations', () => {
      const argo = kustomizeBuild(files, 'alpha/argocd');
      expect(argo.some((o) => o.kind === 'ConfigMap')).toBe(false);
      const [cm] = documents(files, 'beta/argocd/argocd-cm.yaml');
      expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'gitops' });
      expect(cm.data['application.resourceTrackingMethod']).toBe('annotation');
      expect(Object.keys(cm.data)).toContain('resource.customizations.health.abi.io_AbiInstance');
    });
  });

  describe('Flux', () => {
    test('GIVEN alpha WHEN reading the Kustomizations THEN instances depend on the platform, everything prunes, and our custom resources are health-checked', () => {
      const ks = wiringDocuments(files, 'alpha', 'flux').filter((d) => d.kind === 'Kustomization');
      expect(ks.map((k) => [k.metadata.name, k.spec.path, k.spec.dependsOn?.map((d: any) => d.name)])).toEqual([
        ['abi-vecodex-alpha', './dist/alpha/flux', undefined],
        ['abi-vecodex-alpha-platform', './dist/alpha/platform', undefined],
        ['abi-vecodex-alpha-default', './dist/alpha/default/_namespace', ['abi-vecodex-alpha-platform']],
        ['abi-vecodex-alpha-default--shard-f', './dist/alpha/flux/default/shard-f', undefined],
        ['abi-vecodex-alpha-team-a', './dist/alpha/team-a/_namespace', ['abi-vecodex-alpha-platform']],
        ['abi-vecodex-alpha-team-a--shard-2', './dist/alpha/flux/team-a/shard-2', undefined],
        ['abi-vecodex-alpha-team-a--shard-3', './dist/alpha/flux/team-a/shard-3', undefined],
        ['abi-vecodex-alpha-default-basic', './dist/alpha/default/basic', ['abi-vecodex-alpha-platform', 'abi-vecodex-alpha-default']],
        ['abi-vecodex-alpha-default-vecodexset-sample', './dist/alpha/default/vecodexset-sample', ['abi-vecodex-alpha-platform', 'abi-vecodex-alpha-default']],
        ['abi-vecodex-alpha-team-a-search', './dist/alpha/team-a/search', ['abi-vecodex-alpha-platform', 'abi-vecodex-alpha-team-a']],
        ['abi-vecodex-alpha-team-a-chat', './dist/alpha/team-a/chat', ['abi-vecodex-alpha-platform', 'abi-vecodex-alpha-team-a']],
      ]);
      for (const k of ks) {
        // The namespace Kustomizations only hold the (never pruned) Namespace; not pruning keeps the layout migration safe.
        expect({ name: k.metadata.name, prune: k.spec.prune }).toEqual({ name: k.metadata.name, prune: !k.spec.path.endsWith('/_namespace') });
        expect(k.metadata.namespace).toBe('flux-system');
      }
      // Lists read the cluster's source; an instance reads its shard's (next test).
      expect(byName(ks, 'abi-vecodex-alpha-default--shard-f').spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'abi-vecodex-alpha' });
      expect(byName(ks, 'abi-vecodex-alpha-team-a-search').spec.sourceRef).toEqual({ kind: 'GitRepository', name: `abi-vecodex-alpha-team-a--shard-${shardOf('search')}` });
      expect(byName(ks, 'abi-vecodex-alpha-platform').spec.wait).toBe(true);
      expect(byName(ks, 'abi-vecodex-alpha-default-basic').spec.healthChecks).toEqual([
        { apiVersion: 'abi.io/v1', kind: 'AbiInstance', name: 'basic', namespace: 'default' },
      ]);
      expect(byName(ks, 'abi-vecodex-alpha-default-vecodexset-sample').spec.healthChecks).toEqual([
        { apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', name: 'vecodexset-sample', namespace: 'default' },
      ]);
      expect(byName(ks, 'abi-vecodex-alpha-default-basic').spec.healthCheckExprs).toBeUndefined();
      expect(byName(ks, 'abi-vecodex-alpha-default').spec.wait).toBe(true);
    });

    test('GIVEN beta with healthCheck cel WHEN rendered THEN healthCheckExprs cover both kinds with the shared contract', () => {
      const ks = wiringDocuments(files, 'beta', 'flux').filter((d) => d.kind === 'Kustomization');
      const team = byName(ks, 'abi-vecodex-beta-team-b-scaled');
      expect(team.spec.healthCheckExprs.map((e: any) => `${e.apiVersion}/${e.kind}`)).toEqual(['abi.io/v1/AbiInstance', 'apps.vecodex.link/v1alpha1/VecodexSet']);
      expect(team.spec.healthCheckExprs[0]).toMatchObject(CEL_EXPRESSIONS);
      expect(team.spec.healthChecks.map((h: any) => h.name)).toEqual(['scaled']);
      expect(byName(ks, 'abi-vecodex-beta-team-b-extra').spec.healthChecks.map((h: any) => h.name)).toEqual(['extra']);
      expect(team.metadata.namespace).toBe('flux');
      expect(team.spec.interval).toBe('2m');
      expect(team.spec.timeout).toBe('3m');
    });

    test('GIVEN each shard\'s GitRepository WHEN git\'s ignore rules are applied to the repository THEN its artifact holds exactly the folders of the instances reading it', () => {
      const flux = wiringDocuments(files, 'alpha', 'flux');
      const shardSources = documents(files, 'alpha/flux/shard-sources.yaml');
      const shardLists = flux.filter((d) => d.kind === 'Kustomization' && d.spec.path.startsWith('./dist/alpha/flux/'));
      expect(shardSources.length).toBeGreaterThan(1);
      expect(shardSources.map((r) => r.metadata.name)).toEqual(shardLists.map((k) => k.metadata.name));
      for (const source of shardSources) {
        const readers = flux.filter((d) => d.kind === 'Kustomization' && d.spec.sourceRef.name === source.metadata.name);
        expect(readers.length).toBeGreaterThan(0);
        const folders = readers.map((k) => k.spec.path.replace(/^\.\//, '')).sort();
        expect({ source: source.metadata.name, folders: keptFolders(source) }).toEqual({ source: source.metadata.name, folders });
        // Checked out: the namespace's folder, which exists as long as any instance of the shard does.
        expect({ source: source.metadata.name, sparseCheckout: source.spec.sparseCheckout })
          .toEqual({ source: source.metadata.name, sparseCheckout: [...new Set(folders.map((f) => `${path.posix.dirname(f)}/`))] });
        const { url, ref, interval } = repositoryOf(flux).spec;
        expect(source.spec).toMatchObject({ url, ref, interval });
      }
    });

    test('GIVEN the cluster\'s GitRepository WHEN its ignore rules are applied THEN it holds what the root, platform, namespace and shard lists read, and no instance folder', () => {
      const flux = wiringDocuments(files, 'alpha', 'flux');
      const source = repositoryOf(flux);
      const kept = keptFolders(source);
      const readers = flux.filter((d) => d.kind === 'Kustomization' && d.spec.sourceRef.name === source.metadata.name);
      expect(readers.length).toBeGreaterThan(3);
      for (const k of readers) expect({ reader: k.metadata.name, kept: kept.includes(k.spec.path.replace(/^\.\//, '')) }).toEqual({ reader: k.metadata.name, kept: true });
      const instanceFolders = flux.filter((d) => d.kind === 'Kustomization' && !readers.includes(d)).map((k) => k.spec.path.replace(/^\.\//, ''));
      expect(instanceFolders.length).toBeGreaterThan(0);
      expect(kept.filter((f) => instanceFolders.includes(f))).toEqual([]);
      // It carries its own spec: a sparseCheckout folder that a commit removes would stop it for good.
      expect(source.spec.sparseCheckout).toBeUndefined();
    });

    test('GIVEN the GitRepository WHEN rendered THEN it follows the profile and fetches only the folders its Kustomizations read', () => {
      const [repo] = documents(files, 'beta/flux/gitrepository.yaml');
      expect(repo.metadata.name).toBe('abi-vecodex-beta');
      // Credentials: every source of beta reads with the profile's secret, alpha's with none.
      const sources = (cluster: string) => wiringDocuments(files, cluster, 'flux').filter((d) => d.kind === 'GitRepository');
      expect(sources('beta').length).toBeGreaterThan(1);
      for (const source of sources('beta')) expect(source.spec.secretRef).toEqual({ name: 'fleet-git-credentials' });
      expect(sources('alpha').length).toBeGreaterThan(1);
      for (const source of sources('alpha')) expect(source.spec.secretRef).toBeUndefined();
      // One label on every source of a cluster: a webhook Receiver selects them all by it.
      for (const cluster of ['alpha', 'beta']) {
        for (const source of sources(cluster)) expect(source.metadata.labels).toEqual({ [SOURCE_GROUP_LABEL]: `abi-vecodex-${cluster}` });
      }
      expect(repo.spec.url).toBe('ssh://git@git.example.com/platform/fleet.git');
      expect(repo.spec.ref).toEqual({ branch: 'release' });
      expect(repo.spec.ignore).toBe(onlyFolders(['deploy/rendered/beta/flux', 'deploy/rendered/beta/platform', 'deploy/rendered/beta/team-b/_namespace']));
      expect(onlyFolders(['deploy/rendered/beta/team-b/_namespace', 'deploy/rendered/beta/flux'])).toBe([
        '/*', '!/deploy/', '/deploy/*', '!/deploy/rendered/', '/deploy/rendered/*', '!/deploy/rendered/beta/', '/deploy/rendered/beta/*',
        '!/deploy/rendered/beta/flux/', '!/deploy/rendered/beta/team-b/', '/deploy/rendered/beta/team-b/*', '!/deploy/rendered/beta/team-b/_namespace/', '',
      ].join('\n'));
    });
  });
});

/** The cluster's own GitRepository (the first of its flux/ objects; the shards' follow). */
function repositoryOf(flux: ReturnType<typeof wiringDocuments>): ReturnType<typeof wiringDocuments>[number] {
  return flux.find((o) => o.kind === 'GitRepository')!;
}

/**
 * The folders of the repository a GitRepository's artifact holds files of:
 * those under its sparseCheckout folders, if any, less what git's own ignore
 * rules drop.
 */
function keptFolders(source: ReturnType<typeof wiringDocuments>[number]): string[] {
  const rules = ignore().add(source.spec.ignore);
  // As go-git matches sparseCheckout folders: by plain prefix.
  const checkedOut = (f: string) => (source.spec.sparseCheckout ?? ['']).some((d: string) => f.startsWith(d));
  const kept = [...twoClusters().keys()].map((f) => `dist/${f}`).filter((f) => checkedOut(f) && !rules.ignores(f));
  return [...new Set(kept.map((f) => path.posix.dirname(f)))].sort();
}
