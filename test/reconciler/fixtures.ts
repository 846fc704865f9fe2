/** Builders for the raw JSON the reconciler reads, shared by unit and API-server tests. */
import { KubeObject } from '../../src/reconciler/kube-object';

export interface DeploymentFixture {
  readonly name: string;
  readonly namespace?: string;
  readonly instance?: string;
  readonly product?: 'abi' | 'vecodex';
  readonly component?: string;
  readonly replicas?: number;
  readonly image?: string;
  readonly configHash?: string;
  readonly hashAnnotation?: string;
  readonly generation?: number;
  readonly kind?: 'Deployment' | 'StatefulSet';
}

export function workload(f: DeploymentFixture, status: Record<string, unknown> = {}): KubeObject {
  const labels = {
    'app.kubernetes.io/name': f.product ?? 'abi',
    'app.kubernetes.io/instance': f.instance ?? f.name,
    'app.kubernetes.io/part-of': f.product ?? 'abi',
    'app.kubernetes.io/component': f.component ?? 'server',
  };
  const selector = { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/instance': labels['app.kubernetes.io/instance'] };
  const kind = f.kind ?? 'Deployment';
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: f.name, namespace: f.namespace ?? 'default', labels, ...(f.generation !== undefined ? { generation: f.generation } : {}) },
    spec: {
      replicas: f.replicas ?? 1,
      selector: { matchLabels: selector },
      ...(kind === 'StatefulSet' ? { serviceName: `${f.name}-headless` } : {}),
      template: {
        metadata: {
          labels: selector,
          annotations: f.configHash ? { [f.hashAnnotation ?? 'abi.io/config-hash']: f.configHash } : {},
        },
        spec: { containers: [{ name: 'abi', image: f.image ?? 'ghcr.io/abi/abi:v1.0.0' }] },
      },
    },
    status,
  };
}

/** A workload status as the controllers report a finished rollout of `replicas` pods, `ready` of them ready. */
export function rolledOut(replicas: number, ready = replicas, generation = 1): Record<string, unknown> {
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: ready,
    availableReplicas: ready,
  };
}

export function abiInstance(
  name: string,
  spec: Record<string, unknown> = { replicas: 1 },
  extra: { generation?: number; status?: unknown; deletionTimestamp?: string; namespace?: string } = {},
): KubeObject {
  return {
    apiVersion: 'abi.io/v1',
    kind: 'AbiInstance',
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      generation: extra.generation ?? 1,
      ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}),
    },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function service(name: string, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace } };
}

/**
 * A policy/v1 PodDisruptionBudget as the charts render it (instance labels,
 * selector = the workload's pod selector), with the status the disruption
 * controller would report.
 */
export function disruptionBudget(f: { name: string; namespace?: string; instance?: string; product?: 'abi' | 'vecodex'; generation?: number }, status?: {
  currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number; expectedPods: number; observedGeneration?: number;
}): KubeObject {
  const template = workload({ name: f.name, namespace: f.namespace, instance: f.instance, product: f.product });
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: f.name, namespace: f.namespace ?? 'default', labels: template.metadata.labels, ...(f.generation !== undefined ? { generation: f.generation } : {}) },
    spec: { minAvailable: 1, selector: template.spec.selector },
    ...(status ? { status: { observedGeneration: f.generation ?? 1, ...status } } : {}),
  };
}
