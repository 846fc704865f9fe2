/**
 * Closed sets of values the instance specs take for workload fields, each
 * with its type: the CRD schemas enumerate them and the resolvers are typed by
 * them, so a value is added in one place. A module of its own without imports,
 * because the schema modules load without cdk8s-plus.
 */

/** Kubernetes' PullPolicy values (k8s.io/api/core/v1 types.go). */
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

/** How replicas of a workload avoid sharing a node: preferred (soft) or required (hard) pod anti-affinity. */
export const ANTI_AFFINITY_MODES = ['soft', 'hard'] as const;
export type AntiAffinityMode = (typeof ANTI_AFFINITY_MODES)[number];
