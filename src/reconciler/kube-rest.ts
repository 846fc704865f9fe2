/**
 * Raw JSON requests to the API server, authenticated from a client-node
 * KubeConfig (kubeconfig file or in-cluster service account). The reconciler
 * reads and writes plain JSON so it compares exactly what the server stores.
 */
import * as https from 'https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RestResponse {
  readonly status: number;
  readonly body: any;
}

export class ApiError extends Error {
  constructor(public readonly statusCode: number, public readonly body: unknown, what: string) {
    super(`${what}: HTTP ${statusCode}${typeof body === 'object' && body && 'message' in body ? ` ${(body as { message: string }).message}` : ''}`);
  }
  /** client-node's ListWatch resets its resourceVersion on `code === 410`. */
  public get code(): number {
    return this.statusCode;
  }
}

export class KubeRest {
  private agent?: https.Agent;
  private readonly server: string;

  constructor(private readonly kc: KubeConfig, private readonly timeoutMs = 30_000) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server;
  }

  public async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<RestResponse> {
    const opts: https.RequestOptions = { method, headers: {} };
    // Applied per request: in-cluster tokens are rotated on disk and re-read by client-node.
    await this.kc.applyToHTTPSOptions(opts);
    // One keep-alive agent (TLS material does not change); client-node builds a fresh one per call.
    this.agent ??= new https.Agent({ keepAlive: true, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized });
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { ...(opts.headers as Record<string, string>), Accept: 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.server), { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = JSON.parse(text); } catch { /* plain text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET that throws ApiError unless 2xx. */
  public async getJson(path: string): Promise<any> {
    const res = await this.request('GET', path);
    if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, res.body, `GET ${path}`);
    return res.body;
  }
}
