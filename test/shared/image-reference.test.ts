import { imagePullSecrets, imageWithRegistry, namesRegistry } from '../../src/shared/image-reference';

describe('image references', () => {
  test.each([
    ['nginx', false], ['library/nginx:1.27', false], ['ivan/vecodex:latest', false],
    ['ghcr.io/abi/abi:v1', true], ['localhost/x', true], ['localhost:5000/x', true], ['registry:5000/x', true],
  ])('GIVEN %s WHEN asked whether it names a registry THEN %s', (image, expected) => {
    expect(namesRegistry(image)).toBe(expected);
  });

  test('GIVEN a registry with a trailing slash WHEN prefixing THEN exactly one slash separates them', () => {
    expect(imageWithRegistry('nginx:1.27', 'mirror.local/hub/')).toBe('mirror.local/hub/nginx:1.27');
    expect(imageWithRegistry('nginx:1.27', undefined)).toBe('nginx:1.27');
  });

  test('GIVEN pull Secrets from several sources WHEN merged THEN first occurrence wins and none gives undefined', () => {
    expect(imagePullSecrets(['a', 'b'], ['b', 'c'])).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect(imagePullSecrets([], undefined)).toBeUndefined();
  });
});
