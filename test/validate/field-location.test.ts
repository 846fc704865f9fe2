import { FieldLocator, locateField } from '../../src/pipeline/field-location';

const FILE = [
  '# two instances', //                                 1
  'apiVersion: abi.io/v1', //                           2
  'kind: AbiInstance', //                               3
  'metadata: {name: a, namespace: team}', //            4
  'spec:', //                                           5
  '  replicas: 1', //                                   6
  '---', //                                             7
  'apiVersion: apps.vecodex.link/v1alpha1', //          8
  'kind: VecodexSet', //                                9
  'metadata:', //                                      10
  '  name: b', //                                      11
  'spec:', //                                          12
  '  writer:', //                                      13
  '    resources:', //                                 14
  '      limits:', //                                  15
  '        nvidia.com/gpu: 1', //                      16
  '        memory: 1Gi', //                            17
  '  indexes:', //                                     18
  '    - id: docs', //                                 19
  '    - id: code', //                                 20
  '      dim: 8', //                                   21
  '  searcher: &s {replicas: 2}', //                   22
  '  other: *s', //                                    23
  '',
].join('\n');

describe('locating a field of a problem', () => {
  const locator = new FieldLocator(FILE);

  test.each<[string, number | undefined, string | undefined, number, number]>([
    ['a field of the first document', 1, 'spec.replicas', 6, 3],
    ['a key in flow style', 1, 'metadata.namespace', 4, 21],
    ['a field of the second document (lines count from the file start)', 2, 'metadata.name', 11, 3],
    ['a key that contains dots and a slash', 2, 'spec.writer.resources.limits.nvidia.com/gpu', 16, 9],
    ['the key after it', 2, 'spec.writer.resources.limits.memory', 17, 9],
    ['a list item', 2, 'spec.indexes[1]', 20, 7],
    ['a field of a list item', 2, 'spec.indexes[1].dim', 21, 7],
    ['a field through an alias', 2, 'spec.other.replicas', 22, 17],
    ['a missing field: its deepest existing ancestor', 2, 'spec.writer.resources.requests.cpu', 14, 5],
    ['a missing list item: the list', 2, 'spec.indexes[5].id', 18, 3],
    ['the whole document', 2, '(document)', 8, 1],
    ['no path', 1, undefined, 2, 1],
    ['a document that does not exist', 9, 'spec', 1, 1],
    ['no document (a file-level problem)', undefined, undefined, 1, 1],
  ])('GIVEN %s WHEN located THEN it is at its line and column', (_what, document, path, line, column) => {
    expect(locator.locate(document, path)).toEqual({ line, column });
  });

  test('GIVEN a file that is not valid YAML WHEN a file-level problem is located THEN it points at the syntax error', () => {
    const broken = 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata: {name: bad\nspec: {}\n';
    const where = locateField(broken);
    expect(where.line).toBeGreaterThanOrEqual(3);
    expect(where.line).toBeLessThanOrEqual(5);
  });

  test('GIVEN a second document that is not valid YAML WHEN its problem without a path is located THEN it points at its syntax error, not its start', () => {
    const text = 'a: 1\n---\nb: 1\nc: {d: 2\ne: 3\n';
    const where = locateField(text, 2);
    expect(where.line).toBeGreaterThanOrEqual(4);
    expect(locateField(text, 1)).toEqual({ line: 1, column: 1 });
  });

  test('GIVEN an empty document between two WHEN the third is located THEN documents are counted as the loader counts them', () => {
    const text = 'a: 1\n---\n---\nb:\n  c: 2\n';
    expect(locateField(text, 3, 'b.c')).toEqual({ line: 5, column: 3 });
  });
});
