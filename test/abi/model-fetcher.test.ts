/**
 * Runs the fetch-model init container's own command (as rendered) with the
 * machine's sh, curl and sha256sum against a local HTTP server: download,
 * skip when present, resume, checksum. .ci/run installs curl, so CI always
 * runs this; elsewhere it skips with one line when curl is missing.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { modelFetcherContainer } from '../../src/abi/abi-model-fetcher';

const hasTools = ['curl', 'sha256sum'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
if (!hasTools) {
  if (process.env.CI) throw new Error('curl and sha256sum are needed to run the fetch-model script (.ci/run installs curl)');
  // eslint-disable-next-line no-console
  console.warn('SKIPPED test/abi/model-fetcher.test.ts: curl or sha256sum is not installed');
}
const describeWithTools = hasTools ? describe : describe.skip;

const MODEL = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const SHA = createHash('sha256').update(MODEL).digest('hex');

describeWithTools('the fetch-model init container script', () => {
  let server: http.Server;
  let url: string;
  const requests: Array<{ range?: string }> = [];
  let tmp: string;

  beforeAll(async () => {
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
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });
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
    const child = spawn(command[0], command.slice(1), { env: { PATH: process.env.PATH, HOSTNAME: 'abi-0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  const fetch = (modelPath: string, sha256?: string) => run(modelFetcherContainer({ image: 'unused', url, modelPath, sha256 }).command!);

  test('GIVEN no model on the volume WHEN the init container runs THEN the file is downloaded whole, checked, and no partial file is left', async () => {
    const modelPath = path.join(tmp, 'data/models/llama.gguf');
    const result = await fetch(modelPath, SHA);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(modelPath).equals(MODEL)).toBe(true);
    expect(fs.readdirSync(path.dirname(modelPath))).toEqual(['llama.gguf']);
  });

  test('GIVEN the model already on the volume WHEN the init container runs THEN nothing is downloaded', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    fs.writeFileSync(modelPath, 'already here');
    const result = await fetch(modelPath);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('is present');
    expect(requests).toEqual([]);
    expect(fs.readFileSync(modelPath, 'utf8')).toBe('already here');
  });

  test('GIVEN a partial download of this pod WHEN the init container restarts THEN it resumes where it stopped', async () => {
    const modelPath = path.join(tmp, 'llama.gguf');
    fs.writeFileSync(`${modelPath}.part-abi-0`, MODEL.subarray(0, 50_000));
    const result = await fetch(modelPath, SHA);
    expect(result.status).toBe(0);
    expect(requests).toEqual([{ range: 'bytes=50000-' }]);
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
    const missing = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => missing.listen(0, '127.0.0.1', resolve));
    try {
      const modelPath = path.join(tmp, 'llama.gguf');
      const command = modelFetcherContainer({ image: 'unused', url: `http://127.0.0.1:${(missing.address() as AddressInfo).port}/missing.gguf`, modelPath }).command!;
      const result = await run(command);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('404');
      expect(fs.existsSync(modelPath)).toBe(false);
    } finally {
      await new Promise((resolve) => missing.close(resolve));
    }
  });
});
