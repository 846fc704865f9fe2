// What an editor with the YAML language server (VS Code's YAML extension,
// JetBrains, vim/neovim LSP) does with a file of this repository, using the
// yaml-language-server package itself configured exactly as the repository's
// .vscode/settings.json configures the VS Code extension (yaml.schemas:
// schema path relative to the workspace root -> globs).
//
// An ES module (the package is ESM only), run as a child process by
// yaml-language-server.test.ts. stdin: {"workspace": DIR, "requests": [...]},
// each {"file": path relative to DIR, "text": ..., "completeAt"?: {line, character},
// "hoverAt"?: {line, character}} (0-based, as LSP counts). stdout: one result per
// request: diagnostics, completion labels, hover text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const workspace = path.resolve(input.workspace);
const settings = JSON.parse(fs.readFileSync(path.join(workspace, '.vscode/settings.json'), 'utf8'));

const service = getLanguageService({
  schemaRequestService: async (uri) => fs.readFileSync(fileURLToPath(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
});
service.configure({
  validate: true,
  completion: true,
  hover: true,
  schemas: Object.entries(settings['yaml.schemas']).map(([schema, globs]) => ({
    uri: pathToFileURL(path.resolve(workspace, schema)).toString(),
    fileMatch: Array.isArray(globs) ? globs : [globs],
    priority: 2, // SchemaPriority.Settings: what the extension gives yaml.schemas
  })),
});

const results = [];
for (const request of input.requests) {
  const document = TextDocument.create(pathToFileURL(path.join(workspace, request.file)).toString(), 'yaml', 1, request.text);
  const diagnostics = await service.doValidation(document, false);
  const result = {
    file: request.file,
    diagnostics: diagnostics.map((d) => ({ line: d.range.start.line, character: d.range.start.character, severity: d.severity, message: d.message })),
  };
  if (request.completeAt) {
    const list = await service.doComplete(document, request.completeAt, false);
    result.completions = list.items.map((i) => i.label);
  }
  if (request.hoverAt) {
    const hover = await service.doHover(document, request.hoverAt);
    result.hover = hover ? JSON.stringify(hover.contents) : null;
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
