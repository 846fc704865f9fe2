/**
 * cdk8s constructs and a GitOps pipeline that render AbiInstance and
 * VecodexSet specs into production-grade Kubernetes manifests.
 *
 * The public API, held by the API report in etc/cdk8s-abi-vecodex.api.md
 * (`npm run api:check`, run by `npm test`): a symbol is exported here on
 * purpose, by name, never by `export *`. Everything else under src/ is
 * internal and may change in any release. See docs/api.md.
 *
 * @packageDocumentation
 */

// The charts: one custom resource each, everything it implies.
export { AbiInstanceChart, type AbiInstanceChartProps } from './abi/abi-instance-chart';
export { VecodexSetChart, type VecodexSetChartProps } from './vecodex/vecodex-set-chart';
export { type InstanceChartProps } from './shared/instance-chart-props';
export { type IVecodexComponent } from './vecodex/vecodex-component';
export { type IVecodexSearcherShards } from './vecodex/vecodex-searcher-shards';
export { type WaitTarget } from './vecodex/vecodex-wait-for';

// The spec types, generated from the CRDs by `cdk8s import` (json2jsii).
export * as abi from '../imports/abi.io';
export * as vecodex from '../imports/apps.vecodex.link';

// What the charts throw, and the warnings synth prints (call them yourself from code).
export { InvalidSpecError, type ValidationIssue } from './shared/validation-issue';
export { abiInstanceWarnings } from './abi/abi-instance-rules';
export { vecodexSetWarnings } from './vecodex/vecodex-rules';

// The cluster profile (instances/<cluster>/cluster.yaml, or the charts' `cluster` prop).
export { type ArgoCdProfile, type ClusterProfile, type FluxProfile, type GitOpsProfile, type PodSecurityLevel, type ReconcilerProfile, type ResolvedClusterProfile, type ResolvedGitOpsProfile, resolveClusterProfile } from './shared/cluster-profile';
export { type GpuSchedulingProfile, type ResolvedGpuSchedulingProfile } from './shared/gpu-scheduling';
export { type NetworkPolicyProfile, type ResolvedNetworkPolicyProfile } from './shared/network-policy-profile';
export { type ImagePolicy } from './shared/image-policy';

// Building blocks with props of their own, for workloads of yours.
export { type AutoscalingSettings, WorkloadAutoscaler, type WorkloadAutoscalerProps } from './shared/autoscaler';
export { type DisruptionBudgetSettings, WorkloadDisruptionBudget, type WorkloadDisruptionBudgetProps } from './shared/disruption-budget';
export { MetricsServiceMonitor, type MetricsServiceMonitorProps } from './shared/service-monitor';

// The product definitions: what a custom resource kind is, once (docs/adding-a-product.md).
export { defineProduct, type ProductDefinition, type ProductDefinitionProps, type ProductRenderProps } from './products/product-definition';
export { type DerivedName } from './shared/naming';
export { type ExpectedChildren, type ExpectedEndpoints, type ExpectedWorkload } from './shared/children';
export { type ComponentStatus, type ComputedStatus } from './reconciler/status/status-types';
export { type Condition, type Health, type HealthStatus, type Phase } from './shared/status';
export { type WorkloadState } from './reconciler/workload-state';
export { BUILT_IN_PRODUCTS } from './products/built-in-products';
export { ABI_PRODUCT } from './abi/abi-product';
export { VECODEX_PRODUCT } from './vecodex/vecodex-product';

// The status reconciler's Deployment and RBAC (the construct; its controller is lib/src/reconciler/main.js).
export { StatusReconciler, type StatusReconcilerProps } from './reconciler/status-reconciler';
export { LOG_LEVELS, type LogLevel } from './reconciler/logger';

// The pipeline: an instances directory in, the dist/ tree out (what synth and validate run).
export { synthesizeRepository, type OutputTree } from './pipeline/synthesize';
export { renderRepository } from './pipeline/render-repository';
export { writeOutputTree } from './pipeline/write-output';
export { formatProblem, type SpecProblem, SpecValidationError } from './pipeline/spec-error';
