import { compileSpecSchema, schemaIssues } from '../src/pipeline/schema-validator';

describe('compileSpecSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      description: { type: 'string', description: 'a field that happens to be named like a keyword' },
      default: { type: 'integer', default: 1 },
      nested: { type: 'object', properties: { a: { type: 'string' } } },
    },
  };

  test('GIVEN fields named description and default WHEN validated THEN they are known fields, and their types apply', () => {
    const validate = compileSpecSchema(schema);
    expect(validate({ description: 'x', default: 2 })).toBe(true);
    expect(validate({ default: 'two' })).toBe(false);
    expect(schemaIssues(validate.errors, schema)).toEqual([{ path: 'default', message: 'must be of type integer' }]);
  });

  test('GIVEN an unknown nested field WHEN validated THEN it is rejected with the allowed fields', () => {
    const validate = compileSpecSchema(schema);
    expect(validate({ nested: { b: 'x' } })).toBe(false);
    expect(schemaIssues(validate.errors, schema)).toEqual([{ path: 'nested.b', message: 'is not a known field: allowed fields here are a' }]);
  });
});
