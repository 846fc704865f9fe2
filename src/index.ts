// AbiInstance
export * from './abi/abi-instance-chart';
export * from './abi/abi-instance-crd';
export * from './abi/abi-instance-schema';
export * from './abi/abi-instance-defaults';
export * from './abi/abi-instance-rules';
export * from './abi/abi-server-config';
export * from './abi/abi-server-service';
export * from './abi/abi-server-workload';
export * from './abi/abi-model-fetcher';
export * from './abi/abi-names';
export * from './abi/abi-children';
export * from './abi/resolve-abi-spec';
export * from './abi/abi-network-policy';
export * from './abi/abi-images';
export * from '../imports/abi.io';

// VecodexSet
export * from './vecodex/vecodex-set-chart';
export * from './vecodex/vecodex-set-crd';
export * from './vecodex/vecodex-set-schema';
export * from './vecodex/vecodex-set-defaults';
export * from './vecodex/vecodex-rules';
export * from './vecodex/vecodex-children';
export * from './vecodex/vecodex-names';
export * from './vecodex/vecodex-config';
export * from './vecodex/resolve-vecodex-spec';
export * from './vecodex/vecodex-component-config';
export * from './vecodex/vecodex-component-service';
export * from './vecodex/vecodex-component-workload';
export * from './vecodex/vecodex-component';
export * from './vecodex/vecodex-searcher-shards';
export * from './vecodex/vecodex-labels';
export * from './vecodex/vecodex-ingress';
export * from './vecodex/managed-etcd';
export * from './vecodex/managed-minio';
export * from './vecodex/managed-dependency';
export * from './vecodex/vecodex-network-policies';
export * from './vecodex/vecodex-images';
export * from '../imports/apps.vecodex.link';

// Shared building blocks
export * from './shared/autoscaler';
export * from './shared/children';
export * from './shared/cluster-profile';
export * from './shared/config-hash';
export * from './shared/custom-resource-definition';
export * from './shared/disruption-budget';
export * from './shared/ephemeral-storage';
export * from './shared/gpu-scheduling';
export * from './shared/image-reference';
export * from './shared/image-policy';
export * from './shared/instance-chart-props';
export * from './shared/labels';
export * from './shared/naming';
export * from './shared/network-policy';
export * from './shared/network-policy-profile';
export * from './shared/pod-security';
export * from './shared/pod-spread';
export * from './shared/probes';
export * from './shared/prune-protection';
export * from './shared/quantity';
export * from './shared/rollout-strategy';
export * from './shared/service-monitor';
export * from './shared/status';
export * from './shared/validation-issue';
export * from './shared/wire-to-props';

// Status reconciler (the construct only; the controller loop is lib/src/reconciler/main.js)
export * from './reconciler/status-reconciler';

// Pipeline
export * from './pipeline/load-instances';
export * from './pipeline/spec-error';
export * from './pipeline/synthesize';
