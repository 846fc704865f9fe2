/**
 * `cdk8s import` of every product's CRD (npm run import, after write-crds.ts):
 * the file list comes from the product list, so a new product's classes are
 * generated without a line in cdk8s.yaml.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderCrdFiles } from '../src/pipeline/crd-files';

const repoRoot = path.join(__dirname, '..', '..');
const crdFiles = Object.keys(renderCrdFiles()).map((file) => path.join('crds', file));
const cdk8s = path.join(repoRoot, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
// One run per file (`cdk8s import` takes a single spec), from an empty directory: run beside
// cdk8s.yaml, the CLI would append each spec to its `imports:`, a second copy of the product list.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-import-'));
try {
  for (const crdFile of crdFiles) {
    execFileSync(process.execPath, [
      cdk8s, 'import', '--no-check-upgrade', '--language', 'typescript', '--output', path.join(repoRoot, 'imports'), path.join(repoRoot, crdFile),
    ], { cwd: scratch, stdio: 'inherit' });
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
