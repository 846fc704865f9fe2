/**
 * `npm run api:check` (part of `npm test`) and `npm run api:update`: the public
 * API, as API Extractor reads it from lib/src/index.d.ts, against the committed
 * report etc/cdk8s-abi-vecodex.api.md. A change to the exported surface fails
 * the check until the report is refreshed with api:update and committed, so
 * every API change shows in review as a diff of that file.
 *
 * Every export of ours must be documented: an undocumented one fails both
 * commands. The generated classes (lib/imports/, `cdk8s import`) are exempt:
 * json2jsii writes what the CRD schema describes, and nothing else.
 */
import * as path from 'path';
import { Extractor, ExtractorConfig, ExtractorMessage } from '@microsoft/api-extractor';

const ROOT = path.join(__dirname, '..', '..');
const GENERATED = path.join(ROOT, 'lib', 'imports') + path.sep;
const REPORT = 'etc/cdk8s-abi-vecodex.api.md';

function main(): number {
  const update = process.argv.includes('--update');
  const config = ExtractorConfig.loadFileAndPrepare(path.join(ROOT, 'api-extractor.json'));
  const undocumented: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (message: ExtractorMessage) => {
      if (message.messageId !== 'ae-undocumented') return;
      message.handled = true;
      if (!message.sourceFilePath?.startsWith(GENERATED)) undocumented.push(message.formatMessageWithLocation(ROOT));
    },
  });
  if (undocumented.length > 0) {
    process.stderr.write(`api: ${undocumented.length} exported declaration(s) without documentation; add a doc comment in src/:\n${undocumented.map((u) => `  ${u}`).join('\n')}\n`);
    return 1;
  }
  if (!result.succeeded) {
    process.stderr.write(result.apiReportChanged
      ? `api: the public API differs from ${REPORT}: if the change is meant, run \`npm run api:update\` and commit ${REPORT}\n`
      : `api: API Extractor failed with ${result.errorCount} error(s) (above)\n`);
    return 1;
  }
  process.stdout.write(update && result.apiReportChanged ? `api: ${REPORT} updated\n` : `api: ${REPORT} is current\n`);
  return 0;
}

process.exitCode = main();
