import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readObjects, runController } from '@emplace/kube';

/**
 * The live mode against a stand-in API server (plain HTTP speaking the few Kubernetes
 * endpoints the controller uses): lists, the Lease, and the patches it sends.
 */

const here = dirname(fileURLToPath(import.meta.url));
const objects = readObjects(readFileSync(join(here, 'fixtures', 'karmada-worked.yaml'), 'utf8'));
const byPlural: Record<string, unknown[]> = {
  clusters: objects.filter((o) => o.kind === 'Cluster').map((o) => o.raw),
  propagationpolicies: objects.filter((o) => o.kind === 'PropagationPolicy').map((o) => o.raw),
  resourcebindings: objects.filter((o) => o.kind === 'ResourceBinding').map((o) => o.raw),
};

interface Call {
  method: string;
  url: string;
  contentType?: string;
  body?: unknown;
}
const calls: Call[] = [];
let lease: Record<string, unknown> | undefined;
let conflicts = 0;

function reply(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += chunk;
  const call: Call = { method: req.method ?? '', url: req.url ?? '', ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}), ...(text ? { body: JSON.parse(text) } : {}) };
  calls.push(call);
  const path = (req.url ?? '').split('?')[0]!;
  const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 };
  if (path.startsWith('/apis/coordination.k8s.io/v1/namespaces/default/leases')) {
    if (req.method === 'GET') return lease ? reply(res, 200, lease) : reply(res, 404, notFound);
    lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...(call.body as object), metadata: { name: 'emplace-scheduler', namespace: 'default', resourceVersion: '1' } };
    return reply(res, req.method === 'POST' ? 201 : 200, lease);
  }
  const m = /^\/apis\/[^/]+\/[^/]+\/(?:namespaces\/[^/]+\/)?([a-z]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(path);
  if (req.method === 'GET' && m && !m[2]) {
    const items = byPlural[m[1]!];
    return items ? reply(res, 200, { apiVersion: 'v1', kind: 'List', items: items.map((o: any) => { const { apiVersion, kind, ...rest } = o; void apiVersion; void kind; return rest; }) }) : reply(res, 404, notFound);
  }
  if (req.method === 'PATCH' && m && m[2]) {
    if (conflicts > 0) {
      conflicts--;
      return reply(res, 409, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409 });
    }
    return reply(res, 200, byPlural[m[1]!]?.[0] ?? {});
  }
  reply(res, 404, notFound);
}

let server: ReturnType<typeof createServer>;
let kubeconfig: string;

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'emplace-kube-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: c\n  context: {cluster: fake, user: u}\ncurrent-context: c\n`,
  );
});
afterAll(() => server.close());

describe('emplace kube controller against a stand-in API server', () => {
  it('--dry-run --once prints the patches and sends none', async () => {
    calls.length = 0;
    const out: string[] = [];
    const log: string[] = [];
    const code = await runController({ strategy: 'optimal', kubeconfig, dryRun: true, once: true, log: (l) => log.push(l), out: (l) => out.push(l), timeLimitMs: 5000 });
    expect(code, log.join('\n')).toBe(0);
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    const patches = out.map((l) => JSON.parse(l));
    expect(patches.map((p) => [p.kind, p.name, p.subresource ?? 'spec'])).toEqual([
      ['ResourceBinding', 'web-deployment', 'spec'],
      ['ResourceBinding', 'web-deployment', 'status'],
    ]);
    expect(log.join('\n')).toMatch(/ResourceBinding shop\/web-deployment: optimal .*\(dry run\)/);
  });

  it('--once takes the Lease and sends merge patches (spec, then status subresource)', async () => {
    calls.length = 0;
    lease = undefined;
    const log: string[] = [];
    const code = await runController({ strategy: 'optimal', kubeconfig, dryRun: false, once: true, log: (l) => log.push(l), out: () => undefined, timeLimitMs: 5000 });
    expect(code, log.join('\n')).toBe(0);
    const writes = calls.filter((c) => c.method !== 'GET');
    expect(writes[0]).toMatchObject({ method: 'POST', url: expect.stringContaining('/leases') });
    expect((writes[0]!.body as any).spec.holderIdentity).toMatch(/-\d+$/);
    // MicroTime: six fractional digits, as the API server parses it
    expect((writes[0]!.body as any).spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const patches = writes.filter((c) => c.method === 'PATCH');
    expect(patches.map((p) => p.url.split('?')[0])).toEqual([
      '/apis/work.karmada.io/v1alpha2/namespaces/shop/resourcebindings/web-deployment',
      '/apis/work.karmada.io/v1alpha2/namespaces/shop/resourcebindings/web-deployment/status',
    ]);
    for (const p of patches) expect(p.contentType).toBe('application/merge-patch+json');
    expect((patches[0]!.body as any).spec.clusters.reduce((s: number, c: any) => s + c.replicas, 0)).toBe(24);
    expect((patches[1]!.body as any).status.conditions[0]).toMatchObject({ type: 'Scheduled', status: 'True' });
  });

  it('renews its own Lease with a replace that keeps acquireTime', async () => {
    calls.length = 0;
    const code = await runController({ strategy: 'optimal', kubeconfig, dryRun: false, once: true, log: () => undefined, out: () => undefined, timeLimitMs: 5000 });
    expect(code).toBe(0);
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toContain('/leases/emplace-scheduler');
    expect((put.body as any).spec.renewTime).toMatch(/\.\d{6}Z$/);
    expect((put.body as any).spec.acquireTime).toMatch(/\.\d{6}Z$/);
    expect((put.body as any).spec.leaseTransitions).toBe(0);
  });

  it('another holder of a live Lease: no writes', async () => {
    calls.length = 0;
    lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'emplace-scheduler', namespace: 'default' }, spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 15, renewTime: new Date().toISOString() } };
    const log: string[] = [];
    const code = await runController({ strategy: 'optimal', kubeconfig, dryRun: false, once: true, log: (l) => log.push(l), out: () => undefined });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(log.join('\n')).toMatch(/not the leader/);
  });

  it('a conflict fails the round (the loop would back off and retry)', async () => {
    lease = undefined;
    conflicts = 1;
    const log: string[] = [];
    const code = await runController({ strategy: 'optimal', kubeconfig, dryRun: false, once: true, log: (l) => log.push(l), out: () => undefined, timeLimitMs: 5000 });
    expect(code).toBe(1);
    expect(log.join('\n')).toMatch(/HTTP 409, conflict.*retrying in 1 s/);
  });
});
