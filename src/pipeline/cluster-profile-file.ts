/**
 * instances/<cluster>/cluster.yaml: the per-cluster profile. Validated like an
 * instance spec (unknown fields are errors).
 */
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
