/** The Greeter's one definition: all the library needs to load, render, ship and reconcile it. */
import { defineProduct } from '../../../src/products/product-definition';
import { pick } from '../../../src/products/wire-status';
import { ProductCustomResourceDefinition } from '../../../src/shared/custom-resource-definition';
import { NAME_LIMITS } from '../../../src/shared/naming';
import { statusContractProperties } from '../../../src/shared/status';
import {
  GREETER_CONFIG_HASH_ANNOTATION, GREETER_GROUP, GREETER_KIND, GREETER_PLURAL, GREETER_PRODUCT_NAME, GREETER_VERSION,
  GreeterChart, greeterExpectedChildren, GreeterSpec, greeterSpecSchema,
} from './greeter-chart';

function greeterStatusSchema(): Record<string, unknown> {
  const int = { type: 'integer', format: 'int32' };
  return {
    type: 'object',
    properties: {
      ...statusContractProperties(),
      replicas: int,
      readyReplicas: int,
      endpoints: { type: 'object', properties: { http: { type: 'string' } } },
    },
  };
}

export const GREETER_PRODUCT = defineProduct<GreeterSpec>({
  name: GREETER_PRODUCT_NAME,
  group: GREETER_GROUP,
  version: GREETER_VERSION,
  kind: GREETER_KIND,
  plural: GREETER_PLURAL,
  configHashAnnotation: GREETER_CONFIG_HASH_ANNOTATION,
  specSchema: greeterSpecSchema(),
  statusSchema: greeterStatusSchema(),
  crd: (scope, id) => new ProductCustomResourceDefinition(scope, id, {
    product: GREETER_PRODUCT_NAME, group: GREETER_GROUP, version: GREETER_VERSION, kind: GREETER_KIND,
    plural: GREETER_PLURAL, singular: 'greeter', specSchema: greeterSpecSchema(), statusSchema: greeterStatusSchema(),
    requiredTopLevel: ['spec'],
    printerColumns: [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }],
  }),
  renderableKinds: [{ group: '', kind: 'ConfigMap' }, { group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }],

  derivedNames: (name) => [{ name, limit: NAME_LIMITS.deployment, what: 'Deployment' }],
  rules: (spec) => spec.message.includes('\n')
    ? [{ path: 'spec.message', message: `is ${JSON.stringify(spec.message)}: one line only (the greeter prints it as its HTTP response line)` }]
    : [],
  warnings: (spec) => spec.replicas === 0 ? [{ path: 'spec.replicas', message: 'is 0: nobody is greeted' }] : [],
  render: (scope, id, props) => new GreeterChart(scope, id, props),

  expectedChildren: greeterExpectedChildren,
  toWireStatus(status) {
    return {
      phase: status.phase,
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      health: status.health,
      conditions: status.conditions,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      ...(status.endpoints ? { endpoints: pick(status.endpoints, ['http']) } : {}),
    };
  },
});
