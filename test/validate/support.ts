import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const SCHEMAS_DIR = path.join(REPO_ROOT, 'schemas');

/** Writes files under a fresh instances dir and returns its path. */
export function instancesDir(files: Record<string, string>, prefix = 'validate-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

export const abi = (spec: string, name = 'a', namespace = 'team') =>
  `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec}`;

export const PROFILE = 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\n';

/**
 * A committed schema compiled by ajv in standard draft-07 mode, strict: any
 * keyword that is not JSON Schema is an error, formats are checked.
 */
export function compileCommittedSchema(file: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')));
}

/** The documents of a YAML file, as plain data (empty documents left out). */
export function yamlDocuments(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** Every .yaml file below dir. */
export function yamlFilesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Runs a compiled entry point (lib/...) the way npm scripts do. */
export function runNode(script: string, args: string[], env: Record<string, string | undefined> = {}, cwd = REPO_ROOT): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, script), ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/** Every file below dir with its modification time, to prove nothing was written. */
export function snapshotTree(dir: string): Record<string, number> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, number> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = fs.statSync(full).mtimeMs;
  }
  return out;
}
