/**
 * The loopback Git server the engine tier serves dist/ from: a real `git`
 * client clones and fetches it over smart HTTP.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { GitServer, gitServerUnavailable } from '../support/git-server';

const describeWithGit = gitServerUnavailable() === undefined ? describe : describe.skip;

describeWithGit('loopback Git server (git http-backend behind Node)', () => {
  let server: GitServer;
  let scratch: string;
  beforeAll(async () => {
    server = await GitServer.start({ branch: 'main' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'git-client-'));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  // Asynchronously: the server answers from this same process's event loop.
  const git = async (args: string[], cwd?: string) => (await promisify(execFile)('git', args, { cwd, encoding: 'utf8' })).stdout.trim();

  test('GIVEN a committed tree WHEN cloned over smart HTTP and a second commit replaces it THEN the clone sees each tree exactly', async () => {
    const first = server.commitTree(new Map([['dist/dev/a.yaml', 'a: 1\n'], ['dist/dev/sub/b.yaml', 'b: 2\n']]), 'first');
    const clone = path.join(scratch, 'clone');
    await git(['clone', '--quiet', '--branch', 'main', server.url, clone]);
    expect(await git(['rev-parse', 'HEAD'], clone)).toBe(first);
    expect(fs.readFileSync(path.join(clone, 'dist/dev/sub/b.yaml'), 'utf8')).toBe('b: 2\n');

    const second = server.commitTree(new Map([['dist/dev/a.yaml', 'a: 3\n']]), 'second');
    await git(['pull', '--quiet', '--ff-only'], clone);
    expect(await git(['rev-parse', 'HEAD'], clone)).toBe(second);
    expect(fs.existsSync(path.join(clone, 'dist/dev/sub/b.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(clone, 'dist/dev/a.yaml'), 'utf8')).toBe('a: 3\n');
    // Smart HTTP, not the dumb protocol: the client asked for upload-pack.
    expect(server.requests.some((r) => r.includes('service=git-upload-pack'))).toBe(true);
    expect(server.requests.some((r) => r.startsWith('POST') && r.includes('git-upload-pack'))).toBe(true);
  });
});
