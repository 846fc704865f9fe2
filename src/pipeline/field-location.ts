/**
 * Where a problem is, in the file: the line and column of the field a problem
 * names (`spec.writer.resources.limits.nvidia.com/gpu` in document 2), for CI
 * annotations and editors. Reads the file with its own parser, independent of
 * the loader: the loader reports documents and dotted paths, this finds them
 * in the YAML syntax tree with source ranges.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';

/** 1-based, as editors and GitHub annotations count. */
export interface FieldLocation {
  readonly line: number;
  readonly column: number;
}

/** The documents of one file, parsed once for any number of look-ups. */
export class FieldLocator {
  private readonly lineCounter = new LineCounter();
  private readonly documents: Document.Parsed[];

  constructor(text: string) {
    this.documents = [...parseAllDocuments(text, { lineCounter: this.lineCounter })];
  }

  /**
   * The field's key (or list item) when the path exists; else its deepest
   * ancestor that does (a missing required field points at its parent); the
   * document's start without a path; the first syntax error without a
   * document, or without a path in a document that does not parse (a file
   * that is not valid YAML).
   * @param document 1-based, counted like the loader (every `---` starts one)
   * @param path dotted, with [i] for list items; keys may contain dots
   */
  locate(document?: number, path?: string): FieldLocation {
    if (document === undefined) return this.firstError() ?? { line: 1, column: 1 };
    const doc = this.documents[document - 1];
    if (!doc) return { line: 1, column: 1 };
    const start = this.position(doc.contents?.range?.[0] ?? doc.range[0]);
    // A problem of a whole document that does not parse is its syntax error.
    if (!path && doc.errors[0]?.linePos) return { line: doc.errors[0].linePos[0].line, column: doc.errors[0].linePos[0].col };
    if (!path || path === '(document)' || !doc.contents) return start;
    const found = find(doc, doc.contents, path);
    return found ? this.position(found.offset) : start;
  }

  private firstError(): FieldLocation | undefined {
    for (const doc of this.documents) {
      const error = doc.errors[0];
      if (error?.linePos) return { line: error.linePos[0].line, column: error.linePos[0].col };
    }
    return undefined;
  }

  private position(offset: number): FieldLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}

/** Locates one field in a file's text; see FieldLocator.locate. */
export function locateField(text: string, document?: number, path?: string): FieldLocation {
  return new FieldLocator(text).locate(document, path);
}

interface Found {
  /** Offset of the deepest node reached. */
  readonly offset: number;
  /** Characters of the path not reached (0: the field itself). */
  readonly unmatched: number;
}

/**
 * The deepest match of `rest` below node. Keys are matched whole against the
 * remaining path (not split at dots), so `nvidia.com/gpu` is one key; of
 * several matching keys the one that reaches furthest wins.
 */
function find(doc: Document.Parsed, node: unknown, rest: string): Found | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  const index = /^\[(\d+)\]\.?/.exec(rest);
  if (index) {
    if (!isSeq(target)) return undefined;
    const item = target.items[Number(index[1])] as Node | undefined;
    if (!item?.range) return undefined;
    const after = rest.slice(index[0].length);
    return deeper({ offset: item.range[0], unmatched: after.length }, after ? find(doc, item, after) : undefined);
  }
  if (!isMap(target)) return undefined;
  let best: Found | undefined;
  for (const pair of target.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const range = (pair.key as Node | null)?.range;
    if (key === undefined || !range || !(rest === key || rest.startsWith(`${key}.`) || rest.startsWith(`${key}[`))) continue;
    const after = rest.slice(key.length).replace(/^\./, '');
    const here: Found = { offset: range[0], unmatched: after.length };
    best = deeper(best, deeper(here, after ? find(doc, pair.value, after) : undefined));
  }
  return best;
}

function deeper(a: Found | undefined, b: Found | undefined): Found | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.unmatched < a.unmatched ? b : a;
}
