/**
 * Runs Flux healthCheckExprs the way kustomize-controller does
 * (fluxcd/pkg runtime/cel StatusEvaluator, RFC-0009), with @bufbuild/cel
 * (cel-es) as the CEL interpreter:
 *
 *   1. status.observedGeneration present and ≠ metadata.generation → InProgress,
 *      before any expression runs;
 *   2. inProgress, then failed, then current: the first that is true decides;
 *   3. none true → InProgress;
 *   an expression that errors or is not boolean → the error; kstatus's generic
 *   reader then reports the resource Unknown and the health check keeps
 *   waiting (until the Kustomization's timeout).
 *
 * Flux parses without type-checking and binds the object's top-level fields
 * (apiVersion, kind, metadata, spec, status) as variables. Two differences
 * between cel-es and Flux's cel-go are bridged here so the verdicts are Flux's:
 *
 * - Integers: Kubernetes JSON integers are int64 in Go's unstructured objects,
 *   so whole numbers are passed as CEL int (bigint), not double.
 * - A variable that is not bound: cel-go fails with "no such attribute(s)",
 *   even inside has() (fluxcd/pkg status_evaluator_test.go, "object without
 *   status"); cel-es evaluates has(unbound.field) to false. An expression that
 *   reads a top-level variable the object lacks is reported as that error.
 *   This is exact for expressions whose every operand reads the variable (ours
 *   do); cel-go could still absorb the error in `true || missing.x`.
 */
import { isCelError, parse, run } from '@bufbuild/cel';
import { HealthCheckExpr } from '../../src/gitops/flux-health-exprs';
import { FluxStatus } from './health-samples';

export interface FluxVerdict {
  readonly status: FluxStatus;
  /** Why the status is Unknown: the error kustomize-controller would log. */
  readonly error?: string;
}

/** JSON as Go's unstructured decoding types it: whole numbers are int64. */
export function toCelInput(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelInput);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCelInput(v)]));
  }
  return value;
}

/** CEL's type denotations, which parse as identifiers but are no variables. */
const TYPE_NAMES = new Set(['bool', 'bytes', 'double', 'dyn', 'int', 'list', 'map', 'null_type', 'string', 'type', 'uint']);

/** Names an expression reads as variables (comprehension variables and type names excluded). */
export function freeVariables(expression: string): Set<string> {
  const parsed = parse(expression);
  const idents = new Set<string>();
  const bound = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, any>;
    if (n.$typeName === 'cel.expr.Expr.Ident') idents.add(n.name);
    if (n.$typeName === 'cel.expr.Expr.Comprehension') {
      for (const v of [n.iterVar, n.iterVar2, n.accuVar]) if (v) bound.add(v);
    }
    for (const [k, v] of Object.entries(n)) if (k !== '$typeName') walk(v);
  };
  walk(parsed);
  return new Set([...idents].filter((name) => !bound.has(name) && !TYPE_NAMES.has(name)));
}

function evaluate(expression: string, obj: Record<string, unknown>): boolean {
  const unbound = [...freeVariables(expression)].filter((name) => !(name in obj)).sort();
  if (unbound.length > 0) throw new Error(`failed to evaluate the CEL expression '${expression}': no such attribute(s): ${unbound.join(', ')}`);
  const result = run(expression, toCelInput(obj) as Record<string, any>);
  if (isCelError(result)) throw new Error(`failed to evaluate the CEL expression '${expression}': ${result.message}`);
  if (typeof result !== 'boolean') throw new Error(`failed to evaluate CEL expression as boolean: '${expression}'`);
  return result;
}

export function fluxHealth(exprs: Pick<HealthCheckExpr, 'current' | 'inProgress' | 'failed'>, obj: Record<string, any>): FluxVerdict {
  const observed = obj.status?.observedGeneration;
  const generation = obj.metadata?.generation;
  if (Number.isInteger(observed) && Number.isInteger(generation) && observed !== generation) return { status: 'InProgress' };
  const order: Array<[string | undefined, FluxStatus]> = [[exprs.inProgress, 'InProgress'], [exprs.failed, 'Failed'], [exprs.current, 'Current']];
  for (const [expression, status] of order) {
    if (!expression) continue;
    try {
      if (evaluate(expression, obj)) return { status };
    } catch (err) {
      return { status: 'Unknown', error: (err as Error).message };
    }
  }
  return { status: 'InProgress' };
}

/** Whether Flux would accept the expression at all (it parses every one when the Kustomization is reconciled). */
export function parses(expression: string): boolean {
  try {
    parse(expression);
    return true;
  } catch {
    return false;
  }
}
