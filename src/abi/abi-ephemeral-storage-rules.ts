import { AbiInstanceSpec } from '../../imports/abi.io';
import { parseQuantity } from '../shared/quantity';
import { ValidationIssue } from '../shared/validation-issue';

/**
 * The ephemeral-storage extension of spec.resources: a request above its
 * limit renders a container the API server refuses. (A request alone raises
 * the default limit to match, and a limit alone lowers the default request:
 * resolve-abi-spec.ts.)
 */
export function abiEphemeralStorageRules(spec: AbiInstanceSpec): ValidationIssue[] {
  const request = spec.resources?.requests?.ephemeralStorage?.value;
  const limit = spec.resources?.limits?.ephemeralStorage?.value;
  if (request === undefined || limit === undefined) return [];
  const r = parseQuantity(request);
  const l = parseQuantity(limit);
  if (r === undefined || l === undefined || r <= l) return [];
  return [{ path: 'spec.resources.requests.ephemeral-storage', message: `${request} exceeds the ephemeral-storage limit ${limit}: a request must not exceed its limit` }];
}
