/** Renders AbiInstance documents through the public chart, the way a library user would. */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AbiInstanceChart, AbiInstanceChartProps } from '../../src/abi/abi-instance-chart';
import { abiInstanceSpecSchema } from '../../src/abi/abi-instance-schema';
import { wireToProps } from '../../src/shared/wire-to-props';
import { KubeObject } from './kube-client';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const ABI_SAMPLES = {
  basic: path.join(REPO_ROOT, 'instances/dev/abi-basic.yaml'),
  production: path.join(REPO_ROOT, 'instances/prod/abi-production.yaml'),
  gpu: path.join(REPO_ROOT, 'instances/prod/abi-gpu.yaml'),
};

export function readAbiDocument(file: string): any {
  return yaml.load(fs.readFileSync(file, 'utf8'));
}

/** Renders one AbiInstance (wire form) and returns its objects. */
export function renderAbi(doc: any, extra: Partial<AbiInstanceChartProps> = {}): KubeObject[] {
  const app = new App({ outdir: '/dev/null' });
  const chart = new AbiInstanceChart(app, 'test', {
    metadata: { name: doc.metadata.name, namespace: doc.metadata.namespace },
    spec: wireToProps(doc.spec, abiInstanceSpecSchema()),
    ...extra,
  });
  return chart.toJson() as KubeObject[];
}

export function abiDoc(spec: Record<string, unknown>, name = 'test-abi', namespace = 'default'): any {
  return { apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace }, spec };
}
