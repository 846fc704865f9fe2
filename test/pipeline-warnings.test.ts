import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInstances } from '../src/pipeline/load-instances';
import { formatProblem, SpecProblem } from '../src/pipeline/spec-error';

describe('warnings that do not stop synthesis', () => {
  test('GIVEN the upstream Vecodex sample with its bare mode argument WHEN loaded THEN it loads and a warning names the file and field', () => {
    const warnings: SpecProblem[] = [];
    const clusters = loadInstances(path.join(__dirname, '..', 'instances'), (w) => warnings.push(w));
    expect(clusters.flatMap((c) => c.instances).some((i) => i.kind.kind === 'VecodexSet')).toBe(true);
    expect(warnings.map(formatProblem)).toContainEqual(expect.stringMatching(/vecodex-search-cluster\.yaml: document 1: VecodexSet .*: spec\.coordinator\.command\[1\]: "coordinator" is a bare positional argument/));
  });

  test('GIVEN an AbiInstance on an external LLM provider, or with tracing WHEN loaded THEN it loads and warnings say what the upstream binary ignores', () => {
    const { file, clusters, lines } = loadOne('  llm:\n    provider: anthropic\n  config:\n    tracing: true\n    jaegerEndpoint: http://jaeger:14268\n');
    expect(clusters[0].instances).toHaveLength(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`${file}: document 1: AbiInstance default/a: spec.llm.provider: is "anthropic", but upstream's \`llm serve\` never passes ABI_ANTHROPIC_API_KEY`);
    expect(lines[1]).toContain('spec.config.tracing: is true, but the binary reads neither ABBEY_ENABLE_TRACING nor ABBEY_JAEGER_ENDPOINT');
  });

  test('GIVEN a local model without modelSource WHEN loaded THEN a warning says nothing puts the file on the volume', () => {
    expect(loadOne('  llm:\n    provider: local\n    model: tiny\n').lines).toEqual([expect.stringContaining('spec.llm.modelSource: is not set: nothing puts /data/models/tiny.gguf on the volume')]);
  });

  test('GIVEN an AbiInstance on ollama without tracing WHEN loaded THEN there is no warning', () => {
    expect(loadOne('').lines).toEqual([]);
  });
});

/** Loads one AbiInstance `a` (replicas 1 plus `specTail`) from a fresh instances dir; its warnings, formatted. */
function loadOne(specTail: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-warnings-'));
  fs.mkdirSync(path.join(root, 'c1'));
  const file = path.join(root, 'c1', 'a.yaml');
  fs.writeFileSync(file, `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: a\nspec:\n  replicas: 1\n${specTail}`);
  const warnings: SpecProblem[] = [];
  const clusters = loadInstances(root, (w) => warnings.push(w));
  return { file, clusters, lines: warnings.map(formatProblem) };
}
