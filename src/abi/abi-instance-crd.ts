import { Construct } from 'constructs';
import { configHashAnnotation } from '../shared/config-hash';
import { ProductCustomResourceDefinition } from '../shared/custom-resource-definition';
import { abiInstanceSpecSchema, abiInstanceStatusSchema } from './abi-instance-schema';

export const ABI_GROUP = 'abi.io';
export const ABI_VERSION = 'v1';
export const ABI_KIND = 'AbiInstance';
export const ABI_PLURAL = 'abiinstances';
/** The product's name: app.kubernetes.io/part-of of everything an AbiInstance renders. */
export const ABI_PRODUCT_NAME = 'abi';
export const ABI_CONFIG_HASH_ANNOTATION = configHashAnnotation(ABI_GROUP);

/** The `abiinstances.abi.io` CRD, as upstream defines it plus the full status contract. */
export class AbiInstanceCrd extends ProductCustomResourceDefinition {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      product: ABI_PRODUCT_NAME,
      group: ABI_GROUP,
      version: ABI_VERSION,
      kind: ABI_KIND,
      plural: ABI_PLURAL,
      singular: 'abiinstance',
      shortNames: ['abi', 'abis'],
      specSchema: abiInstanceSpecSchema(),
      statusSchema: abiInstanceStatusSchema(),
      requiredTopLevel: ['spec'],
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.readyReplicas' },
      printerColumns: [
        { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
        { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        { name: 'Health', type: 'string', jsonPath: '.status.health.status' },
        { name: 'Version', type: 'string', jsonPath: '.status.version' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoints.http', priority: 1 },
        { name: 'Message', type: 'string', jsonPath: '.status.health.message', priority: 1 },
      ],
    });
  }
}
