import { configMapKeyErrors, dns1123LabelErrors, dns1123SubdomainErrors, ingressHostErrors, labelValueErrors, qualifiedNameErrors } from '../../src/shared/kube-validation';
import { endpointHostPort } from '../../src/vecodex/resolve-vecodex-spec';

/**
 * Fixtures: the good and bad values of Kubernetes' own tests of these rules
 * (k8s.io/apimachinery/pkg/util/validation/validation_test.go: TestIsDNS1123Label,
 * TestIsDNS1123Subdomain, TestIsQualifiedName, TestIsValidLabelValue,
 * TestIsConfigMapKey, TestIsWildcardDNS1123Subdomain).
 */
const r = (s: string, n: number) => s.repeat(n);
const RULES: Array<[string, (v: string) => string[], string[], string[]]> = [
  ['IsDNS1123Label', dns1123LabelErrors,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)]],
  ['IsDNS1123Subdomain', dns1123SubdomainErrors,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
      '0.a', '01.a', '012.a', '1a.a', '1-a.a', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
      'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a_b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254)]],
  ['IsQualifiedName', qualifiedNameErrors,
    ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678',
      'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', r('a', 63), `${r('a', 253)}/${r('b', 63)}`],
    ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`]],
  ['IsValidLabelValue', labelValueErrors,
    ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''],
    ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', r('a', 64)]],
  ['IsConfigMapKey', configMapKeyErrors,
    ['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'],
    ['.', '..', '..bad', 'b*d', 'bad!&bad']],
  // Ingress hosts: IsWildcardDNS1123Subdomain's cases, and validateIngressRules' "must be a DNS name, not an IP address".
  ['Ingress host', ingressHostErrors,
    ['*.example.com', '*.bar.com', '*.foo.bar.com', 'example.com', 'a.b.c'],
    ['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*', '10.0.0.1', '010.0.0.1', '::1', 'Example.com', 'my_host.example.com']],
];

describe('Kubernetes\' validation rules, with Kubernetes\' own test values', () => {
  test('GIVEN the fixture tables THEN every rule has good and bad values', () => {
    expect(RULES.length).toBe(6);
    for (const [, , good, bad] of RULES) expect(good.length * bad.length).toBeGreaterThan(0);
  });

  test.each(RULES)('GIVEN %s WHEN checking its good and bad values THEN exactly the bad ones have errors', (_rule, check, good, bad) => {
    expect(good.filter((v) => check(v).length > 0)).toEqual([]);
    expect(bad.filter((v) => check(v).length === 0)).toEqual([]);
  });
});

describe('endpoints the URL parser refuses', () => {
  test('GIVEN such an endpoint WHEN a VecodexSet chart is rendered from code without the rules THEN rendering does not throw on the URL', () => {
    for (const endpoint of ['http://etcd:99999', 'http://a|b', 'http://a%b', 'http://[x']) {
      expect(() => endpointHostPort(endpoint)).not.toThrow();
    }
    expect(endpointHostPort('http://etcd:99999')).toEqual({ host: 'etcd', port: 99999 });
    expect(endpointHostPort('https://minio.example.com')).toEqual({ host: 'minio.example.com', port: 443 });
  });
});
