import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LABEL_MANAGED_BY, LABEL_PART_OF, MANAGED_BY, Product } from './labels';

interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 shows in `kubectl get`, 1 only with `-o wide`. @default 0 */
  readonly priority?: number;
}

export interface ProductCustomResourceDefinitionProps {
  readonly product: Product;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  /** @default none */
  readonly shortNames?: string[];
  readonly specSchema: Record<string, unknown>;
  readonly statusSchema: Record<string, unknown>;
  /** Fields of spec that are required. @default none */
  readonly requiredTopLevel?: string[];
  /** Enables the scale subresource (kubectl scale) with these paths. @default no scale subresource */
  readonly scale?: { readonly specReplicasPath: string; readonly statusReplicasPath: string };
  readonly printerColumns: PrinterColumn[];
}

/**
 * A namespaced, single-version CRD with a status subresource. Both of our CRDs
 * are built by this construct so their status contract and labels agree.
 */
export class ProductCustomResourceDefinition extends Construct {
  public readonly name: string;
  /** The openAPIV3Schema the API server validates against; also what ajv compiles. */
  public readonly schema: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ProductCustomResourceDefinitionProps) {
    super(scope, id);
    this.name = `${props.plural}.${props.group}`;
    this.schema = {
      type: 'object',
      description: `${props.kind} is rendered into Kubernetes manifests by cdk8s-abi-vecodex; its status is written by the status reconciler.`,
      required: props.requiredTopLevel ?? [],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: props.specSchema,
        status: props.statusSchema,
      },
    };
    // A plain ApiObject: the generated KubeCustomResourceDefinition converts
    // the schema through its typed JsonSchemaProps, which drops the keys it
    // does not model (x-kubernetes-int-or-string, x-kubernetes-list-type), and
    // the API server then rejects or mis-merges the CRD.
    new ApiObject(this, 'Resource', {
      ...k8s.KubeCustomResourceDefinition.GVK,
      metadata: {
        name: this.name,
        labels: { [LABEL_PART_OF]: props.product, [LABEL_MANAGED_BY]: MANAGED_BY },
      },
      spec: {
        group: props.group,
        scope: 'Namespaced',
        names: {
          kind: props.kind,
          listKind: `${props.kind}List`,
          plural: props.plural,
          singular: props.singular,
          shortNames: props.shortNames,
        },
        versions: [{
          name: props.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: this.schema },
          subresources: {
            status: {},
            scale: props.scale,
          },
          additionalPrinterColumns: props.printerColumns.map((c) => ({
            name: c.name, type: c.type, jsonPath: c.jsonPath, description: c.description, priority: c.priority,
          })),
        }],
      },
    });
  }
}
