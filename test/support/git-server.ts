/**
 * A Git server on loopback for the GitOps engine tier: Git's own
 * `git http-backend` (smart HTTP) behind a small Node HTTP server, serving one
 * temporary bare repository. Flux accepts only http(s) and ssh URLs, and both
 * engines clone it exactly as they would a hosted repository.
 *
 * Tests commit rendered trees into the repository with `commitTree`: each call
 * replaces the whole work tree (as `npm run synth` replaces dist/) and makes
 * one commit on the branch.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/** Where Debian's git puts its helper programs (`git --exec-path`). */
function gitExecPath(): string {
  return execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
}

/** Why the Git server cannot run here, or undefined. */
export function gitServerUnavailable(): string | undefined {
  try {
    const backend = path.join(gitExecPath(), 'git-http-backend');
    return fs.existsSync(backend) ? undefined : `git-http-backend not found at ${backend}`;
  } catch {
    return 'git not found on PATH (Debian: apt-get install git)';
  }
}

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'cdk8s-abi-vecodex tests', GIT_AUTHOR_EMAIL: 'tests@example.invalid',
  GIT_COMMITTER_NAME: 'cdk8s-abi-vecodex tests', GIT_COMMITTER_EMAIL: 'tests@example.invalid',
};

export class GitServer {
  /** Starts serving an empty bare repository `<name>.git` with `branch` as HEAD. */
  public static async start(options: { name?: string; branch?: string } = {}): Promise<GitServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-server-'));
    const name = options.name ?? 'fleet';
    const branch = options.branch ?? 'main';
    const server = new GitServer(dir, name, branch);
    server.git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, server.bareDir]);
    // Dumb-protocol clients are not expected; smart HTTP needs only these.
    server.git(['--git-dir', server.bareDir, 'config', 'http.receivepack', 'false']);
    await server.listen();
    return server;
  }

  public readonly bareDir: string;
  private readonly workDir: string;
  private http?: http.Server;
  private port = 0;
  /** Requests served, by path kind (info/refs, git-upload-pack); engines' fetches show here. */
  public readonly requests: string[] = [];

  private constructor(public readonly dir: string, public readonly name: string, public readonly branch: string) {
    this.bareDir = path.join(dir, `${name}.git`);
    this.workDir = path.join(dir, 'work');
  }

  /** The clone URL, e.g. http://127.0.0.1:34567/fleet.git */
  public get url(): string {
    return `http://127.0.0.1:${this.port}/${this.name}.git`;
  }

  /**
   * Replaces the repository's whole tree with `files` (path → content) and
   * commits it on the branch. Returns the commit SHA.
   */
  public commitTree(files: ReadonlyMap<string, string>, message: string): string {
    fs.rmSync(this.workDir, { recursive: true, force: true });
    fs.mkdirSync(this.workDir, { recursive: true });
    for (const [file, content] of files) {
      const target = path.join(this.workDir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    const tree = ['--git-dir', this.bareDir, '--work-tree', this.workDir];
    this.git([...tree, 'add', '--all', '.']);
    this.git([...tree, 'commit', '--quiet', '--allow-empty', '-m', message]);
    return this.head();
  }

  /** The branch's current commit. */
  public head(): string {
    return this.git(['--git-dir', this.bareDir, 'rev-parse', this.branch]).trim();
  }

  public async stop(): Promise<void> {
    const server = this.http;
    this.http = undefined;
    if (server) await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private git(args: string[]): string {
    return execFileSync('git', args, { encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } });
  }

  private async listen(): Promise<void> {
    const backend = path.join(gitExecPath(), 'git-http-backend');
    this.http = http.createServer((req, res) => this.serve(backend, req, res));
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.http!.address() as AddressInfo).port;
  }

  /** CGI: request → git http-backend's environment and stdin; its stdout → headers (with Status:) and body. */
  private serve(backend: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const child = spawn(backend, [], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: this.dir,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        // Clients may gzip upload-pack requests; http-backend inflates them.
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: '',
        SERVER_PROTOCOL: 'HTTP/1.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) { res.write(chunk); return; }
      head = Buffer.concat([head, chunk]);
      const end = findHeaderEnd(head);
      if (end === undefined) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(key, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end.at + end.length));
    });
    child.on('close', (code) => {
      if (!headersDone) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend exited ${code}: ${stderr}`);
        return;
      }
      res.end();
    });
    child.on('error', (err) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  }
}

function findHeaderEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}
