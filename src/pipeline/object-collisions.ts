/**
 * Collisions between the objects synth writes for one cluster. Object names
 * are derived from instance names (`x` owns the Service `x-headless`, VecodexSet
 * `v` the Deployment `v-searcher-<shard>`), so two valid instances can render
 * the same object: the second silently overwrites the first once applied, and
 * `kubectl kustomize` of their namespace folder (the unit Argo CD and Flux
 * sync) fails for every instance of the namespace. Workloads and Services
 * select pods by labels, so two instances can also reach each other's pods
 * without sharing an object name.
 *
 * Both are refused, naming the two owners. One Map of identities and one
 * index of pod labels per cluster, so a fleet of thousands costs little.
 */
import { SpecProblem } from './spec-error';

/** Who renders an object: an instance (file and document), or synth itself for the cluster. */
export interface ObjectOwner {
  readonly file: string;
  readonly document?: number;
  /** e.g. `VecodexSet team/v`, or `synth (platform/)`. */
  readonly resource: string;
}

/** The identity fields of a rendered object (render-instance.ts InventoryEntry has them). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** Pod selectors and pod template labels of one instance's objects, found by podSelection(). */
export interface PodSelection {
  readonly selectors: ReadonlyArray<{ readonly object: string; readonly namespace: string; readonly matchLabels: Readonly<Record<string, string>> }>;
  readonly pods: ReadonlyArray<{ readonly object: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** What selects pods, and the labels pods get, among rendered objects (whole objects, not inventory entries). */
export function podSelection(objects: readonly any[]): PodSelection {
  const selectors: Array<PodSelection['selectors'][number]> = [];
  const pods: Array<PodSelection['pods'][number]> = [];
  for (const obj of objects) {
    const namespace: string = obj?.metadata?.namespace ?? 'default';
    const object = objectLabel(obj);
    const spec = obj?.spec;
    if (spec === undefined || spec === null) continue;
    // Only equality selectors are rendered; a set-based one would be missed here, not misread.
    const matchLabels: Record<string, string> | undefined = obj.kind === 'Service' ? spec.selector
      : WORKLOAD_KINDS.has(obj.kind) || obj.kind === 'PodDisruptionBudget' ? spec.selector?.matchLabels : undefined;
    if (matchLabels && Object.keys(matchLabels).length > 0) selectors.push({ object, namespace, matchLabels });
    const template = WORKLOAD_KINDS.has(obj.kind) ? spec.template : obj.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : undefined;
    const labels = template?.metadata?.labels;
    if (labels && Object.keys(labels).length > 0) pods.push({ object, namespace, labels });
  }
  return { selectors, pods };
}

/** e.g. `Deployment.apps team/v-writer`, `Namespace team`. */
function objectLabel(obj: ObjectIdentity): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.slice(0, obj.apiVersion.indexOf('/')) : '';
  const namespace = obj.metadata.namespace;
  return `${obj.kind}${group ? `.${group}` : ''} ${namespace ? `${namespace}/` : ''}${obj.metadata.name}`;
}

/**
 * Collects one cluster's objects and pod selections, in render order, then
 * reports every pair of owners that collide. The first owner in render order
 * (instances sorted by namespace and name) is named in the message of the second.
 */
export class ClusterObjects {
  private readonly owners = new Map<string, ObjectOwner>();
  private readonly selections: Array<{ owner: ObjectOwner; selection: PodSelection }> = [];
  private readonly collisions = new Map<string, { first: ObjectOwner; second: ObjectOwner; objects: string[] }>();

  constructor(private readonly cluster: string) {}

  add(owner: ObjectOwner, objects: readonly ObjectIdentity[], selection?: PodSelection): void {
    for (const obj of objects) {
      // Group (not version), kind, namespace, name: what the API server keys an object by.
      const label = objectLabel(obj);
      const first = this.owners.get(label);
      if (first === undefined) {
        this.owners.set(label, owner);
        continue;
      }
      const pair = `${ownerKey(first)}\u0000${ownerKey(owner)}`;
      const collision = this.collisions.get(pair) ?? { first, second: owner, objects: [] };
      collision.objects.push(label);
      this.collisions.set(pair, collision);
    }
    if (selection) this.selections.push({ owner, selection });
  }

  problems(): SpecProblem[] {
    const problems: SpecProblem[] = [];
    for (const { first, second, objects } of this.collisions.values()) {
      problems.push(problemOf(second, 'metadata.name',
        `renders ${objects[0]}${objects.length > 1 ? ` (and ${objects.length - 1} more object(s): ${objects.slice(1, 4).join(', ')}${objects.length > 4 ? ', …' : ''})` : ''}, `
        + `which ${describeOwner(first)} renders too: two objects with one identity (group, kind, namespace, name) in cluster "${this.cluster}", `
        + 'so one would overwrite the other and the namespace folder would not build; rename one of the two instances'));
    }
    problems.push(...this.selectorOverlaps());
    return problems;
  }

  /** Pairs of owners where a selector of one matches the pod labels of the other, indexed by label pair. */
  private selectorOverlaps(): SpecProblem[] {
    const byLabel = new Map<string, Array<{ owner: ObjectOwner; object: string; labels: Readonly<Record<string, string>> }>>();
    for (const { owner, selection } of this.selections) {
      for (const pod of selection.pods) {
        for (const [key, value] of Object.entries(pod.labels)) {
          const at = `${pod.namespace}\u0000${key}\u0000${value}`;
          const list = byLabel.get(at);
          if (list) list.push({ owner, object: pod.object, labels: pod.labels });
          else byLabel.set(at, [{ owner, object: pod.object, labels: pod.labels }]);
        }
      }
    }
    const reported = new Set<string>();
    const problems: SpecProblem[] = [];
    for (const { owner, selection } of this.selections) {
      for (const selector of selection.selectors) {
        // Only pods carrying the selector's rarest label pair can match it.
        let candidates: Array<{ owner: ObjectOwner; object: string; labels: Readonly<Record<string, string>> }> | undefined;
        for (const [key, value] of Object.entries(selector.matchLabels)) {
          const list = byLabel.get(`${selector.namespace}\u0000${key}\u0000${value}`) ?? [];
          if (candidates === undefined || list.length < candidates.length) candidates = list;
        }
        for (const pod of candidates ?? []) {
          if (pod.owner === owner || ownerKey(pod.owner) === ownerKey(owner)) continue;
          if (!Object.entries(selector.matchLabels).every(([key, value]) => pod.labels[key] === value)) continue;
          const pair = [ownerKey(owner), ownerKey(pod.owner)].sort().join('\u0000');
          if (reported.has(pair)) continue;
          reported.add(pair);
          const [, second] = this.order(owner, pod.owner);
          const of = (o: ObjectOwner, object: string) => `the ${object} of ${o === second ? 'this instance' : describeOwner(o)}`;
          problems.push(problemOf(second, 'metadata.name',
            `${of(owner, selector.object)} (selector ${formatLabels(selector.matchLabels)}) selects the pods of ${of(pod.owner, pod.object)} in cluster "${this.cluster}": `
            + 'the workloads and Services of one instance would take over the pods of the other; rename one of the two instances'));
        }
      }
    }
    return problems;
  }

  /** The two owners in the order they were added (render order). */
  private order(a: ObjectOwner, b: ObjectOwner): [ObjectOwner, ObjectOwner] {
    const index = (o: ObjectOwner) => this.selections.findIndex((s) => s.owner === o);
    return index(a) <= index(b) ? [a, b] : [b, a];
  }
}

function ownerKey(owner: ObjectOwner): string {
  return `${owner.file}\u0000${owner.document ?? ''}\u0000${owner.resource}`;
}

function describeOwner(owner: ObjectOwner): string {
  return owner.document !== undefined ? `${owner.resource} in ${owner.file} (document ${owner.document})` : `${owner.resource} (${owner.file})`;
}

function problemOf(owner: ObjectOwner, path: string, message: string): SpecProblem {
  return owner.document !== undefined
    ? { file: owner.file, document: owner.document, resource: owner.resource, path, message }
    : { file: owner.file, resource: owner.resource, message };
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}
