import { Construct } from 'constructs';
import { configHashAnnotation } from '../shared/config-hash';
import { ProductCustomResourceDefinition } from '../shared/custom-resource-definition';
import { vecodexSetSpecSchema, vecodexSetStatusSchema } from './vecodex-set-schema';

export const VECODEX_GROUP = 'apps.vecodex.link';
export const VECODEX_VERSION = 'v1alpha1';
export const VECODEX_KIND = 'VecodexSet';
export const VECODEX_PLURAL = 'vecodexsets';
/** The product's name: app.kubernetes.io/part-of of everything a VecodexSet renders. */
export const VECODEX_PRODUCT_NAME = 'vecodex';
export const VECODEX_CONFIG_HASH_ANNOTATION = configHashAnnotation(VECODEX_GROUP);

/**
 * The `vecodexsets.apps.vecodex.link` CRD: upstream's schema plus the shared
 * status contract. No scale subresource: a VecodexSet has three replica
 * counts, and upstream had none.
 */
export class VecodexSetCrd extends ProductCustomResourceDefinition {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      product: VECODEX_PRODUCT_NAME,
      group: VECODEX_GROUP,
      version: VECODEX_VERSION,
      kind: VECODEX_KIND,
      plural: VECODEX_PLURAL,
      singular: 'vecodexset',
      // Upstream declares no short names; these are additive.
      shortNames: ['vset', 'vsets'],
      specSchema: vecodexSetSpecSchema(),
      statusSchema: vecodexSetStatusSchema(),
      requiredTopLevel: ['spec'],
      printerColumns: [
        { name: 'Coordinators', type: 'integer', jsonPath: '.spec.coordinator.replicas' },
        { name: 'Writers', type: 'integer', jsonPath: '.spec.writer.replicas' },
        { name: 'Searchers', type: 'integer', jsonPath: '.spec.searcher.replicas' },
        { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
        { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        { name: 'Health', type: 'string', jsonPath: '.status.health.status' },
        { name: 'Host', type: 'string', jsonPath: '.spec.ingress.host' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoints.grpc', priority: 1 },
        { name: 'Message', type: 'string', jsonPath: '.status.health.message', priority: 1 },
      ],
    });
  }
}
