/**
 * Counterexamples the fuzzer found (test/fixtures/fuzz-regressions/*.yaml,
 * written by `npm run fuzz` on a failure): each must now either be refused
 * with every problem naming a field, or render with no duplicate identity.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadInstances } from '../../src/pipeline/load-instances';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { checkRenders, readCounterexample, writeRepository } from './properties';

const DIR = path.join(__dirname, '..', 'fixtures', 'fuzz-regressions');
const FILES = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort() : [];

describe('fuzz regressions', () => {
  test('GIVEN the kept counterexamples THEN there are some', () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  test.each(FILES)('GIVEN %s WHEN synthesized THEN it is refused naming fields, or renders cleanly', (file) => {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    const cluster = readCounterexample(text);
    const expectRefused = /^# expect: refused/m.test(text);
    const root = writeRepository(cluster);
    try {
      loadInstances(root);
      expect(expectRefused).toBe(false);
      checkRenders(cluster);
    } catch (err) {
      if (!(err instanceof SpecValidationError)) throw err;
      expect(expectRefused).toBe(true);
      expect(err.problems.every((p) => p.path !== undefined)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
