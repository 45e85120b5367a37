/**
 * Off-thread solving in a browser (issue 13). @emplace/pool: the page bundle creates a pool whose worker is a
 * module Web Worker (the pool's worker bundled with @emplace/facility), solves through it,
 * aborts a long solve and checks that the call returns the incumbent the worker reported
 * and that the pool works afterwards. A file:// page is not cross-origin isolated, so
 * there is no SharedArrayBuffer: this exercises the pool's message-based abort.
 * @emplace/lp: a MIP solved from the page runs in a HiGHS Web Worker (offload auto, HiGHS
 * served from this origin) and a timer-fired abort returns at once.
 *
 * Needs the Debian package `chromium` (/usr/bin/chromium; `apt-get install -y chromium`);
 * skipped otherwise (CHROMIUM_PATH overrides the path). esbuild comes with vite/vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, loadEsbuild, root, type EsbuildLike } from './browser-helpers.js';

const poolDir = join(root, 'packages', 'pool');

/** The worker: the solver family it serves, then the pool's worker loop (modules: [] in the page). */
const WORKER_ENTRY = `import '@emplace/facility';
import './src/worker.ts';`;

/** A random CFL instance (as packages/pool/test/random-cfl.ts), built in the page. */
const PAGE_ENTRY = `import { createPlacementModel, Rng } from '@emplace/core';
import { createSolverPool } from './src/index.ts';
function randomCfl(sites, clients, seed) {
  const rng = new Rng(seed);
  const xs = Array.from({ length: sites + clients }, () => [rng.next() * 100, rng.next() * 100]);
  const cost = new Float64Array(sites * clients);
  for (let i = 0; i < sites; i++) for (let j = 0; j < clients; j++) cost[i * clients + j] = Math.round(Math.hypot(xs[i][0] - xs[sites + j][0], xs[i][1] - xs[sites + j][1]));
  const demand = Array.from({ length: clients }, () => 1 + Math.floor(rng.next() * 20));
  const total = demand.reduce((x, y) => x + y, 0);
  return createPlacementModel({ sites, clients, cost, demand, capacity: Array.from({ length: sites }, () => Math.ceil((3 * total) / sites)), openingCost: Array.from({ length: sites }, () => 500 + Math.floor(rng.next() * 500)) });
}
(async () => {
  const out = { sharedArrayBuffer: typeof SharedArrayBuffer === 'function' };
  try {
    const pool = createSolverPool({ workerUrl: new URL('worker.js', location.href), modules: [] });
    await pool.ready();
    const small = await pool.solve(randomCfl(5, 12, 4), { method: 'ufl' });
    out.small = { status: small.status, objective: small.objective };
    const ctl = new AbortController();
    let incumbents = 0;
    let abortedAt = 0;
    // Abort at the first reported plan (not on a timer: on a fast machine the solve can finish first).
    const onIncumbent = () => {
      if (incumbents++ > 0) return;
      abortedAt = performance.now();
      ctl.abort();
    };
    const pending = pool.solve(randomCfl(60, 400, 3), { method: 'cfl:branch-and-bound', signal: ctl.signal, onIncumbent });
    const r = await pending;
    out.aborted = { status: r.status, stoppedBy: r.stoppedBy, objective: r.objective ?? null, incumbents, latencyMs: performance.now() - abortedAt, open: r.solution ? r.solution.open.length : null };
    const again = await pool.solve(randomCfl(5, 12, 4), { method: 'ufl' });
    out.again = { status: again.status, objective: again.objective };
    await pool.destroy();
  } catch (e) {
    out.error = String((e && e.stack) || e);
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
})();`;

async function bundle(esbuild: EsbuildLike, contents: string, resolveDir = poolDir): Promise<string> {
  const built = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    external: ['node:*', 'module'],
    // The packages say sideEffects: false; the worker's imports are there for their side effects (registration, the message loop).
    ignoreAnnotations: true,
    write: false,
    logLevel: 'silent',
  });
  return built.outputFiles[0]!.text;
}

/**
 * Serves the files on 127.0.0.1 (module workers need http, not file://), opens the page in
 * headless Chromium and waits for the page to POST its result to /result (real time:
 * --virtual-time-budget would race ahead while the page waits on its worker).
 */
async function runPage(files: Record<string, string | Buffer>, timeoutMs = 90_000): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'emplace-pool-browser-'));
  let browser: ChildProcess | undefined;
  const server = createServer();
  try {
    const result = new Promise<string>((resolveResult, reject) => {
      server.on('request', (req, res) => {
        if (req.method === 'POST' && req.url === '/result') {
          let body = '';
          req.on('data', (c: Buffer) => (body += c.toString()));
          req.on('end', () => {
            res.end('ok');
            resolveResult(body);
          });
          return;
        }
        const name = (req.url ?? '/').slice(1) || 'index.html';
        const text = name === 'index.html' ? '<!doctype html><html><body><script type="module" src="page.js"></script></body></html>' : files[name];
        if (text === undefined) {
          res.statusCode = 404;
          res.end();
          return;
        }
        res.setHeader('content-type', name.endsWith('.html') ? 'text/html' : name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.end(text);
      });
      setTimeout(() => reject(new Error(`no result from the page within ${timeoutMs} ms`)), timeoutMs).unref();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    browser = spawn(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, `http://127.0.0.1:${port}/index.html`],
      // Its own process group, so that its renderer and GPU processes end with it.
      { stdio: 'ignore', detached: true },
    );
    return JSON.parse(await result) as Record<string, unknown>;
  } finally {
    if (browser !== undefined && browser.exitCode === null) {
      const exited = new Promise((ok) => browser!.once('exit', ok));
      if (browser.pid !== undefined) process.kill(-browser.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    }
    server.close();
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // A straggling browser process still writing its profile: the temp dir stays behind.
    }
  }
}

describe.skipIf(!existsSync(CHROMIUM))('off-thread solving in a browser (headless Chromium, module Web Workers)', () => {
  it('solves through a Web Worker, aborts a long solve with its incumbent, and keeps working', async () => {
    const esbuild = loadEsbuild();
    expect(esbuild, 'esbuild not found under node_modules/.pnpm').toBeDefined();
    const [page, worker] = await Promise.all([bundle(esbuild!, PAGE_ENTRY), bundle(esbuild!, WORKER_ENTRY)]);
    const out = await runPage({ 'page.js': page, 'worker.js': worker });
    expect(out['error']).toBeUndefined();
    const { solve } = await import('@emplace/core');
    await import('@emplace/facility');
    const { randomCflModel } = await import('../../pool/test/random-cfl.js');
    const local = await solve(randomCflModel(5, 12, 4), { method: 'ufl' });
    expect(out['small']).toEqual({ status: local.status, objective: local.objective });
    const aborted = out['aborted'] as { status: string; stoppedBy: string; objective: number | null; incumbents: number; open: number | null };
    expect(aborted.stoppedBy).toBe('aborted');
    expect(['feasible', 'optimal']).toContain(aborted.status);
    expect(aborted.incumbents).toBeGreaterThan(0);
    expect(aborted.open).toBeGreaterThan(0);
    expect(out['again']).toEqual(out['small']);
    console.log(`browser pool: abort answered after ${(out['aborted'] as { latencyMs: number }).latencyMs.toFixed(1)} ms , SharedArrayBuffer: ${String(out['sharedArrayBuffer'])}`);
  });

  it('runs a HiGHS MIP in a HiGHS Web Worker (offload auto) and aborts it from a timer', async () => {
    const esbuild = loadEsbuild()!;
    const lpDir = join(root, 'packages', 'lp');
    // The page imports @emplace/lp; `new URL('./highs-worker.js', import.meta.url)` then
    // names /highs-worker.js next to page.js, which is bundled separately here.
    const page = await bundle(esbuild, HIGHS_PAGE, lpDir);
    const worker = await bundle(esbuild, "import './src/backends/highs-worker.ts';", lpDir);
    const build = join(lpDir, 'node_modules', 'highs', 'build');
    const out = await runPage({ 'page.js': page, 'highs-worker.js': worker, 'highs.mjs': readFileSync(join(build, 'highs.mjs'), 'utf8'), 'highs.wasm': readFileSync(join(build, 'highs.wasm')) });
    expect(out['error']).toBeUndefined();
    expect(out['small']).toEqual({ status: 'optimal', objective: 2, ranIn: 'worker' });
    const aborted = out['aborted'] as { status: string; stoppedBy: string; ranIn: string; maxViolation: number | null };
    expect(aborted.stoppedBy).toBe('aborted');
    expect(aborted.ranIn).toBe('worker');
    expect(['feasible', 'no-solution']).toContain(aborted.status);
    if (aborted.status === 'feasible') expect(aborted.maxViolation).toBeLessThan(1e-6);
    expect(out['again']).toEqual({ status: 'optimal', ranIn: 'worker' });
    console.log(`browser HiGHS worker: abort answered after ${(out['aborted'] as { latencyMs: number }).latencyMs.toFixed(1)} ms; main-thread stall max ${(out['aborted'] as { stallMs: number }).stallMs.toFixed(1)} ms`);
  });
});

/** A page that solves MIPs through @emplace/lp with HiGHS served from this origin. */
const HIGHS_PAGE = `import { configureHighs, LinearModel, solveLp } from './src/index.ts';
function marketSplit(m, n, seed) {
  let s = seed >>> 0;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const model = new LinearModel('min');
  const x0 = model.addVariables(n, { type: 'binary' });
  const slack0 = model.addVariables(2 * m, { obj: 1 });
  const idx = Array.from({ length: n }, (_, j) => x0 + j);
  for (let i = 0; i < m; i++) {
    const a = idx.map(() => Math.floor(rnd() * 100));
    const d = Math.floor(a.reduce((p, q) => p + q, 0) / 2);
    model.addEq([...idx, slack0 + 2 * i, slack0 + 2 * i + 1], [...a, 1, -1], d);
  }
  return model;
}
(async () => {
  const out = {};
  try {
    configureHighs({ moduleUrl: new URL('highs.mjs', location.href).href, wasmUrl: new URL('highs.wasm', location.href).href });
    const small = new LinearModel('max');
    const x = small.addVariable({ type: 'integer', ub: 5, obj: 1 });
    small.addLe([x], [2], 5);
    const s = await solveLp(small);
    out.small = { status: s.status, objective: s.objective, ranIn: s.stats.ranIn };
    const ctl = new AbortController();
    let abortedAt = 0;
    let last = performance.now();
    let stallMs = 0;
    const iv = setInterval(() => { const t = performance.now(); stallMs = Math.max(stallMs, t - last - 1); last = t; }, 1);
    setTimeout(() => { abortedAt = performance.now(); ctl.abort(); }, 1000);
    const r = await solveLp(marketSplit(5, 40, 4), { signal: ctl.signal });
    clearInterval(iv);
    out.aborted = { status: r.status, stoppedBy: r.stoppedBy, ranIn: r.stats.ranIn, maxViolation: r.solution ? r.solution.maxViolation : null, latencyMs: performance.now() - abortedAt, stallMs };
    const again = await solveLp(marketSplit(2, 8, 1));
    out.again = { status: again.status, ranIn: again.stats.ranIn };
  } catch (e) {
    out.error = String((e && e.stack) || e);
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
})();`;
