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
import { NAME_LIMITS } from '../shared/naming';
import { parseQuantity, QUANTITY_HINT } from '../shared/quantity';
import { ValidationIssue } from '../shared/validation-issue';
import { positionalModes, runsVecodexBinary } from './vecodex-command';
import { vecodexObjectNames } from './vecodex-names';
import { indexM, resolveResources, ResolvedResources, resolveVecodexSpec } from './resolve-vecodex-spec';
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
    const m = indexM(index);
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
  for (const [path, size] of [['spec.etcd.managed.storage.size', spec.etcd?.managed?.storage?.size], ['spec.s3.managed.storage.size', spec.s3?.managed?.storage?.size]] as const) {
    if (size !== undefined && !(Number(parseQuantity(size)) > 0)) {
      issues.push({ path, message: `"${size}" is not a positive quantity: use ${QUANTITY_HINT}` });
    }
  }
  const etcdSize = spec.etcd?.managed?.storage?.size;
  if (etcdSize !== undefined && Number(parseQuantity(etcdSize)) > 0 && Number(parseQuantity(etcdSize)) < 2 ** 30) {
    issues.push({ path: 'spec.etcd.managed.storage.size', message: `is ${etcdSize}, below 1Gi: etcd's write-ahead log alone takes up to ~380 MB, and its database gets half the volume; use 1Gi or more` });
  }
  return issues;
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
    if (flag === '--config-path' || (flag === '--hostname' && mode === 'searcher')) {
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
  for (const [resource, request] of Object.entries(requests)) {
    const limit = limits[resource];
    if (isGpuResource(resource, cluster.gpu) || resource.includes('/')) {
      // Extended resources cannot be overcommitted: the API server requires request == limit.
      if (limit === undefined || parseQuantity(limit) !== parseQuantity(request)) {
        issues.push({ path: `${path}.requests.${resource}`, message: `is ${request} but limits.${resource} is ${limit ?? 'unset'}: an extended resource needs a limit equal to its request (setting only the limit is enough)` });
      }
      continue;
    }
    const r = parseQuantity(request);
    const l = limit === undefined ? undefined : parseQuantity(limit);
    if (r !== undefined && l !== undefined && r > l) {
      issues.push({ path: `${path}.requests.${resource}`, message: `${request} exceeds the ${resource} limit ${limit}: a request must not exceed its limit` });
    }
  }
  for (const [resource, limit] of Object.entries(limits)) {
    if (isGpuResource(resource, cluster.gpu)) {
      const n = parseQuantity(limit);
      if (n === undefined || !Number.isInteger(n) || n < 1) {
        issues.push({ path: `${path}.limits.${resource}`, message: `is ${limit}: GPUs are whole devices; use a whole number of at least 1, or remove the limit` });
      }
    }
  }
  return issues;
}
