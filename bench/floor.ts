/**
 * The floor reference: a process that only serializes the already-built
 * objects with the pipeline's own YAML serializer (src/pipeline/yaml.ts) and
 * writes them, one file each, into a fresh directory. Nothing is validated,
 * constructed or resolved. Usage: node floor.js OBJECTS.json OUTDIR
 * Prints {"inProcessMs": <serialize + write>, "parseMs": <JSON.parse>}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { toYamlDocuments } from '../src/pipeline/yaml';
import { ObjectsFile } from './objects-file';

function main(): void {
  const [objectsPath, outdir] = process.argv.slice(2);
  const t0 = performance.now();
  const objects = JSON.parse(fs.readFileSync(objectsPath, 'utf8')) as ObjectsFile;
  const t1 = performance.now();
  const dirs = new Set<string>();
  for (const [rel, docs] of objects.files) {
    const file = path.join(outdir, rel);
    const dir = path.dirname(file);
    if (!dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    fs.writeFileSync(file, toYamlDocuments(docs));
  }
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ parseMs: t1 - t0, inProcessMs: t2 - t1 })}\n`);
}

main();
