/**
 * instances/<cluster>/cluster.yaml: the per-cluster profile. Validated like an
 * instance spec (unknown fields are errors), and its values under Kubernetes'
 * rules for the fields they fill (clusterProfileSpecRules, run by the schema
 * validator through the `x-rules` keyword on spec).
 */
import { ClusterProfile } from '../shared/cluster-profile';
import { checkNodeSelector, checkObjectName, checkTolerations, containerResourceNameErrors, imageErrors, issuesAt, qualifiedNameErrors } from '../shared/kube-validation';
import { ValidationIssue } from '../shared/validation-issue';

export const CLUSTER_PROFILE_API_VERSION = 'cdk8s-abi-vecodex/v1alpha1';
export const CLUSTER_PROFILE_KIND = 'ClusterProfile';
export const CLUSTER_PROFILE_FILE = 'cluster.yaml';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

const toleration = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    operator: { type: 'string', enum: ['Exists', 'Equal'] },
    value: { type: 'string' },
    effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    tolerationSeconds: { type: 'integer' },
  },
};

export function clusterProfileSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { type: 'string', enum: [CLUSTER_PROFILE_API_VERSION] },
      kind: { type: 'string', enum: [CLUSTER_PROFILE_KIND] },
      metadata: { type: 'object', properties: { name: { type: 'string' } } },
      spec: {
        type: 'object',
        'x-rules': CLUSTER_PROFILE_RULES,
        properties: {
          gpu: {
            type: 'object',
            properties: {
              resourceName: { type: 'string', minLength: 1 },
              tolerations: { type: 'array', items: toleration },
              nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
              memoryLabel: { type: 'string', minLength: 1 },
            },
          },
          ingressClassName: { type: 'string', minLength: 1 },
          storageClassName: { type: 'string', minLength: 1 },
          prometheusOperator: { type: 'boolean' },
          podSecurityLevel: { type: 'string', enum: ['restricted', 'baseline', 'privileged'] },
          imageRegistry: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$' },
          imagePullSecrets: { type: 'array', items: { type: 'string', pattern: DNS_SUBDOMAIN } },
          reconciler: {
            type: 'object',
            properties: {
              image: { type: 'string', minLength: 1 },
              namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
              enabled: { type: 'boolean' },
            },
          },
          gitops: {
            type: 'object',
            properties: {
              // What both tools accept: Flux's GitRepository takes no scp-like
              // git@host:path, so SSH is spelled ssh://git@host/path.
              repoURL: { type: 'string', pattern: '^(https?|ssh)://\\S+$' },
              revision: { type: 'string', minLength: 1 },
              path: { type: 'string', pattern: '^[^\\s]+$' },
              argocd: {
                type: 'object',
                properties: {
                  namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
                  destinationServer: { type: 'string', pattern: '^https://\\S+$' },
                  destinationName: { type: 'string', minLength: 1 },
                },
              },
              flux: {
                type: 'object',
                properties: {
                  namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
                  // Go durations as Flux parses them, e.g. 5m, 1h30m, 30s.
                  interval: { type: 'string', pattern: DURATION },
                  timeout: { type: 'string', pattern: DURATION },
                  healthCheck: { type: 'string', enum: ['kstatus', 'cel'] },
                  secretName: { type: 'string', pattern: DNS_SUBDOMAIN, maxLength: 253 },
                },
              },
            },
          },
          // Image policy (src/shared/image-policy.ts).
          imagePolicy: { type: 'string', enum: ['warn', 'pinned'] },
          // NetworkPolicies (src/shared/network-policy-profile.ts).
          networkPolicy: {
            type: 'object',
            properties: {
              enabled: { type: 'boolean' },
              ingressNamespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
              monitoringNamespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
              egress: { type: 'string', enum: ['open', 'restricted'] },
            },
          },
        },
      },
    },
  };
}

/** Name under which the schema validator runs clusterProfileSpecRules (schema-validator.ts, SCHEMA_RULES). */
export const CLUSTER_PROFILE_RULES = 'clusterProfileSpec';

/**
 * What the schema cannot say about a profile's values: each lands in rendered
 * objects (GPU pods' resources, tolerations, node selector and affinity,
 * Ingresses, claims, pod pull Secrets, the reconciler's Deployment), so each
 * follows the Kubernetes rule of that field. Paths are relative to spec.
 * Called on any value (schema errors may sit next to it), so it checks types first.
 */
export function clusterProfileSpecRules(spec: ClusterProfile): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const gpu = spec.gpu;
  if (gpu !== undefined && gpu !== null && typeof gpu === 'object') {
    if (typeof gpu.resourceName === 'string' && gpu.resourceName !== '') {
      const errors = containerResourceNameErrors(gpu.resourceName);
      issues.push(...issuesAt('gpu.resourceName', gpu.resourceName, errors.length > 0 ? errors : gpu.resourceName.includes('/') ? [] : ['is not an extended resource: a device plugin advertises <domain>/<name>, e.g. nvidia.com/gpu']));
    }
    if (Array.isArray(gpu.tolerations) && gpu.tolerations.every((t) => t !== null && typeof t === 'object')) {
      issues.push(...checkTolerations(gpu.tolerations, 'gpu.tolerations'));
    }
    if (isStringMap(gpu.nodeSelector)) issues.push(...checkNodeSelector(gpu.nodeSelector, 'gpu.nodeSelector'));
    if (typeof gpu.memoryLabel === 'string' && gpu.memoryLabel !== '') {
      issues.push(...issuesAt('gpu.memoryLabel', gpu.memoryLabel, qualifiedNameErrors(gpu.memoryLabel).map((e) => `is not a valid node label key: it ${e}`)));
    }
  }
  if (typeof spec.ingressClassName === 'string' && spec.ingressClassName !== '') issues.push(...checkObjectName(spec.ingressClassName, 'ingressClassName', 'IngressClass'));
  if (typeof spec.storageClassName === 'string' && spec.storageClassName !== '') issues.push(...checkObjectName(spec.storageClassName, 'storageClassName', 'StorageClass'));
  if (Array.isArray(spec.imagePullSecrets)) {
    spec.imagePullSecrets.forEach((name, i) => {
      if (typeof name === 'string') issues.push(...checkObjectName(name, `imagePullSecrets[${i}]`, 'Secret'));
    });
  }
  if (typeof spec.reconciler?.image === 'string' && spec.reconciler.image !== '') {
    issues.push(...issuesAt('reconciler.image', spec.reconciler.image, imageErrors(spec.reconciler.image)));
  }
  return issues;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value as object).every((v) => typeof v === 'string');
}
