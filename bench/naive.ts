/**
 * The naive reference: a stock cdk8s app that puts every object of the run
 * into ONE chart and lets App.synth() resolve and write it, as a first cdk8s
 * GitOps app usually does. Usage: node naive.js OBJECTS.json OUTDIR
 * Prints {"inProcessMs": <construct + synth>}.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { ObjectsFile } from './objects-file';

function main(): void {
  const [objectsPath, outdir] = process.argv.slice(2);
  const objects = JSON.parse(fs.readFileSync(objectsPath, 'utf8')) as ObjectsFile;
  const t0 = performance.now();
  const app = new App({ outdir });
  const chart = new Chart(app, 'all', { disableResourceNameHashes: true });
  let n = 0;
  for (const [rel, docs] of objects.files) {
    if (rel.endsWith('kustomization.yaml')) continue;
    for (const doc of docs) {
      new ApiObject(chart, `o${n++}`, doc as { apiVersion: string; kind: string });
    }
  }
  app.synth();
  process.stdout.write(`${JSON.stringify({ inProcessMs: performance.now() - t0, objects: n })}\n`);
}

main();
