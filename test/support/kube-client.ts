/**
 * A deliberately small REST client for tests: it speaks to kube-apiserver with
 * Node's https module, so tests see raw status codes and Warning headers and
 * stay independent of the client library the reconciler uses.
 */
import * as https from 'https';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: any;
  /** Text of every `Warning` header the API server sent (admission warnings, deprecations). */
  readonly warnings: string[];
}

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

export class KubeClient {
  private readonly agent: https.Agent;
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  constructor(private readonly baseUrl: string, ca: Buffer, private readonly auth: { token: string }) {
    this.agent = new https.Agent({ ca, keepAlive: true });
  }

  public request(method: string, path: string, body?: unknown, contentType = 'application/json', accept = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.baseUrl), {
        method,
        agent: this.agent,
        headers: {
          'Authorization': `Bearer ${this.auth.token}`,
          'Accept': accept,
          ...(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON, e.g. /readyz */ }
          const warningHeader = res.headers.warning;
          const warnings = (Array.isArray(warningHeader) ? warningHeader : warningHeader ? [warningHeader] : [])
            .flatMap(splitWarnings);
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Installs CRDs for real and waits until the API server serves them. */
  public async installCrds(crds: KubeObject[]): Promise<void> {
    for (const crd of crds) {
      const res = await this.apply(crd);
      if (res.status >= 300) throw new Error(`installing ${crd.metadata.name} failed: ${JSON.stringify(res.body)}`);
    }
    for (const crd of crds) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await this.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crd.metadata.name);
        const established = (res.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
        if (established) break;
        if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.forgetDiscovery();
  }

  /** Drops cached discovery, e.g. after installing CRDs. */
  public forgetDiscovery(): void {
    this.discovery.clear();
  }

  /** The REST path of a kind (collection when name is omitted), found through discovery. */
  public async pathFor(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const info = await this.resourceInfo(apiVersion, kind);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    return `${prefix}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  /** Server-side apply; with dryRun the API server runs admission and validation but stores nothing. */
  public async apply(obj: KubeObject, opts: { dryRun?: boolean; fieldManager?: string; force?: boolean } = {}): Promise<KubeResponse> {
    const path = await this.pathFor(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const query = new URLSearchParams({ fieldManager: opts.fieldManager ?? 'cdk8s-abi-vecodex-test' });
    if (opts.force ?? true) query.set('force', 'true');
    if (opts.dryRun) query.set('dryRun', 'All');
    return this.request('PATCH', `${path}?${query}`, obj, 'application/apply-patch+yaml');
  }

  public async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeResponse> {
    return this.request('GET', await this.pathFor(apiVersion, kind, namespace, name));
  }

  public async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeResponse> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return this.request('GET', `${await this.pathFor(apiVersion, kind, namespace)}${query}`);
  }

  /**
   * Every item of a list, `limit` at a time. One list of thousands of large
   * objects (Argo CD Applications with their status) can outlast the API
   * server's request timeout on a busy machine (HTTP 504), so pages are small,
   * a page answered 429 or 5xx is asked again, and an expired continue token
   * (410) starts the list over, up to `attempts` times each.
   */
  public async listAll<T = KubeObject>(apiVersion: string, kind: string, namespace?: string, limit = 500, attempts = 5): Promise<T[]> {
    const base = await this.pathFor(apiVersion, kind, namespace);
    const items: T[] = [];
    let next: string | undefined;
    for (let restarts = 0; ;) {
      const query = new URLSearchParams({ limit: String(limit), ...(next ? { continue: next } : {}) });
      const { res, tries } = await this.getRetrying(`${base}?${query}`, attempts);
      if (res.status === 410 && next && ++restarts < attempts) {
        items.length = 0;
        next = undefined;
        continue;
      }
      if (res.status >= 300) throw new Error(`list ${kind}: HTTP ${res.status} (${tries} attempt${tries > 1 ? 's' : ''})`);
      items.push(...res.body.items);
      next = res.body.metadata?.continue || undefined;
      if (!next) return items;
    }
  }

  /** GET, asked again (with a growing pause) while the answer is 429 or 5xx, up to `attempts` times. */
  private async getRetrying(path: string, attempts: number): Promise<{ res: KubeResponse; tries: number }> {
    let res = await this.request('GET', path);
    let tries = 1;
    for (; tries < attempts && (res.status === 429 || res.status >= 500); tries++) {
      await new Promise((r) => setTimeout(r, 1_000 * tries));
      res = await this.request('GET', path);
    }
    return { res, tries };
  }

  /** Merge-patches the status subresource, as a kubelet or controller-manager would. */
  public async patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: unknown): Promise<KubeResponse> {
    const path = `${await this.pathFor(apiVersion, kind, namespace, name)}/status`;
    return this.request('PATCH', path, { status }, 'application/merge-patch+json');
  }

  public async delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeResponse> {
    return this.request('DELETE', await this.pathFor(apiVersion, kind, namespace, name));
  }

  private async resourceInfo(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let kinds = this.discovery.get(apiVersion);
    if (!kinds || !kinds.has(kind)) {
      const res = await this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      if (res.status !== 200) throw new Error(`discovery of ${apiVersion} failed: HTTP ${res.status}`);
      kinds = new Map();
      for (const r of res.body.resources as Array<{ name: string; kind: string; namespaced: boolean }>) {
        if (!r.name.includes('/')) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
      }
      this.discovery.set(apiVersion, kinds);
    }
    const info = kinds.get(kind);
    if (!info) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    return info;
  }
}

/** `299 - "text", 299 - "other"` → ['text', 'other'] */
function splitWarnings(header: string): string[] {
  const out: string[] = [];
  const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) out.push(m[1].replace(/\\(.)/g, '$1'));
  return out.length > 0 ? out : [header];
}
