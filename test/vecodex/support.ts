import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as yaml from 'js-yaml';
import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { vecodexSpecFromWire } from '../../src/vecodex/vecodex-wire';
import { vecodexSetSpecSchema } from '../../src/vecodex/vecodex-set-schema';

export const ROOT = path.join(__dirname, '..', '..');

export interface VecodexDocument {
  readonly file: string;
  readonly name: string;
  readonly namespace: string;
  readonly wire: any;
  readonly spec: VecodexSetSpec;
}

/** Loads a VecodexSet file (repository-relative). */
export function loadVecodex(file: string): VecodexDocument {
  const doc = yaml.load(fs.readFileSync(path.join(ROOT, file), 'utf8')) as any;
  return {
    file,
    name: doc.metadata.name,
    namespace: doc.metadata.namespace ?? 'default',
    wire: doc.spec,
    spec: vecodexSpecFromWire(doc.spec),
  };
}

export const SAMPLES = ['instances/dev/vecodex-search-cluster.yaml', 'instances/prod/vecodex-gpu.yaml', 'test/vecodex/fixtures/full.yaml'];

/**
 * The API server prunes unknown fields; spec files must reject them instead,
 * so every object schema is closed before ajv compiles it (as the pipeline does).
 */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'properties'
    ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, closed(pv)]))
    : closed(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Validates a wire spec against the CRD's own schema, as the pipeline does. */
export function schemaErrors(wire: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(closed(vecodexSetSpecSchema()));
  return validate(wire) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** A deep copy of a wire spec with a change applied. */
export function mutate(wire: any, change: (spec: any) => void): any {
  const copy = JSON.parse(JSON.stringify(wire));
  change(copy);
  return copy;
}

/** Renders a VecodexSet file through VecodexSetChart. */
export function renderVecodex(file: string, props: Partial<import('../../src/vecodex/vecodex-set-chart').VecodexSetChartProps> = {}): any[] {
  // Imported lazily so schema-only tests do not load cdk8s-plus.
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const { VecodexSetChart } = require('../../src/vecodex/vecodex-set-chart') as typeof import('../../src/vecodex/vecodex-set-chart');
  const doc = loadVecodex(file);
  const app = new App({ outdir: '/dev/null' });
  const chart = new VecodexSetChart(app, 'test', { metadata: { name: doc.name, namespace: doc.namespace }, spec: doc.spec, ...props });
  return chart.toJson();
}
