/**
 * Writes the CRDs our constructs render to crds/, the input of `cdk8s import`
 * (npm run import), so imports/ holds typed classes generated from exactly the
 * schema we ship. A test fails when crds/ falls behind the constructs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCrdFiles } from '../src/pipeline/crd-files';

const outDir = path.join(__dirname, '..', '..', 'crds');
fs.mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(renderCrdFiles())) {
  fs.writeFileSync(path.join(outDir, file), text);
  process.stdout.write(`wrote crds/${file}\n`);
}
