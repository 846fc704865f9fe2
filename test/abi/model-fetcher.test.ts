/**
 * Runs the fetch-model init container's own command (as rendered) with the
 * machine's sh, curl and sha256sum against a local HTTP server: download,
 * skip when present, resume, checksum; once with the host's shell and tools,
 * once with busybox's (what curlimages/curl runs). .ci/run installs curl and
 * busybox, so CI always runs both; elsewhere a missing tool skips with one line.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { modelFetcherContainer } from '../../src/abi/abi-model-fetcher';

const which = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
const missing = ['curl', 'sha256sum', 'busybox'].filter((tool) => which(tool) === '');
if (missing.length > 0) {
  if (process.env.CI) throw new Error(`${missing.join(', ')} needed to run the fetch-model script (.ci/run installs curl and busybox)`);
  console.warn(`SKIPPED test/abi/model-fetcher.test.ts: ${missing.join(', ')} not installed`);
}
const describeWithTools = missing.length === 0 ? describe : describe.skip;

/** The shells the script is run with: PATH, and the sh that replaces the rendered /bin/sh. */
interface Shell { readonly path: string; readonly sh?: string }
const HOST: Shell = { path: process.env.PATH ?? '/usr/bin:/bin' };
/** busybox sh and applets only, plus curl: the userland of curlimages/curl. */
function busyboxShell(): Shell {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'busybox-bin-'));
  for (const applet of ['sh', 'cat', 'cut', 'dirname', 'mkdir', 'mv', 'rm', 'sha256sum']) fs.symlinkSync(which('busybox'), path.join(bin, applet));
  fs.symlinkSync(which('curl'), path.join(bin, 'curl'));
  return { path: bin, sh: path.join(bin, 'sh') };
}

const MODEL = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const SHA = createHash('sha256').update(MODEL).digest('hex');

describeWithTools.each([['the host shell', () => HOST], ['busybox (as in curlimages/curl)', busyboxShell]] as const)('the fetch-model init container script, with %s', (_shellName, makeShell) => {
  let shell: Shell;
  let server: http.Server;
  let url: string;
  const requests: Array<{ range?: string }> = [];
  let tmp: string;

  beforeAll(async () => {
    shell = makeShell();
    server = http.createServer((req, res) => {
      requests.push({ range: req.headers.range });
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = m ? Number(m[1]) : 0;
      if (start >= MODEL.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${MODEL.length}` }).end();
        return;
      }
      const body = MODEL.subarray(start);
      res.writeHead(m ? 206 : 200, { 'Content-Length': body.length, ...(m ? { 'Content-Range': `bytes ${start}-${MODEL.length - 1}/${MODEL.length}` } : {}) });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/llama.gguf`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    if (shell.sh) fs.rmSync(path.dirname(shell.sh), { recursive: true, force: true });
  });
  beforeEach(() => {
    requests.length = 0;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-model-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /**
   * Runs a rendered command as the kubelet would (HOSTNAME is the pod name),
   * asynchronously: the HTTP server answers from this same event loop.
   */
  const run = (command: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(shell.sh ?? command[0], command.slice(1), { env: { PATH: shell.path, HOSTNAME: 'abi-0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  const fetch = (modelPath: string, sha256?: string) => run(modelFetcherContainer({ image: 'unused', url, modelPath, sha256 }).command!);

  /** The partial file the script names for this source and pod (the same key the script computes). */
  const partOf = (modelPath: string, sha256 = '') => {
    const key = spawnSync(shell.sh ?? 'sh', ['-c', 'printf %s "$1" | sha256sum | cut -c 1-16', 'key', `${url} ${sha256}`], { encoding: 'utf8', env: { PATH: shell.path } }).stdout.trim();
    return `${modelPath}.part-${key}-abi-0`;
  };

  test('GIVEN no model on the volume WHEN the init container runs THEN the file is downloaded whole, checked, recorded with its source, and no partial file is left', async () => {
    const modelPath = path.join(tmp, 'data/models/llama.gguf');
    const result = await fetch(modelPath, SHA);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(modelPath).equals(MODEL)).toBe(true);
    expect(fs.readdirSync(path.dirname(modelPath)).sort()).toEqual(['llama.gguf', 'llama.gguf.source']);
    expect(fs.readFileSync(`${modelPath}.source`, 'utf8')).toBe(`${url} ${SHA}`);
  });

  test('GIVEN the model already downloaded from the same source WHEN the init container runs again THEN nothing is downloaded', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    expect((await fetch(modelPath, SHA)).status).toBe(0);
    requests.length = 0;
    const again = await fetch(modelPath, SHA);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('is present');
    expect(requests).toEqual([]);
  });

  test('GIVEN a model file from another source (or placed by hand) WHEN the init container runs THEN it is replaced by a download from the configured source', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    fs.writeFileSync(modelPath, 'an older model');
    fs.writeFileSync(`${modelPath}.source`, 'https://old.example/model.gguf ');
    const result = await fetch(modelPath, SHA);
    expect(result.status).toBe(0);
    expect(requests).toHaveLength(1);
    expect(fs.readFileSync(modelPath).equals(MODEL)).toBe(true);
  });

  test('GIVEN a partial download of this pod from this source WHEN the init container restarts THEN it resumes where it stopped', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    fs.writeFileSync(partOf(modelPath, SHA), MODEL.subarray(0, 50_000));
    const result = await fetch(modelPath, SHA);
    expect(result.status).toBe(0);
    expect(requests).toEqual([{ range: 'bytes=50000-' }]);
    expect(fs.readFileSync(modelPath).equals(MODEL)).toBe(true);
  });

  test('GIVEN a partial download from another source WHEN the source changes THEN the new download does not resume into the old bytes', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    fs.writeFileSync(partOf(modelPath, ''), Buffer.from('bytes of another file'));
    const result = await fetch(modelPath, SHA);
    expect(result.status).toBe(0);
    expect(requests).toEqual([{ range: undefined }]);
    expect(fs.readFileSync(modelPath).equals(MODEL)).toBe(true);
  });

  test('GIVEN a wrong checksum WHEN the download ends THEN the init container fails and leaves neither the model nor the partial file', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    const result = await fetch(modelPath, '0'.repeat(64));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`checksum mismatch for ${url}`);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('GIVEN a URL that answers 404 WHEN the init container runs THEN it fails without a model file', async () => {
    const notFound = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
    try {
      const modelPath = path.join(tmp, 'llama.gguf');
      const command = modelFetcherContainer({ image: 'unused', url: `http://127.0.0.1:${(notFound.address() as AddressInfo).port}/missing.gguf`, modelPath }).command!;
      const result = await run(command);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('404');
      expect(fs.existsSync(modelPath)).toBe(false);
    } finally {
      await new Promise((resolve) => notFound.close(resolve));
    }
  });
});
