/* eslint-disable @typescript-eslint/no-require-imports -- modules are required inside jest.isolateModules, so each test loads its own copy */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';
import { toJson_AbiInstanceSpec } from '../../imports/abi.io';
import { toJson_VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { AbiInstanceChart } from '../../src/abi/abi-instance-chart';
import { abiInstanceSpecSchema } from '../../src/abi/abi-instance-schema';
import { loadInstances } from '../../src/pipeline/load-instances';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { InvalidSpecError } from '../../src/shared/validation-issue';
import { propsToWire, wireToProps } from '../../src/shared/wire-to-props';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { vecodexSetSpecSchema } from '../../src/vecodex/vecodex-set-schema';
import { ABI_SAMPLES, readAbiDocument, REPO_ROOT } from '../support/abi-samples';
import { buildConsumerApp, crdChart, tooManyReplicas } from './consumer-app';

const VECODEX_SAMPLES = ['instances/dev/vecodex-search-cluster.yaml', 'instances/prod/vecodex-gpu.yaml', 'test/vecodex/fixtures/full.yaml'];
const readYaml = (file: string): any => yaml.load(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
const abiProps = (spec: unknown) => wireToProps(spec, abiInstanceSpecSchema());
const vecodexProps = (spec: unknown) => wireToProps(spec, vecodexSetSpecSchema());

/** The error a chart throws for these props, or undefined. */
function chartError(build: (app: App) => void): InvalidSpecError | undefined {
  try {
    build(Testing.app());
  } catch (err) {
    if (err instanceof InvalidSpecError) return err;
    throw err;
  }
  return undefined;
}

/** The problems loadInstances reports for one document in a spec file. */
function yamlProblems(doc: unknown): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'public-api-'));
  fs.mkdirSync(path.join(dir, 'c1'));
  fs.writeFileSync(path.join(dir, 'c1', 'spec.yaml'), yaml.dump(doc));
  try {
    loadInstances(dir);
    return [];
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the package entry point', () => {
  // Every runtime value the package exports, on purpose (types are held by the API report).
  const EXPECTED = [
    'AbiInstanceChart', 'InvalidSpecError', 'MetricsServiceMonitor', 'SpecValidationError', 'StatusReconciler', 'VecodexSetChart',
    'WorkloadAutoscaler', 'WorkloadDisruptionBudget', 'abi', 'abiInstanceWarnings', 'formatProblem', 'renderRepository',
    'resolveClusterProfile', 'synthesizeRepository', 'vecodex', 'vecodexSetWarnings', 'writeOutputTree',
    'ABI_PRODUCT', 'BUILT_IN_PRODUCTS', 'LOG_LEVELS', 'VECODEX_PRODUCT', 'defineProduct',
  ];

  test('GIVEN src/index WHEN its runtime exports are listed THEN they are exactly the deliberate surface', () => {
    const api = require('../../src/index');
    expect(Object.keys(api).sort()).toEqual([...EXPECTED].sort());
  });

  test('GIVEN src/index WHEN internal helpers are looked up THEN none is exported, and generated classes sit under their namespaces', () => {
    const api = require('../../src/index');
    for (const internal of ['propName', 'wireToProps', 'parseQuantity', 'configHash', 'chartJson', 'resolveAbiSpec', 'AbiServerWorkload', 'VecodexComponent', 'AbiInstanceSpecLlmProvider']) {
      expect(api).not.toHaveProperty(internal);
    }
    expect(api.abi.AbiInstance).toBeDefined();
    expect(api.abi.AbiInstanceSpecLlmProvider.OLLAMA).toBe('ollama');
    expect(api.vecodex.VecodexSet).toBeDefined();
  });
});

describe('the CRD schema check in the chart constructors', () => {
  test('GIVEN replicas 500 WHEN rendered from code and from a spec file THEN both fail on spec.replicas, the chart naming value, range and fix', () => {
    const wire = { ...readAbiDocument(ABI_SAMPLES.basic).spec, replicas: 500 };
    const err = chartError((app) => new AbiInstanceChart(app, 'big', { metadata: { name: 'big' }, spec: abiProps(wire) }));
    expect(err?.issues).toEqual([{ path: 'spec.replicas', message: 'is 500: must be <= 100 (allowed: 0 to 100)' }]);
    expect(err?.message).toMatch(/^AbiInstanceChart big: invalid spec:\n {2}spec\.replicas: is 500: must be <= 100 \(allowed: 0 to 100\)\nfix: these fields of props\.spec break the AbiInstance CRD schema/);
    expect(yamlProblems({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'big' }, spec: wire })).toEqual(['spec.replicas: must be <= 100']);
  });

  test('GIVEN a field the CRD does not declare WHEN rendered from code THEN it is refused as in a spec file, not silently dropped', () => {
    const wire = { ...readAbiDocument(ABI_SAMPLES.basic).spec, replicaCount: 3 };
    const err = chartError((app) => new AbiInstanceChart(app, 'typo', { metadata: { name: 'typo' }, spec: { ...abiProps(wire) } }));
    expect(err?.issues.map((i) => i.path)).toEqual(['spec.replicaCount']);
    expect(err?.issues[0].message).toMatch(/^is not a known field: allowed fields here are .*\breplicas\b/);
    expect(yamlProblems({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'typo' }, spec: wire })).toEqual([`spec.replicaCount: ${err?.issues[0].message}`]);
  });

  test('GIVEN an enum value and a nested bound out of range WHEN a VecodexSet is rendered from code THEN every schema problem is listed, and no rule runs on it', () => {
    const wire = readYaml('instances/dev/vecodex-search-cluster.yaml').spec;
    const bad = { ...wire, coordinator: { ...wire.coordinator, replicas: -1, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 } }, indexes: [{ id: 'i', type: 'annoy', dim: 8, threshold: 10 }] };
    const err = chartError((app) => new VecodexSetChart(app, 'v', { metadata: { name: 'v' }, spec: vecodexProps(bad) }));
    expect(err?.issues.map((i) => i.path)).toEqual(['spec.coordinator.replicas', 'spec.indexes[0].type']);
    expect(err?.issues[0].message).toMatch(/^is -1: must be >= 0 \(allowed: 0 to 2147483647\)$/);
    expect(err?.issues[1].message).toMatch(/^is "annoy": must be one of "faissHNSWFlat", "faissFlat"/);
    const fromYaml = yamlProblems({ apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'v' }, spec: bad });
    expect(fromYaml.map((p) => p.split(':')[0])).toEqual(['spec.coordinator.replicas', 'spec.indexes[0].type']);
  });

  test('GIVEN a schema-valid spec that breaks a rule WHEN rendered from code THEN the rule still fails it', () => {
    const wire = { ...readAbiDocument(ABI_SAMPLES.basic).spec, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 } };
    const err = chartError((app) => new AbiInstanceChart(app, 'rule', { metadata: { name: 'rule' }, spec: abiProps(wire) }));
    expect(err?.issues.map((i) => i.path)).toEqual(['spec.autoscaling.minReplicas']);
    expect(err?.message).not.toMatch(/CRD schema/);
  });

  test('GIVEN specs the loader checked WHEN synth renders them THEN no chart compiles its schema again; a chart from code compiles it once', () => {
    jest.isolateModules(() => {
      const validator = require('../../src/pipeline/schema-validator');
      const { loadInstances: load } = require('../../src/pipeline/load-instances');
      const { renderClusters } = require('../../src/pipeline/synthesize');
      const { AbiInstanceChart: Chart } = require('../../src/abi/abi-instance-chart');
      const clusters = load(path.join(REPO_ROOT, 'instances'));
      const compile = jest.spyOn(validator, 'compileSpecSchema');
      const rendered = renderClusters(clusters);
      expect(rendered.size).toBeGreaterThan(0);
      expect(compile).not.toHaveBeenCalled();
      const spec = abiProps(readAbiDocument(ABI_SAMPLES.basic).spec);
      new Chart(Testing.app(), 'a', { metadata: { name: 'a' }, spec });
      new Chart(Testing.app(), 'b', { metadata: { name: 'b' }, spec: { ...spec } });
      expect(compile).toHaveBeenCalledTimes(1);
    });
  });

  test('GIVEN every sample WHEN its props are turned back into the wire form THEN it equals the file and the generated toJson', () => {
    const cases = [
      ...Object.values(ABI_SAMPLES).map((file) => ({
        wire: readAbiDocument(file).spec, schema: abiInstanceSpecSchema(), toJson: toJson_AbiInstanceSpec as (x: any) => unknown,
      })),
      ...VECODEX_SAMPLES.map((file) => ({
        wire: readYaml(file).spec, schema: vecodexSetSpecSchema(), toJson: toJson_VecodexSetSpec as (x: any) => unknown,
      })),
    ];
    expect(cases.length).toBe(6);
    for (const { wire, schema, toJson } of cases) {
      const props = wireToProps(wire, schema);
      expect(propsToWire(props, schema)).toEqual(wire);
      expect(propsToWire(props, schema)).toEqual(toJson(props));
    }
  });
});

describe('the charts\' typed attributes', () => {
  test('GIVEN an AbiInstance with ReadWriteOnce storage, autoscaling and a PDB WHEN rendered THEN its attributes are the L1 objects it rendered', () => {
    const wire = readAbiDocument(ABI_SAMPLES.production).spec;
    const chart = new AbiInstanceChart(Testing.app(), 'prod', { metadata: { name: 'prod', namespace: 'ai' }, spec: abiProps(wire) });
    expect(chart.workload.kind).toBe('StatefulSet');
    expect(ApiObject.of(chart)).toBe(chart.workload);
    expect(chart.node.findChild('Server').node.defaultChild).toBe(chart.workload);
    expect(chart.customResource?.kind).toBe('AbiInstance');
    expect([chart.serviceAccount.kind, chart.configMap.kind, chart.service.kind, chart.headlessService?.kind]).toEqual(['ServiceAccount', 'ConfigMap', 'Service', 'Service']);
    expect([chart.autoscaler?.kind, chart.disruptionBudget?.kind, chart.serviceMonitor?.kind]).toEqual(['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor']);
    const rendered = Testing.synth(chart).map((o: any) => `${o.kind}/${o.metadata.name}`);
    for (const attribute of [chart.workload, chart.service, chart.headlessService!, chart.configMap, chart.autoscaler!, chart.disruptionBudget!]) {
      expect(rendered).toContain(`${attribute.kind}/${attribute.name}`);
    }
  });

  test('GIVEN an AbiInstance without storage, custom resource or Prometheus Operator WHEN rendered THEN the optional attributes are absent', () => {
    const wire = { ...readAbiDocument(ABI_SAMPLES.basic).spec, storage: { enabled: false } };
    const chart = new AbiInstanceChart(Testing.app(), 'basic', {
      metadata: { name: 'basic' }, spec: abiProps(wire), includeCustomResource: false, cluster: { prometheusOperator: false },
    });
    expect(chart.workload.kind).toBe('Deployment');
    expect([chart.customResource, chart.headlessService, chart.serviceMonitor]).toEqual([undefined, undefined, undefined]);
  });

  test('GIVEN a sharded VecodexSet WHEN rendered THEN writer, coordinator and searchers expose their Deployments, ConfigMaps and Services', () => {
    const chart = new VecodexSetChart(Testing.app(), 'full', { metadata: { name: 'full' }, spec: vecodexProps(readYaml('test/vecodex/fixtures/full.yaml').spec) });
    expect(chart.customResource?.kind).toBe('VecodexSet');
    expect(ApiObject.of(chart)).toBe(chart.coordinator.deployment);
    for (const component of [chart.writer, chart.coordinator]) {
      expect([component.deployment.kind, component.configMap.kind, component.service?.kind]).toEqual(['Deployment', 'ConfigMap', 'Service']);
      expect(component.deployment.name).toBe(component.name);
      expect(ApiObject.of(component)).toBe(component.deployment);
    }
    expect(chart.searchers.shards.length).toBeGreaterThan(1);
    expect(chart.searchers.shards.map((s) => s.deployment.name)).toEqual(chart.searchers.shards.map((s) => s.name));
    expect(chart.searchers.service.kind).toBe('Service');
    expect(chart.searchers.shardServices).toHaveLength(chart.searchers.shards.length);
  });
});

describe('a library user\'s app', () => {
  test('GIVEN test/api/consumer-app.ts WHEN compiled alone THEN it type-checks against the package declarations only', () => {
    const file = path.join(__dirname, 'consumer-app.ts');
    const program = ts.createProgram([file], consumerOptions());
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    const ours = program.getSourceFiles().map((f) => path.relative(REPO_ROOT, f.fileName)).filter((f) => !f.startsWith('node_modules'));
    expect(ours).toContain(path.join('lib', 'src', 'index.d.ts'));
    expect(ours.filter((f) => f.startsWith(`src${path.sep}`))).toEqual([]);
  });

  test('GIVEN an app that imports an internal helper by package name WHEN compiled THEN it fails: the helper is not public', () => {
    const file = path.join(__dirname, 'internal-import.ts');
    const source = "import { propName } from 'cdk8s-abi-vecodex';\nexport const x = propName('a');\n";
    const options = consumerOptions();
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (f) => (f === file ? source : readFile(f));
    host.fileExists = (f) => f === file || fileExists(f);
    const program = ts.createProgram([file], options, host);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([
      expect.stringContaining('has no exported member \'propName\''),
    ]);
  });

  test('GIVEN the consumer app WHEN synthesized THEN the typed attributes\' edits reach the output and bad props fail with their paths', () => {
    const { abiChart, vecodexChart } = buildConsumerApp('/dev/null');
    const abiObjects = Testing.synth(abiChart);
    const workload = abiObjects.find((o: any) => o.kind === abiChart.workload.kind);
    expect(workload.spec.template.metadata.annotations.team).toBe('search');
    expect(abiObjects.find((o: any) => o.kind === 'ConfigMap').metadata.labels.consumer).toBe('assistant');
    const coordinator = Testing.synth(vecodexChart).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'search-coordinator');
    expect(coordinator.metadata.labels['escape-hatch']).toBe('coordinator');
    expect(tooManyReplicas()).toEqual(['spec.replicas: is 500: must be <= 100 (allowed: 0 to 100)']);
  });

  test('GIVEN the package\'s crds/ export WHEN an app includes the CRDs THEN it renders both CustomResourceDefinitions', () => {
    const crds = Testing.synth(crdChart(Testing.app())).map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(crds).toEqual(['CustomResourceDefinition/abiinstances.abi.io', 'CustomResourceDefinition/vecodexsets.apps.vecodex.link']);
  });
});

function consumerOptions(): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: ['node'], esModuleInterop: true,
  };
}

describe('the construct tree below the attributes (docs/api.md)', () => {
  test('GIVEN a VecodexSet with managed etcd WHEN its parts are found by ID THEN ApiObject.of gives their main objects', () => {
    const chart = new VecodexSetChart(Testing.app(), 'tree', { metadata: { name: 'tree' }, spec: vecodexProps(readYaml('instances/dev/vecodex-search-cluster.yaml').spec) });
    expect(ApiObject.of(chart.node.findChild('Ingress')).kind).toBe('Ingress');
    expect(ApiObject.of(chart.node.findChild('Etcd')).kind).toBe('StatefulSet');
    expect(ApiObject.of(chart.node.findChild('Writer'))).toBe(chart.writer.deployment);
  });
});
