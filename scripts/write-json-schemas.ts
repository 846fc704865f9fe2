/**
 * Writes the editor JSON Schemas (src/pipeline/json-schemas.ts) to schemas/,
 * which .vscode/settings.json and the `# yaml-language-server: $schema=`
 * modeline point at. Part of `npm run import`, or alone: `npm run schemas`.
 * A test fails when schemas/ falls behind the loader's schemas.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderJsonSchemaFiles } from '../src/pipeline/json-schemas';
import { profileFieldDocs } from './profile-field-docs';

const outDir = path.join(__dirname, '..', '..', 'schemas');
fs.mkdirSync(outDir, { recursive: true });
const files = renderJsonSchemaFiles({ profileFieldDocs });
// A schema no longer generated must not linger for editors to keep using.
for (const stale of fs.readdirSync(outDir).filter((f) => f.endsWith('.schema.json') && !(f in files))) {
  fs.rmSync(path.join(outDir, stale));
  process.stdout.write(`removed schemas/${stale}\n`);
}
for (const [file, text] of Object.entries(files)) {
  fs.writeFileSync(path.join(outDir, file), text);
  process.stdout.write(`wrote schemas/${file}\n`);
}
