/**
 * Rendering one instance: its chart, in an App of its own, to the YAML text of
 * its manifests.yaml plus the little the per-cluster files need to know about
 * its objects. Used by the main thread (sequential path) and by the render
 * workers (render-worker.ts) alike, so both paths run the very same code.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { ProductDefinition } from '../products/product-definition';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { InstanceMetadata } from './load-instances';
import { PodSelection, podSelection } from './object-collisions';
import { toYamlDocuments } from './yaml';

/** One instance's output: manifests.yaml, and its objects reduced to what the per-cluster files read. */
export interface RenderedInstance {
  readonly manifests: string;
  readonly inventory: readonly InventoryEntry[];
  /** Its pod selectors and pod labels, for the check that no two instances select each other's pods. */
  readonly pods: PodSelection;
}

/**
 * The fields of a rendered object that src/gitops/rendered-inventory.ts reads
 * (inventoryOf, customResources, hpaScaledKinds): group/kind, name and
 * namespace, and an HPA's scaleTargetRef. Workers send these back instead of
 * whole objects. Both paths build the per-cluster files from these entries, so
 * a field those functions start to read and this omits changes both paths
 * alike (and shows in the snapshot tests), never one only.
 */
export interface InventoryEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: { readonly scaleTargetRef?: unknown };
}

export function inventoryEntry(obj: any): InventoryEntry {
  const entry: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: { scaleTargetRef?: unknown } } = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: obj.metadata?.name, namespace: obj.metadata?.namespace },
  };
  if (obj.kind === 'HorizontalPodAutoscaler' && obj.spec !== undefined) entry.spec = { scaleTargetRef: obj.spec.scaleTargetRef };
  return entry;
}

/** What renderInstance needs; plain data, so it can be posted to a worker. */
export interface InstanceJob {
  readonly cluster: string;
  readonly metadata: InstanceMetadata;
  readonly spec: unknown;
}

/**
 * Test hook (documented in BENCHMARKS.md): SYNTH_FAIL_RENDER=<cluster>/<namespace>/<name>
 * makes the render of that instance throw, on whichever thread renders it, so the
 * tests can prove that a render failure exits non-zero and leaves the output alone.
 */
const FAIL_RENDER = process.env.SYNTH_FAIL_RENDER;

export function renderInstance(kind: ProductDefinition, job: InstanceJob, profile: ResolvedClusterProfile): RenderedInstance {
  const id = `${job.cluster}.${job.metadata.namespace}.${job.metadata.name}`;
  if (FAIL_RENDER !== undefined && FAIL_RENDER === `${job.cluster}/${job.metadata.namespace}/${job.metadata.name}`) {
    throw new Error(`SYNTH_FAIL_RENDER: the render of ${FAIL_RENDER} was made to fail`);
  }
  const chart = kind.render(ownApp(), id, {
    metadata: { ...job.metadata },
    spec: job.spec,
    cluster: profile,
  });
  const objects = chartJson(chart);
  return { manifests: toYamlDocuments(objects), inventory: objects.map(inventoryEntry), pods: podSelection(objects) };
}

/**
 * What `chart.toJson()` returns, without cdk8s's whole-App preparation when it
 * cannot change the result. Chart.toJson() is App._synthChart: it (1) turns
 * construct dependencies and nested charts into ApiObject dependencies, (2) runs
 * every construct's validations, (3) orders the chart's ApiObjects by a
 * DependencyGraph topology and (4) calls each one's toJson() (resolve, sanitize,
 * JSON patches, the typed converters). With no dependency and no nested chart
 * anywhere in the App, (1) adds nothing and (3) is the pre-order of
 * node.findAll(), so this does (2) and (4) over one findAll() and skips building
 * the graph (and its cycle checks) and the three extra walks. Anything else
 * (a dependency, a nested chart, a chart not at the root of its own App) takes
 * cdk8s's own path, so the result is always Chart.toJson()'s.
 */
export function chartJson(chart: Chart): any[] {
  const app = chart.node.scope;
  if (!(app instanceof App) || app.node.scope !== undefined || app.node.children.length !== 1) return chart.toJson();
  const all = chart.node.findAll();
  const objects: ApiObject[] = [];
  const errors: string[] = [];
  for (const c of [app, ...all]) {
    if (c.node.dependencies.length > 0 || (c !== chart && c instanceof Chart)) return chart.toJson();
    for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
    if (c instanceof ApiObject) objects.push(c);
  }
  // cdk8s's own message (App._synthChart's validate()).
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return objects.map((o) => o.toJson());
}

/**
 * A fresh App for every chart. Chart.toJson() runs cdk8s's App._synthChart,
 * which resolves dependencies and validates the chart's WHOLE App; with every
 * chart in one App each toJson() walks all constructs rendered so far, so the
 * run was quadratic in the instances (and kept every construct alive to the end).
 */
export function ownApp(): App {
  return new App({ outdir: '/dev/null' });
}
