/**
 * Rules a VecodexSet must satisfy that its schema cannot express. Each
 * returns issues naming the field, what is wrong and what is allowed.
 *
 * Errors stop the render. Warnings (vecodexSetWarnings) describe specs that
 * render and run but probably not as meant; most notably upstream's sample
 * passes the mode as a bare positional argument, which the binary's argparse
 * rejects (exit 1). Because the sample must keep working unchanged, a bare
 * mode equal to the component's own is rewritten to `--mode <mode>` and only
 * warned about; a bare mode naming another component is an error, since no
 * rewrite can tell which mode was meant.
 */
import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { checkAutoscaling } from '../shared/autoscaler';
import { ResolvedClusterProfile, resolveClusterProfile } from '../shared/cluster-profile';
import { checkDisruptionBudget } from '../shared/disruption-budget';
import { isGpuResource } from '../shared/gpu-scheduling';
import { checkAnnotations, checkConfigMapSize, checkObjectName, checkResourceRequirements, checkSecretKey, checkSpecSize, checkStorageSize, imageErrors, ingressHostErrors, issuesAt } from '../shared/kube-validation';
import { NAME_LIMITS } from '../shared/naming';
import { parseQuantity } from '../shared/quantity';
import { ValidationIssue } from '../shared/validation-issue';
import { resolveResources, ResolvedResources, resolveVecodexSpec } from './resolve-vecodex-spec';
import { generatedFlags, positionalModes, runsVecodexBinary } from './vecodex-command';
import { CONFIG_FILE, renderConfig, searcherConfig, writerConfig } from './vecodex-config';
import { vecodexObjectNames } from './vecodex-names';
import { VECODEX_DEFAULTS as D, VecodexMode } from './vecodex-set-defaults';

type AnyComponent = VecodexSetSpec['coordinator'] | VecodexSetSpec['writer'] | VecodexSetSpec['searcher'];

/** Every error in a VecodexSet spec. `name` enables the checks of shard-derived object names. */
export function vecodexSetRules(spec: VecodexSetSpec, cluster: ResolvedClusterProfile = resolveClusterProfile(), name?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const components: Array<[VecodexMode, AnyComponent]> = [['coordinator', spec.coordinator], ['writer', spec.writer], ['searcher', spec.searcher]];

  for (const [mode, component] of components) {
    issues.push(...commandRules(mode, component.command));
    issues.push(...resourceRules(`spec.${mode}.resources`, resolveResources(component.resources as any, D.resources), cluster));
  }
  if (spec.etcd?.managed) issues.push(...resourceRules('spec.etcd.managed.resources', resolveResources(spec.etcd.managed.resources as any, D.etcd.resources), cluster));
  if (spec.s3?.managed) issues.push(...resourceRules('spec.s3.managed.resources', resolveResources(spec.s3.managed.resources as any, D.minio.resources), cluster));

  // Replicas and their guards (coordinator and searchers scale; the writer does not).
  for (const mode of ['coordinator', 'searcher'] as const) {
    const component = spec[mode];
    const path = `spec.${mode}`;
    const autoscaling = resolveVecodexSpec('x', spec)[mode].autoscaling;
    if (autoscaling) {
      const bounds = checkAutoscaling(autoscaling, `${path}.autoscaling`);
      issues.push(...bounds);
      if (bounds.length === 0 && (component.replicas < autoscaling.minReplicas || component.replicas > autoscaling.maxReplicas)) {
        issues.push({ path: `${path}.replicas`, message: `is ${component.replicas}, outside the autoscaling bounds ${autoscaling.minReplicas}..${autoscaling.maxReplicas}: set it within them (the HPA owns the count)` });
      }
      // Utilization is usage / request (a request defaults to its limit); without
      // either the HPA reports "missing request" and never scales.
      const resources = resolveResources(component.resources as any, D.resources);
      const metrics: Array<[string, string]> = [['cpu', 'targetCPUUtilization'], ...(autoscaling.targetMemoryUtilization !== undefined ? [['memory', 'targetMemoryUtilization'] as [string, string]] : [])];
      for (const [resource, target] of metrics) {
        if (resources.requests?.[resource] === undefined && resources.limits?.[resource] === undefined) {
          issues.push({ path: `${path}.resources.requests.${resource}`, message: `is not set (nor a ${resource} limit) but autoscaling.${target} scales on ${resource} utilization, which is relative to the request: set a ${resource} request` });
        }
      }
    }
    if (component.podDisruptionBudget) {
      issues.push(...checkDisruptionBudget(component.podDisruptionBudget, autoscaling ? autoscaling.minReplicas : component.replicas, `${path}.podDisruptionBudget`));
    }
  }

  // Indexes.
  const indexIds = new Set<string>();
  (spec.indexes ?? []).forEach((index, i) => {
    const path = `spec.indexes[${i}]`;
    if (indexIds.has(index.id)) issues.push({ path: `${path}.id`, message: `"${index.id}" is used by another index: index ids must be unique` });
    indexIds.add(index.id);
    const m = index.m;
    if (index.type === 'faissHNSWFlat' && m === undefined) {
      issues.push({ path: `${path}.M`, message: 'is required for type faissHNSWFlat (the binary reads it unconditionally for HNSW): set the HNSW neighbour count, e.g. 16 or 32' });
    }
    if (index.type === 'faissFlat' && m !== undefined) {
      issues.push({ path: `${path}.M`, message: 'only applies to type faissHNSWFlat: remove it, or use type faissHNSWFlat' });
    }
  });

  // Shards.
  const shardIds = new Set<string>();
  (spec.searcher.shards ?? []).forEach((shard, i) => {
    const path = `spec.searcher.shards[${i}]`;
    if (shardIds.has(shard.id)) issues.push({ path: `${path}.id`, message: `"${shard.id}" is used by another shard: shard ids must be unique` });
    shardIds.add(shard.id);
    (shard.indexes ?? []).forEach((id, j) => {
      if (!indexIds.has(id)) {
        issues.push({ path: `${path}.indexes[${j}]`, message: `"${id}" is not an index of spec.indexes: use one of ${[...indexIds].map((x) => `"${x}"`).join(', ') || '(none defined)'}` });
      }
    });
    if (shard.indexes !== undefined && shard.indexes.length === 0) {
      issues.push({ path: `${path}.indexes`, message: 'is empty: a searcher with no index registers nothing in etcd and serves nothing; list at least one index id, or omit the field to serve every index' });
    }
    if (name !== undefined) {
      const workload = vecodexObjectNames(name).searcher(shard.id);
      const limit = NAME_LIMITS.deployment;
      if (workload.length > limit) {
        issues.push({ path: `${path}.id`, message: `"${shard.id}" makes the Deployment name "${workload}" ${workload.length} characters long, at most ${limit} are allowed: shorten the shard id or metadata.name` });
      }
    }
  });

  // Dependencies.
  if (spec.etcd?.external && spec.etcd.managed) {
    issues.push({ path: 'spec.etcd', message: 'sets both external and managed: set external.endpoint to use an existing etcd, or managed to render one, not both' });
  }
  if (spec.s3?.external && spec.s3.managed) {
    issues.push({ path: 'spec.s3', message: 'sets both external and managed: set external.endpoint to use an existing S3 endpoint, or managed to render MinIO, not both' });
  }
  issues.push(...checkStorageSize(spec.etcd?.managed?.storage?.size, 'spec.etcd.managed.storage.size'));
  issues.push(...checkStorageSize(spec.s3?.managed?.storage?.size, 'spec.s3.managed.storage.size'));
  const etcdSize = spec.etcd?.managed?.storage?.size;
  if (etcdSize !== undefined && Number(parseQuantity(etcdSize)) > 0 && Number(parseQuantity(etcdSize)) < 2 ** 30) {
    issues.push({ path: 'spec.etcd.managed.storage.size', message: `is ${etcdSize}, below 1Gi: etcd's write-ahead log alone takes up to ~380 MB, and its database gets half the volume; use 1Gi or more` });
  }
  issues.push(...stringRules(spec, name));
  return issues;
}

/** Strings that land in objects, under Kubernetes' rules for the fields they fill. */
function stringRules(spec: VecodexSetSpec, name: string | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const mode of ['coordinator', 'writer', 'searcher'] as const) {
    issues.push(...issuesAt(`spec.${mode}.image`, spec[mode].image, imageErrors(spec[mode].image)));
  }
  const ingress = spec.ingress;
  issues.push(...issuesAt('spec.ingress.host', ingress.host, ingressHostErrors(ingress.host)));
  if (ingress.className !== undefined) issues.push(...checkObjectName(ingress.className, 'spec.ingress.className', 'IngressClass'));
  if (ingress.tls !== undefined) issues.push(...checkObjectName(ingress.tls.secretName, 'spec.ingress.tls.secretName', 'Secret'));
  issues.push(...checkAnnotations(ingress.annotations, 'spec.ingress.annotations'));
  for (const [dependency, external] of [['etcd', spec.etcd?.external], ['s3', spec.s3?.external]] as const) {
    if (external !== undefined) issues.push(...endpointRules(external.endpoint, `spec.${dependency}.external.endpoint`));
  }
  for (const [dependency, managed] of [['etcd', spec.etcd?.managed], ['s3', spec.s3?.managed]] as const) {
    if (managed === undefined) continue;
    if (managed.image !== undefined) issues.push(...issuesAt(`spec.${dependency}.managed.image`, managed.image, imageErrors(managed.image)));
    const storageClassName = managed.storage?.storageClassName;
    // "" is Kubernetes' "no class" (static provisioning) and is allowed.
    if (storageClassName !== undefined && storageClassName !== '') issues.push(...checkObjectName(storageClassName, `spec.${dependency}.managed.storage.storageClassName`, 'StorageClass'));
  }
  const credentials = spec.s3?.credentialsSecret;
  if (credentials !== undefined) {
    if (credentials.name !== undefined) issues.push(...checkObjectName(credentials.name, 'spec.s3.credentialsSecret.name', 'Secret'));
    for (const field of ['accessKeyKey', 'secretKeyKey'] as const) {
      const key = credentials[field];
      if (key !== undefined) issues.push(...checkSecretKey(key, `spec.s3.credentialsSecret.${field}`));
    }
  }
  issues.push(...checkSpecSize(spec));
  if (issues.length === 0) {
    // The largest config files: the writer's lists every index, a searcher's those of its shard.
    const resolved = resolveVecodexSpec(name ?? 'x', spec);
    issues.push(...checkConfigMapSize({ [CONFIG_FILE]: renderConfig(writerConfig(name ?? 'x', resolved)) }, 'spec.indexes', 'writer config'));
    for (const shard of resolved.searcher.shards) {
      issues.push(...checkConfigMapSize({ [CONFIG_FILE]: renderConfig(searcherConfig(name ?? 'x', resolved, shard)) }, 'spec.indexes', `searcher ${shard.id} config`));
    }
  }
  return issues;
}

/**
 * etcd and S3 endpoints: the CRD pattern admits strings the WHATWG URL parser
 * (what the start-up checks and the clients use) refuses, e.g. a port above
 * 65535 or "|" in the host.
 */
function endpointRules(endpoint: string, path: string): ValidationIssue[] {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return [{ path, message: `"${endpoint}" is not a valid URL: the URL parser refuses it (a port above 65535, a character such as "|", "%" or "[" in the host, or invalid punycode in an "xn--" label); use scheme://host[:port], e.g. http://etcd.example.svc:2379` }];
  }
  if (url.hostname === '') return [{ path, message: `"${endpoint}" names no host: use scheme://host[:port]` }];
  if (url.port === '0') return [{ path, message: `"${endpoint}" uses port 0: use a port from 1 to 65535` }];
  return [];
}

/** Specs that render and run, but probably not as meant. */
export function vecodexSetWarnings(spec: VecodexSetSpec, cluster: ResolvedClusterProfile = resolveClusterProfile()): ValidationIssue[] {
  const warnings: ValidationIssue[] = [];
  for (const mode of ['coordinator', 'writer', 'searcher'] as const) {
    const command = spec[mode].command ?? [];
    for (const p of positionalModes(command).filter((x) => x.mode === mode)) {
      warnings.push({
        path: `spec.${mode}.command[${p.index}]`,
        message: `"${p.mode}" is a bare positional argument, which vecodex-app rejects (it declares only --flags, so upstream's sample exits 1): rendered as "--mode ${p.mode}"; write ["--mode", "${p.mode}"] or drop it (the config sets the mode)`,
      });
    }
  }
  if ((spec.indexes ?? []).length === 0) {
    warnings.push({ path: 'spec.indexes', message: 'is empty: the cluster starts, but the writer accepts no documents and the searchers serve nothing; define at least one index' });
  }
  if (spec.searcher.replicas === 0 && !spec.searcher.autoscaling?.enabled) {
    warnings.push({ path: 'spec.searcher.replicas', message: 'is 0: writer and coordinator pods that (re)start now wait in Init for a ready searcher of every shard, up to 5 minutes, then start without them; scale the searchers back up first' });
  }
  const ingress = spec.ingress;
  const className = ingress.className ?? cluster.ingressClassName;
  if (className !== 'nginx' && Object.keys(ingress.annotations ?? {}).length === 0) {
    warnings.push({ path: 'spec.ingress.annotations', message: `are empty for ingress class "${className}": the coordinator speaks plaintext gRPC (HTTP/2), and only the nginx class gets its backend-protocol annotation automatically; add the annotation your controller needs` });
  }
  if (className === 'nginx' && ingress.tls === undefined) {
    warnings.push({ path: 'spec.ingress.tls', message: 'is not set: ingress-nginx serves gRPC (HTTP/2) only on its TLS port, so clients get the controller\'s self-signed default certificate and reject it; set tls.secretName (e.g. a cert-manager certificate)' });
  }
  return warnings;
}

function commandRules(mode: VecodexMode, command: string[] | undefined): ValidationIssue[] {
  if (command === undefined || !runsVecodexBinary(command)) return [];
  const path = `spec.${mode}.command`;
  const issues: ValidationIssue[] = [];
  for (const p of positionalModes(command)) {
    if (p.mode !== mode) {
      issues.push({ path: `${path}[${p.index}]`, message: `"${p.mode}" names another component's mode in the ${mode}'s command (and the binary rejects positional arguments): remove it; the generated config sets mode "${mode}"` });
    }
  }
  command.forEach((arg, i) => {
    const flag = arg.split('=')[0];
    if ((generatedFlags(mode) as readonly string[]).includes(flag)) {
      issues.push({ path: `${path}[${i}]`, message: `"${flag}" is generated (args: --config-path ${mode === 'searcher' ? 'and --hostname $(POD_IP) ' : ''}are appended to the command): remove it from the command` });
    }
    if (flag === '--mode') {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : command[i + 1];
      if (value !== mode) {
        issues.push({ path: `${path}[${i}]`, message: `"--mode ${value ?? ''}" contradicts the component: the ${mode}'s command may only pass --mode ${mode}, or omit it (the config sets it)` });
      }
    }
  });
  return issues;
}

function resourceRules(path: string, resources: ResolvedResources, cluster: ResolvedClusterProfile): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (resources.claims && resources.claims.length > 0) {
    // Upstream's schema has the field (it embeds ResourceRequirements) but no
    // pod-level resourceClaims, so the API server rejects any claim.
    issues.push({ path: `${path}.claims`, message: 'cannot be satisfied: a claim must name an entry of the pod\'s resourceClaims, which a VecodexSet does not declare; remove it (request GPUs through limits, e.g. nvidia.com/gpu: 1)' });
  }
  const requests = resources.requests ?? {};
  const limits = resources.limits ?? {};
  // Names, quantity syntax and values, request <= limit, request == limit for extended resources.
  issues.push(...checkResourceRequirements(requests, limits, path));
  for (const [resource, request] of Object.entries(requests)) {
    // A GPU resource the profile names without a domain is not an extended resource to Kubernetes; it must still not be overcommitted.
    if (isGpuResource(resource, cluster.gpu) && !resource.includes('/') && (limits[resource] === undefined || parseQuantity(limits[resource]) !== parseQuantity(request))) {
      issues.push({ path: `${path}.requests.${resource}`, message: `is ${request} but limits.${resource} is ${limits[resource] ?? 'unset'}: an extended resource needs a limit equal to its request (setting only the limit is enough)` });
    }
  }
  for (const [resource, limit] of Object.entries(limits)) {
    if (isGpuResource(resource, cluster.gpu)) {
      const n = parseQuantity(limit);
      if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
        issues.push({ path: `${path}.limits.${resource}`, message: `is ${limit}: GPUs are whole devices; use a whole number of at least 1, or remove the limit` });
      }
    }
  }
  return issues;
}
