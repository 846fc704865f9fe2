/**
 * Validates rendered objects offline against the upstream OpenAPI schemas that
 * kubernetes-models ships (types, required fields, enums). Custom kinds of our
 * own are validated by their CRD schema elsewhere.
 */
import * as path from 'path';
import { KubeObject } from './kube-client';

interface Validatable { validate(): void }
type ModelClass = new (data: unknown) => Validatable;

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const candidates = apiVersion === 'monitoring.coreos.com/v1'
    ? [path.join('@kubernetes-models/prometheus-operator', apiVersion, kind)]
    : [path.join('kubernetes-models', apiVersion, kind)];
  for (const candidate of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(candidate)[kind] as ModelClass;
    } catch {
      // not a kind this package models
    }
  }
  return undefined;
}

/** Returns problems as `Kind/name: message`; throws for kinds no package models. */
export function offlineValidationErrors(objects: KubeObject[], ownKinds: string[] = []): string[] {
  const errors: string[] = [];
  for (const obj of objects) {
    if (ownKinds.includes(obj.kind)) continue;
    const Model = modelFor(obj.apiVersion, obj.kind);
    if (!Model) throw new Error(`no offline schema for ${obj.apiVersion} ${obj.kind}`);
    try {
      new Model(obj).validate();
    } catch (err) {
      errors.push(`${obj.kind}/${obj.metadata.name}: ${(err as Error).message}`);
    }
  }
  return errors;
}
