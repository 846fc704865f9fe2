/**
 * Kubernetes' own validation rules for the strings and numbers we copy into
 * objects, so that synth refuses what the API server would refuse (or warn
 * about, or silently change) with the field of the spec named. Each rule cites
 * where Kubernetes defines it; messages name the value and say what is allowed.
 *
 * No npm library implements these rules as the API server does (the ones that
 * exist cover DNS names only, without the qualified-name or quantity rules), so
 * they are written here from the Go sources:
 * - k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain,
 *   IsWildcardDNS1123Subdomain, IsQualifiedName, IsValidLabelValue, IsConfigMapKey, IsValidIP)
 * - k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateAnnotations, TotalAnnotationSizeLimitB)
 * - k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels)
 * - k8s.io/kubernetes/pkg/apis/core/validation/validation.go (validateTolerations,
 *   ValidateResourceRequirements, validateContainerResourceName, validateSecretKeySelector,
 *   ValidateNodeSelectorRequirement, ValidateConfigMap)
 * - k8s.io/kubernetes/pkg/apis/core/helper/helpers.go (IsStandardContainerResourceName,
 *   IsNativeResource, IsExtendedResourceName, IsHugePageResourceName, IsOvercommitAllowed)
 * - k8s.io/kubernetes/pkg/apis/networking/validation/validation.go (validateIngressRules, ValidateIngressClassName)
 * - k8s.io/kubernetes/pkg/api/pod/warnings.go (fractional byte values)
 */
import { compareQuantities, isTooLarge, parseKubeQuantity, ParsedQuantity, quantityMilliValue, QUANTITY_HINT } from './quantity';
import { ValidationIssue } from './validation-issue';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

const DNS1123_LABEL_MAX_LENGTH = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_MAX_LENGTH = 63;
/** objectmeta.go TotalAnnotationSizeLimitB: keys and values of all annotations together. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
/** core.MaxSecretSize, which ValidateConfigMap applies to the ConfigMap's data too. */
const MAX_CONFIG_MAP_SIZE = 1024 * 1024;

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value) : String(value));

/** Problems of a DNS-1123 label (IsDNS1123Label): namespaces, Service and port names. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errors.push(`must be no more than ${DNS1123_LABEL_MAX_LENGTH} characters`);
  if (!DNS1123_LABEL.test(value)) errors.push('must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit');
  return errors;
}

/** Problems of a DNS-1123 subdomain (IsDNS1123Subdomain): most object names. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) errors.push('must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit');
  return errors;
}

/** Problems of a qualified name (IsQualifiedName): label and annotation keys, resource names. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errors: string[] = [];
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) errors.push('has an empty prefix before "/"');
    else errors.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix ${JSON.stringify(prefix)} ${e}`));
  } else if (parts.length > 2) {
    return ['must be a name with an optional DNS-subdomain prefix and one "/" (e.g. "example.com/my-name")'];
  }
  if (name.length === 0) errors.push('has an empty name part');
  else {
    if (name.length > QUALIFIED_NAME_MAX_LENGTH) errors.push(`has a name part of ${name.length} characters, at most ${QUALIFIED_NAME_MAX_LENGTH} are allowed`);
    if (!QUALIFIED_NAME_PART.test(name)) errors.push('must have a name part of letters, digits, "-", "_" and ".", starting and ending with a letter or digit (e.g. "MyName", "my.name", "123-abc")');
  }
  return errors;
}

/** Problems of a label value (IsValidLabelValue); empty is allowed. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errors.push(`must be no more than ${LABEL_VALUE_MAX_LENGTH} characters`);
  if (!LABEL_VALUE.test(value)) errors.push('must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
  return errors;
}

/** Problems of a ConfigMap or Secret key (IsConfigMapKey). */
export function configMapKeyErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!CONFIG_MAP_KEY.test(value)) errors.push('must consist of letters, digits, "-", "_" and "."');
  if (value === '.') errors.push('must not be "."');
  else if (value === '..') errors.push('must not be ".."');
  else if (value.startsWith('..')) errors.push('must not start with ".."');
  return errors;
}

/**
 * IsValidIP: netutils.ParseIPSloppy, which also takes IPv4 with leading zeros.
 * IPv6 addresses are not matched here: their colons already fail a DNS name.
 */
function isIPv4Address(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/** Problems of an Ingress rule host (networking validateIngressRules). */
export function ingressHostErrors(host: string): string[] {
  if (isIPv4Address(host) || host.includes(':')) return ['must be a DNS name, not an IP address'];
  if (host.includes('*')) {
    // IsWildcardDNS1123Subdomain: "*." then a DNS-1123 subdomain.
    if (!host.startsWith('*.')) return ['may only use "*" as its whole first label (e.g. "*.example.com")'];
    return dns1123SubdomainErrors(host.slice(2)).map((e) => `after "*." ${e}`);
  }
  return dns1123SubdomainErrors(host);
}

/** One issue per message, at `path`, naming the value. */
export function issuesAt(path: string, value: unknown, errors: readonly string[]): ValidationIssue[] {
  return errors.length === 0 ? [] : [{ path, message: `${show(value)} ${errors.join('; ')}` }];
}

/** Path of a map entry, dotted as everywhere in our messages (e.g. spec.writer.resources.limits.nvidia.com/gpu). */
function keyPath(path: string, key: string): string {
  return `${path}.${key}`;
}

/** A name of a referenced object (Secret, StorageClass, IngressClass...): a DNS-1123 subdomain. */
export function checkObjectName(value: unknown, path: string, what: string): ValidationIssue[] {
  if (typeof value !== 'string') return [{ path, message: `must be a string: the name of a ${what}` }];
  if (value === '') return [{ path, message: `is empty: the name of a ${what} is a DNS-1123 subdomain (e.g. "my-${what.toLowerCase().replace(/[^a-z]/g, '')}")` }];
  return issuesAt(path, value, dns1123SubdomainErrors(value).map((e) => `is not a valid ${what} name: ${e}`));
}

/** metadata.labels (ValidateLabels): qualified-name keys, label values. */
function checkLabels(labels: unknown, path: string): ValidationIssue[] {
  if (labels === undefined || labels === null || typeof labels !== 'object' || Array.isArray(labels)) return [];
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    issues.push(...issuesAt(path, key, qualifiedNameErrors(key).map((e) => `is not a valid label key: it ${e}`)));
    if (typeof value === 'string') issues.push(...issuesAt(keyPath(path, key), value, labelValueErrors(value).map((e) => `is not a valid label value: it ${e}`)));
  }
  return issues;
}

/** metadata.annotations (ValidateAnnotations): qualified-name keys (checked lower-cased), 256 KiB in all. */
export function checkAnnotations(annotations: unknown, path: string): ValidationIssue[] {
  if (annotations === undefined || annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return [];
  const issues: ValidationIssue[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    issues.push(...issuesAt(path, key, qualifiedNameErrors(key.toLowerCase()).map((e) => `is not a valid annotation key: it ${e}`)));
    size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    issues.push({ path, message: `total ${size} bytes (keys and values), more than Kubernetes' limit of ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes (256 KiB): shorten or remove annotations` });
  }
  return issues;
}

/** An instance's metadata.labels and metadata.annotations, before its schema is checked (any shape). */
export function checkInstanceMetadata(metadata: unknown): ValidationIssue[] {
  if (metadata === null || typeof metadata !== 'object') return [];
  const { labels, annotations } = metadata as { labels?: unknown; annotations?: unknown };
  return [...checkLabels(labels, 'metadata.labels'), ...checkAnnotations(annotations, 'metadata.annotations')];
}

/** A pod's nodeSelector: label keys and values (ValidatePodSpec → ValidateLabels). */
export function checkNodeSelector(selector: Record<string, string> | undefined, path: string): ValidationIssue[] {
  if (selector === undefined) return [];
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(selector)) {
    issues.push(...issuesAt(path, key, qualifiedNameErrors(key).map((e) => `is not a valid node label key: it ${e}`)));
    issues.push(...issuesAt(keyPath(path, key), value, labelValueErrors(value).map((e) => `is not a valid node label value: it ${e}`)));
  }
  return issues;
}

export interface TolerationInput {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** Pod tolerations (core validateTolerations). */
export function checkTolerations(tolerations: readonly TolerationInput[] | undefined, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.key !== undefined && t.key !== '') {
      issues.push(...issuesAt(`${at}.key`, t.key, qualifiedNameErrors(t.key).map((e) => `is not a valid taint key: it ${e}`)));
    }
    if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') {
      issues.push({ path: `${at}.operator`, message: `is ${show(t.operator ?? 'Equal (the default)')}, but key is empty: an empty key matches every taint, which needs operator Exists` });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      issues.push({ path: `${at}.tolerationSeconds`, message: `is set with effect ${show(t.effect ?? '(all effects)')}: it only applies to effect NoExecute; remove it, or use effect NoExecute` });
    }
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') {
      issues.push({ path: `${at}.value`, message: `is ${show(t.value)} with operator Exists: Exists matches any value, so value must be empty; remove it, or use operator Equal` });
    }
    if (t.operator !== 'Exists' && t.value !== undefined) {
      issues.push(...issuesAt(`${at}.value`, t.value, labelValueErrors(t.value).map((e) => `is not a valid taint value: it ${e}`)));
    }
  });
  return issues;
}

const MAX_MILLI_VALUE = 2n ** 63n - 1n;

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const HUGEPAGES_PREFIX = 'hugepages-';
const BYTE_RESOURCES = ['memory', 'ephemeral-storage', 'storage'];

function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/** helper.IsNativeResource: no domain, or a kubernetes.io domain. */
function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsExtendedResourceName: not native, not "requests.*", and "requests.<name>" is a qualified name. */
function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return qualifiedNameErrors(`requests.${name}`).length === 0;
}

/** helper.IsOvercommitAllowed: extended resources and hugepages need request == limit. */
function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Problems of a container resource name (validateContainerResourceName). */
export function containerResourceNameErrors(name: string): string[] {
  const qualified = qualifiedNameErrors(name);
  if (qualified.length > 0) return qualified.map((e) => `is not a valid resource name: it ${e}`);
  if (!name.includes('/')) {
    if (STANDARD_CONTAINER_RESOURCES.includes(name)) return [];
    if (isHugePageResourceName(name)) {
      const size = parseKubeQuantity(name.slice(HUGEPAGES_PREFIX.length));
      return size !== undefined && size.nanos > 0n ? [] : ['is not a valid hugepages resource: "hugepages-" must be followed by a positive page size, e.g. hugepages-2Mi'];
    }
    return ['is not a standard container resource: use cpu, memory, ephemeral-storage, hugepages-<size>, or a domain-prefixed extended resource such as nvidia.com/gpu'];
  }
  if (!isNativeResource(name) && !isExtendedResourceName(name)) return ['does not follow the extended resource name standard (<domain>/<name>)'];
  return [];
}

/** Problems of a quantity value for a resource, beyond its syntax (ValidateResourceQuantityValue, pod warnings). */
export function resourceQuantityErrors(resource: string, q: ParsedQuantity, options: { positive?: boolean } = {}): string[] {
  if (isTooLarge(q)) return ['is larger than Kubernetes counts (at most 2^63-1, about 8Ei)'];
  if (q.nanos < 0n) return [options.positive ? 'is negative: it must be a positive quantity' : 'is negative: a resource quantity must be at least 0'];
  if (options.positive && q.nanos === 0n) return ['is 0: it must be a positive quantity'];
  const milli = quantityMilliValue(q);
  const countedInMilli = isExtendedResourceName(resource) || isHugePageResourceName(resource) || BYTE_RESOURCES.includes(resource);
  // These checks read Quantity.MilliValue(), an int64: beyond it the value is
  // garbage and the API server calls it fractional (found by the fuzzer: memory 3Ei).
  if (countedInMilli && milli > MAX_MILLI_VALUE) {
    return [`is larger than Kubernetes can check for ${resource} (its thousandths must fit an int64: at most ${MAX_MILLI_VALUE / 1000n}, about 8Pi)`];
  }
  if (countedInMilli && milli % 1000n !== 0n) {
    return [BYTE_RESOURCES.includes(resource) || isHugePageResourceName(resource)
      ? 'is a fractional number of bytes: the API server warns that it is invalid (and rounds it up); use a whole number of bytes, e.g. 512Mi ("500m" is half a byte)'
      : 'is not a whole number: extended resources are counted in whole units'];
  }
  if (resource === 'cpu' && q.nanos % (10n ** 6n) !== 0n) {
    return ['is finer than 1m: Kubernetes counts CPU in millicores and would round it up'];
  }
  if (isHugePageResourceName(resource)) {
    const page = parseKubeQuantity(resource.slice(HUGEPAGES_PREFIX.length));
    if (page !== undefined && page.nanos > 0n && q.nanos % page.nanos !== 0n) return [`is not a whole multiple of the page size ${resource.slice(HUGEPAGES_PREFIX.length)}`];
  }
  return [];
}

/**
 * A container's resources.requests and .limits (ValidateResourceRequirements):
 * names, quantity syntax and values, request <= limit, and request == limit
 * for what cannot be overcommitted (extended resources, hugepages).
 */
export function checkResourceRequirements(
  requests: Record<string, unknown> | undefined,
  limits: Record<string, unknown> | undefined,
  path: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parsed = (kind: 'requests' | 'limits', map: Record<string, unknown> | undefined): Map<string, ParsedQuantity> => {
    const out = new Map<string, ParsedQuantity>();
    for (const [resource, value] of Object.entries(map ?? {})) {
      const at = keyPath(`${path}.${kind}`, resource);
      const nameErrors = containerResourceNameErrors(resource);
      if (nameErrors.length > 0) {
        issues.push({ path: at, message: `names the resource ${show(resource)}, which ${nameErrors.join('; ')}` });
        continue;
      }
      const q = parseKubeQuantity(value as string | number);
      if (q === undefined) {
        issues.push({ path: at, message: `${show(value)} is not a valid quantity: use ${QUANTITY_HINT}` });
        continue;
      }
      const valueErrors = resourceQuantityErrors(resource, q);
      if (valueErrors.length > 0) {
        issues.push(...issuesAt(at, value, valueErrors));
        continue;
      }
      out.set(resource, q);
    }
    return out;
  };
  const req = parsed('requests', requests);
  const lim = parsed('limits', limits);
  for (const [resource, request] of req) {
    const at = keyPath(`${path}.requests`, resource);
    const limit = lim.get(resource);
    const limitText = limits?.[resource];
    if (!isOvercommitAllowed(resource)) {
      if (limitText === undefined) {
        issues.push({ path: at, message: `is ${show(requests![resource])} but ${path}.limits has no ${resource}: ${isHugePageResourceName(resource) ? 'hugepages' : 'an extended resource'} cannot be overcommitted, it needs a limit equal to its request (setting only the limit is enough)` });
      } else if (limit !== undefined && compareQuantities(request, limit) !== 0) {
        issues.push({ path: at, message: `is ${show(requests![resource])} but limits.${resource} is ${show(limitText)}: ${isHugePageResourceName(resource) ? 'hugepages' : 'an extended resource'} cannot be overcommitted, request and limit must be equal (setting only the limit is enough)` });
      }
    } else if (limit !== undefined && compareQuantities(request, limit) > 0) {
      issues.push({ path: at, message: `${show(requests![resource])} exceeds the ${resource} limit ${show(limitText)}: a request must not exceed its limit` });
    }
  }
  // "HugePages require cpu or memory" (ValidateResourceRequirements).
  const all = new Set([...Object.keys(requests ?? {}), ...Object.keys(limits ?? {})]);
  if ([...all].some(isHugePageResourceName) && !all.has('cpu') && !all.has('memory')) {
    issues.push({ path, message: 'requests hugepages without cpu or memory: Kubernetes requires a cpu or memory request or limit alongside hugepages' });
  }
  return issues;
}

/** A quantity field that is not a container resource (a volume size): syntax, and more than 0 whole bytes. */
export function checkStorageSize(value: unknown, path: string): ValidationIssue[] {
  if (value === undefined) return [];
  const q = parseKubeQuantity(value as string | number);
  if (q === undefined) return [{ path, message: `${show(value)} is not a valid quantity: use ${QUANTITY_HINT}` }];
  return issuesAt(path, value, resourceQuantityErrors('storage', q, { positive: true }));
}

/** A key of a Secret (IsConfigMapKey, as validateSecretKeySelector checks it). */
export function checkSecretKey(key: unknown, path: string): ValidationIssue[] {
  if (typeof key !== 'string' || key === '') return [{ path, message: 'is empty: a Secret key is letters, digits, "-", "_" and "."' }];
  return issuesAt(path, key, configMapKeyErrors(key).map((e) => `is not a valid Secret key: it ${e}`));
}

/** A secretKeyRef's name and key (validateSecretKeySelector). */
export function checkSecretKeySelector(name: unknown, key: unknown, path: string): ValidationIssue[] {
  return [...checkObjectName(name, `${path}.name`, 'Secret'), ...(key === undefined ? [] : checkSecretKey(key, `${path}.key`))];
}

/** Problems of a container image (validateContainerCommon): set, without leading or trailing whitespace. */
export function imageErrors(image: string): string[] {
  if (image.trim() === '') return ['is empty: a container image reference is required'];
  if (image.trim() !== image) return ['has leading or trailing whitespace, which Kubernetes refuses in an image'];
  if (/\s/.test(image)) return ['contains whitespace: an image reference has none'];
  return [];
}

/**
 * Our bound on a whole spec: a custom resource is one etcd value (etcd's
 * default --max-request-bytes is 1.5 MiB), and it also carries its metadata
 * (annotations alone may take 256 KiB), so a spec of more than 1 MiB of JSON
 * cannot be stored, and its strings would overflow the objects they land in.
 */
const MAX_SPEC_SIZE = 1024 * 1024;

export function checkSpecSize(spec: unknown): ValidationIssue[] {
  const size = Buffer.byteLength(JSON.stringify(spec) ?? '');
  if (size <= MAX_SPEC_SIZE) return [];
  return [{ path: 'spec', message: `is ${size} bytes as JSON, more than ${MAX_SPEC_SIZE} (1 MiB): a custom resource is stored as one etcd value of at most 1.5 MiB with its metadata; shorten its strings` }];
}

/** The bytes of a ConfigMap's data (ValidateConfigMap sums keys and values against core.MaxSecretSize). */
export function checkConfigMapSize(data: Record<string, string>, path: string, what: string): ValidationIssue[] {
  let size = 0;
  for (const [key, value] of Object.entries(data)) size += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (size <= MAX_CONFIG_MAP_SIZE) return [];
  return [{ path, message: `makes the ${what} ConfigMap ${size} bytes, more than Kubernetes' limit of ${MAX_CONFIG_MAP_SIZE} bytes (1 MiB): shorten it` }];
}
