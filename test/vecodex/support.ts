import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { compileSpecSchema, schemaIssues } from '../../src/pipeline/schema-validator';
import { vecodexSetSpecSchema } from '../../src/vecodex/vecodex-set-schema';
import { vecodexSpecFromWire } from '../../src/vecodex/vecodex-wire';

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

/** Errors the pipeline's own schema check (compileSpecSchema, as synth runs it) finds in a wire spec. */
export function schemaErrors(wire: unknown): string[] {
  const schema = vecodexSetSpecSchema();
  const validate = compileSpecSchema(schema);
  return validate(wire) ? [] : schemaIssues(validate.errors, schema).map((issue) => `${issue.path}: ${issue.message}`);
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const { App } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const { VecodexSetChart } = require('../../src/vecodex/vecodex-set-chart') as typeof import('../../src/vecodex/vecodex-set-chart');
  const doc = loadVecodex(file);
  const app = new App({ outdir: '/dev/null' });
  const chart = new VecodexSetChart(app, 'test', { metadata: { name: doc.name, namespace: doc.namespace }, spec: doc.spec, ...props });
  return chart.toJson();
}
