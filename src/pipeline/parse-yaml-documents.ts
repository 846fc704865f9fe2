/**
 * Spec files parsed with bounds (input-limits.ts): the `yaml` package, whose
 * alias resolution is bounded (maxAliasCount), driven token by token so that
 * nesting is measured while the text is parsed and too deep a file is refused
 * before its composer recurses once per level; then every document's value is
 * measured (aliases expanded) against the object size Kubernetes can store.
 *
 * Output is still written by js-yaml (yaml.ts): only reading changed.
 */
import { Composer, CST, Document, isScalar, Lexer, LineCounter, Parser, visit } from 'yaml';
import { formatBytes, INPUT_LIMITS } from './input-limits';

export type ParsedDocument =
  | { readonly document: number; readonly value: unknown; readonly problem?: undefined }
  | { readonly document: number; readonly problem: string; readonly value?: undefined };

export interface ParsedYaml {
  readonly documents: readonly ParsedDocument[];
  /** Why the file as a whole was given up on (its documents so far are still listed). */
  readonly problem?: string;
}

/** Longest part of the parser's own message (which may quote the input) that is shown. */
const MESSAGE_CHARACTERS = 200;

class NestedTooDeep extends Error {
  constructor(readonly offset: number) {
    super('nested too deep');
  }
}

export function parseYamlDocuments(source: string): ParsedYaml {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  // YAML 1.2 core schema, as js-yaml read it before, with `<<` merge keys (js-yaml's default schema has them).
  // Duplicate keys are refused by duplicateKey(): the composer's own check compares every key with every earlier one.
  // The schema is fixed: a `%YAML 1.1` directive must not turn `yes` into true or `1:20` into 80.
  const composer = new Composer({ schema: 'core', merge: true, uniqueKeys: false });
  const documents: ParsedDocument[] = [];
  try {
    for (const doc of composer.compose(boundedTokens(source, lines))) {
      if (documents.length === INPUT_LIMITS.documentsPerFile) {
        return { documents, problem: `holds more than ${INPUT_LIMITS.documentsPerFile} YAML documents: split it into several files` };
      }
      documents.push(documentValue(doc, documents.length + 1, at));
    }
  } catch (err) {
    if (err instanceof NestedTooDeep) {
      return { documents, problem: `nests mappings and lists more than ${INPUT_LIMITS.nestingDepth} levels deep (at ${at(err.offset)}): no spec is nested that deep` };
    }
    throw err;
  }
  return { documents };
}

/** The parser's tokens, given up on as soon as its stack of open nodes passes the nesting limit. */
function* boundedTokens(source: string, lines: LineCounter): Generator<CST.Token> {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  for (const lexeme of new Lexer().lex(source)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > INPUT_LIMITS.nestingDepth) throw new NestedTooDeep(parser.offset);
  }
  yield* parser.end();
}

function documentValue(doc: Document.Parsed, document: number, at: (offset: number) => string): ParsedDocument {
  const error = doc.errors[0];
  if (error) return { document, problem: `is not valid YAML at ${at(error.pos[0])}: ${shorten(error.message)}` };
  // Warnings are what the parser would silently ignore, e.g. an unknown tag (`!Ref x` read as "x").
  const warning = doc.warnings[0];
  if (warning) return { document, problem: `is not valid here at ${at(warning.pos[0])}: ${shorten(warning.message)} (spec files are plain YAML: no custom tags)` };
  const duplicate = duplicateKey(doc);
  if (duplicate) return { document, problem: `is not valid YAML at ${at(duplicate.offset)}: the key ${JSON.stringify(shorten(duplicate.key))} appears twice in one mapping` };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: INPUT_LIMITS.aliasCount });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/excessive alias count/i.test(message)) {
      return { document, problem: `is refused: its YAML aliases expand too much (over the alias count limit of ${INPUT_LIMITS.aliasCount}, a guard against "billion laughs" documents); write the values out instead` };
    }
    return { document, problem: `is not valid YAML: ${shorten(message)}` };
  }
  const size = expandedSize(value);
  if (size.cyclic) {
    return { document, problem: 'refers to itself through a YAML alias (an alias inside the node its anchor names): write the values out instead' };
  }
  if (size.depth > INPUT_LIMITS.nestingDepth) {
    return { document, problem: `nests mappings and lists more than ${INPUT_LIMITS.nestingDepth} levels deep once its aliases are expanded: no spec is nested that deep` };
  }
  if (size.bytes > INPUT_LIMITS.documentBytes) {
    return { document, problem: `is too large: it expands to more than ${formatBytes(INPUT_LIMITS.documentBytes)} of JSON (aliases expanded), more than Kubernetes stores in one object` };
  }
  return { document, value };
}

/**
 * The JSON length `value` expands to (approximately: no escapes counted) and
 * its nesting depth, without expanding it: aliases make the value a DAG, whose
 * shared nodes are measured once. Iterative, so no depth can overflow the stack.
 */
function expandedSize(value: unknown): { bytes: number; depth: number; cyclic: boolean } {
  const measured = new Map<object, { bytes: number; depth: number }>();
  const inProgress = new Set<object>();
  const leaf = (v: unknown): number => (typeof v === 'string' ? v.length + 2 : String(v).length);
  if (value === null || typeof value !== 'object') return { bytes: leaf(value), depth: 0, cyclic: false };
  const stack: Array<{ node: object; expanded: boolean }> = [{ node: value, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (measured.has(top.node)) {
      stack.pop();
      continue;
    }
    const entries: Array<[string | undefined, unknown]> = Array.isArray(top.node)
      ? top.node.map((v) => [undefined, v])
      : Object.entries(top.node);
    if (!top.expanded) {
      top.expanded = true;
      inProgress.add(top.node);
      for (const [, child] of entries) {
        if (child === null || typeof child !== 'object' || measured.has(child)) continue;
        if (inProgress.has(child)) return { bytes: Infinity, depth: Infinity, cyclic: true };
        stack.push({ node: child, expanded: false });
      }
      continue;
    }
    let bytes = 2 + Math.max(0, entries.length - 1);
    let depth = 0;
    for (const [key, child] of entries) {
      if (key !== undefined) bytes += key.length + 3;
      const m = child !== null && typeof child === 'object' ? measured.get(child)! : { bytes: leaf(child), depth: -1 };
      bytes += m.bytes;
      depth = Math.max(depth, m.depth + 1);
    }
    measured.set(top.node, { bytes, depth });
    inProgress.delete(top.node);
    stack.pop();
  }
  const root = measured.get(value)!;
  return { bytes: root.bytes, depth: root.depth, cyclic: false };
}

/** The first key that repeats within a mapping (YAML requires keys to be unique), in linear time. */
function duplicateKey(doc: Document.Parsed): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      const keys = new Set<string>();
      for (const pair of map.items) {
        // Keys that are not plain scalars (aliases, collections) are left to the schema check.
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (keys.has(key) && !(key === '<<')) {
          found = { key, offset: pair.key.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        keys.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function shorten(message: string): string {
  const firstLine = message.split('\n')[0];
  return firstLine.length <= MESSAGE_CHARACTERS ? firstLine : `${firstLine.slice(0, MESSAGE_CHARACTERS)}…`;
}
