/**
 * instances/<cluster>/cluster.yaml: the per-cluster profile. Validated like an
 * instance spec (unknown fields are errors).
 */
export const CLUSTER_PROFILE_API_VERSION = 'cdk8s-abi-vecodex/v1alpha1';
export const CLUSTER_PROFILE_KIND = 'ClusterProfile';
export const CLUSTER_PROFILE_FILE = 'cluster.yaml';

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
        },
      },
    },
  };
}
