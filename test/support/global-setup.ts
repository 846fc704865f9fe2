import { ASSETS_VARIABLE, assetsDirectory } from './control-plane';

export default function globalSetup(): void {
  if (!assetsDirectory()) {
    // One line, loud, once per run: these suites prove the manifests against a real API server.
    process.stderr.write(`\n*** ${ASSETS_VARIABLE} is not set: SKIPPING every real-API-server test (run .ci/run, or export ${ASSETS_VARIABLE}=$(npm run -s testenv:build)) ***\n\n`);
  }
}
