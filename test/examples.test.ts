import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildApp } from '../examples/my-platform/main';

describe('an app that imports the library by package name', () => {
  test('GIVEN examples/my-platform WHEN synthesized THEN it writes the AbiInstance chart', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-'));
    buildApp(outdir).synth();
    const files = fs.readdirSync(outdir);
    expect(files).toEqual(['chat-assistant.k8s.yaml']);
    const kinds = yaml.loadAll(fs.readFileSync(path.join(outdir, files[0]), 'utf8')).map((o: any) => o.kind);
    expect(kinds).toEqual(['AbiInstance', 'ServiceAccount', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
  });

  test('GIVEN the package WHEN resolved by name THEN it points at the compiled library with types', () => {
    const resolved = require.resolve('cdk8s-abi-vecodex');
    expect(path.relative(path.join(__dirname, '..'), resolved)).toBe(path.join('lib', 'src', 'index.js'));
    expect(fs.existsSync(resolved.replace(/\.js$/, '.d.ts'))).toBe(true);
  });
});
