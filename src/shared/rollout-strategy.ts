import { k8s } from 'cdk8s-plus-27';

/**
 * Start a new pod before stopping an old one, so a Deployment never drops
 * below its desired count while it rolls (slow-starting servers keep serving).
 */
export function surgeFirstStrategy(): k8s.DeploymentStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } };
}

/**
 * Stop an old pod before starting its replacement, for pods that cannot run
 * one more: a single writer, required anti-affinity on every node, the last
 * free GPU. (The new pod is created once the old one is terminating, so the two
 * can overlap for its grace period.) Still RollingUpdate, not Recreate: a server-side apply switching a
 * live Deployment to Recreate leaves the defaulted rollingUpdate in place, which
 * the API server refuses.
 */
export function replaceInPlaceStrategy(): k8s.DeploymentStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) } };
}
