/**
 * A third product, defined only in test/: what a newcomer writes for a new
 * product's folder (docs/adding-a-product.md). A Greeter is a Deployment
 * printing a message, with its ConfigMap and Service.
 */
import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExpectedChildren } from '../../../src/shared/children';
import { configHash, configHashAnnotation } from '../../../src/shared/config-hash';
import { instanceSelectorLabels, recommendedLabels, selectorLabels } from '../../../src/shared/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../../src/shared/pod-security';

export const GREETER_PRODUCT_NAME = 'greeter';
export const GREETER_GROUP = 'greeter.example.com';
export const GREETER_VERSION = 'v1alpha1';
export const GREETER_KIND = 'Greeter';
export const GREETER_PLURAL = 'greeters';
export const GREETER_CONFIG_HASH_ANNOTATION = configHashAnnotation(GREETER_GROUP);
export const GREETER_PORT = 8080;

/** The spec (no `cdk8s import` for a test product: its generated-props form is its wire form). */
export interface GreeterSpec {
  readonly message: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 'ghcr.io/example/greeter:v1.0.0' */
  readonly image?: string;
}

export const GREETER_DEFAULTS = { replicas: 1, image: 'ghcr.io/example/greeter:v1.0.0' };

export function greeterSpecSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['message'],
    properties: {
      message: { type: 'string', minLength: 1, maxLength: 200 },
      replicas: { type: 'integer', minimum: 0, maximum: 10, default: GREETER_DEFAULTS.replicas },
      image: { type: 'string', default: GREETER_DEFAULTS.image },
    },
  };
}

export interface GreeterChartProps {
  readonly metadata: ApiObjectMetadata & { readonly name: string };
  readonly spec: GreeterSpec;
}

/** The custom resource, a ConfigMap holding the message, a Deployment and a Service. */
export class GreeterChart extends Chart {
  constructor(scope: Construct, id: string, props: GreeterChartProps) {
    super(scope, id, { namespace: props.metadata.namespace ?? 'default', disableResourceNameHashes: true });
    const name = props.metadata.name;
    const image = props.spec.image ?? GREETER_DEFAULTS.image;
    const selector = selectorLabels({ name: GREETER_PRODUCT_NAME, instance: name });
    const labels = recommendedLabels({ product: GREETER_PRODUCT_NAME, name: GREETER_PRODUCT_NAME, instance: name, component: 'server', version: image.split(':')[1] });
    const data = { 'message.txt': props.spec.message };

    new ApiObject(this, 'Greeter', {
      apiVersion: `${GREETER_GROUP}/${GREETER_VERSION}`,
      kind: GREETER_KIND,
      metadata: {
        ...props.metadata, namespace: undefined, labels: { ...props.metadata.labels, ...instanceSelectorLabels(GREETER_PRODUCT_NAME, name) },
      },
      spec: props.spec,
    });
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name, labels }, data });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, labels },
      spec: {
        replicas: props.spec.replicas ?? GREETER_DEFAULTS.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { [GREETER_CONFIG_HASH_ANNOTATION]: configHash(data) } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            containers: [{
              name: 'greeter',
              image,
              ports: [{ name: 'http', containerPort: GREETER_PORT }],
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [{ name: 'config', mountPath: '/etc/greeter', readOnly: true }],
            }],
            volumes: [{ name: 'config', configMap: { name } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name, labels },
      spec: { selector, ports: [{ name: 'http', port: GREETER_PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
  }
}

/** What GreeterChart renders, as the reconciler expects it. */
export function greeterExpectedChildren(name: string, namespace: string, spec: GreeterSpec): ExpectedChildren {
  return {
    workloads: [{ kind: 'Deployment', name, component: 'server', replicas: spec.replicas ?? GREETER_DEFAULTS.replicas }],
    services: [name],
    endpoints: { http: `http://${name}.${namespace}.svc:${GREETER_PORT}` },
  };
}
