/**
 * The documentation of the cluster profile's fields, for the editor schema's
 * descriptions: read from the TSDoc of ClusterProfile and the interfaces it
 * uses (src/shared/cluster-profile.ts, gpu-scheduling.ts),
 * where it is written once for library users, so cluster.yaml's hover text
 * never drifts from it. Uses the TypeScript compiler (a build-time tool), so
 * it runs in the schema generator and its test, never at synth time.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

type Schema = Record<string, any>;

/** The repository root: the nearest folder above this file with a package.json (from scripts/ or lib/scripts/). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/**
 * Descriptions by field path below spec (`gpu.tolerations[].key`), for the
 * fields `specSchema` declares: the TSDoc text, then its @default. Read
 * syntactically (no type checker: that would load every .d.ts it imports),
 * following interfaces through the file's relative imports; a field whose
 * type is declared elsewhere (k8s.Toleration) keeps its own line only.
 */
export function profileFieldDocs(specSchema: Schema): Record<string, string> {
  const interfaces = new InterfaceIndex();
  const profile = interfaces.get(path.join(repositoryRoot(), 'src/shared/cluster-profile.ts'), 'ClusterProfile');
  if (!profile) throw new Error('src/shared/cluster-profile.ts declares no interface ClusterProfile');
  const docs: Record<string, string> = {};
  collect(interfaces, profile, specSchema, '', docs);
  return docs;
}

/** Interfaces by name, per file, with the files they import from relatively. */
class InterfaceIndex {
  private readonly files = new Map<string, { interfaces: Map<string, ts.InterfaceDeclaration>; imports: Map<string, string> }>();

  /** The interface `name` declared in `file` or imported into it from a relative module. */
  get(file: string, name: string): { file: string; declaration: ts.InterfaceDeclaration } | undefined {
    const parsed = this.parse(file);
    const declaration = parsed.interfaces.get(name);
    if (declaration) return { file, declaration };
    const from = parsed.imports.get(name);
    return from ? this.get(from, name) : undefined;
  }

  private parse(file: string) {
    let parsed = this.files.get(file);
    if (parsed) return parsed;
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed = { interfaces: new Map(), imports: new Map() };
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement)) parsed.interfaces.set(statement.name.text, statement);
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('.')) {
        const target = path.resolve(path.dirname(file), `${statement.moduleSpecifier.text}.ts`);
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) parsed.imports.set(element.name.text, target);
      }
    }
    this.files.set(file, parsed);
    return parsed;
  }
}

function collect(
  interfaces: InterfaceIndex,
  at: { file: string; declaration: ts.InterfaceDeclaration },
  schema: Schema,
  prefix: string,
  docs: Record<string, string>,
): void {
  const members = new Map(at.declaration.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(), m]));
  for (const [field, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const member = members.get(field);
    if (!member) continue;
    const key = `${prefix}${field}`;
    const description = describe(member);
    if (description) docs[key] = description;
    // Nested fields: an interface named by the member's type (or its array element type).
    let type = member.type;
    if (type && ts.isArrayTypeNode(type)) type = type.elementType;
    if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const nested = interfaces.get(at.file, type.typeName.text);
      const nestedSchema = sub.items?.properties ? sub.items : sub;
      if (nested && nestedSchema.properties) collect(interfaces, nested, nestedSchema, sub.items?.properties ? `${key}[].` : `${key}.`, docs);
    }
  }
}

/** "Text. Default: value." from the member's TSDoc. */
function describe(member: ts.PropertySignature): string | undefined {
  const clean = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  const parts: string[] = [];
  for (const doc of ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc)) {
    const text = clean(ts.getTextOfJSDocComment(doc.comment));
    if (text) parts.push(`${text}.`);
    for (const tag of doc.tags ?? []) {
      const value = clean(ts.getTextOfJSDocComment(tag.comment));
      if (tag.tagName.text === 'default' && value) parts.push(`Default: ${value}.`);
    }
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}
