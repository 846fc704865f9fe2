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
});
