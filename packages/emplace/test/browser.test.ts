/**
 * The solver packages run unchanged in a browser: bundle a family for the browser with
 * esbuild (platform 'browser': a Node-only import fails the bundle) and run it in headless
 * Chromium, comparing its answers with the same calls in Node.
 *
 * Needs the Debian package `chromium` (/usr/bin/chromium; `apt-get install -y chromium`);
 * skipped with a message otherwise (CHROMIUM_PATH overrides the path).
 * esbuild comes with vite/vitest (node_modules/.pnpm/esbuild@*).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, loadEsbuild, root } from './browser-helpers.js';
import { createGraph } from '@emplace/core';
import { minimumSpanningTree } from '@emplace/graph';
import { fiedler } from '@emplace/spectral';


/** The computation, shared verbatim by the browser bundle and the Node run. */
const BODY = `
const n = 40;
const edges = [];
for (let i = 0; i < n; i++) edges.push([i, (i + 1) % n, 1 + (i % 3)]);
for (let i = 0; i < n; i += 5) edges.push([i, (i + 17) % n, 2.5]);
const g = createGraph({ n, edges });
const f = fiedler(g);
const mst = minimumSpanningTree(g);
const result = { lambda2: f.lambda2, connected: f.connected, mstWeight: mst.weight, mstEdges: mst.edges.length };
`;

function browserBundleEntry(): string {
  return `import { createGraph } from '@emplace/core';
import { minimumSpanningTree } from '@emplace/graph';
import { fiedler } from '@emplace/spectral';
try {
  ${BODY}
  document.body.setAttribute('data-result', JSON.stringify(result));
} catch (e) {
  document.body.setAttribute('data-result', JSON.stringify({ error: String(e && e.stack || e) }));
}`;
}

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

/** Loads a bundle in a page of headless Chromium and returns the JSON it leaves in body[data-result]. */
function runInChromium(js: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'emplace-browser-'));
  try {
    writeFileSync(join(dir, 'bundle.js'), js);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="bundle.js"></script></body></html>');
    const dom = execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--allow-file-access-from-files',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--virtual-time-budget=20000',
        '--dump-dom',
        `file://${join(dir, 'index.html')}`,
      ],
      { encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const m = /data-result="([^"]*)"/.exec(dom);
    if (!m) throw new Error(`no result in the page: ${dom.slice(0, 500)}`);
    return JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!haveChromium)('browser (headless Chromium)', () => {
  it('runs @emplace/facility (which imports @emplace/lp) in the browser when Node built-ins stay external', async () => {
    // @emplace/lp reaches node:worker_threads / node:module only through dynamic imports on
    // its Node-only paths (the isolated javascript-lp-solver runner, the HiGHS loader), so a
    // bundler that leaves them external produces a module with no static Node import.
    const esbuild = loadEsbuild()!;
    const bundle = await esbuild.build({
      stdin: {
        contents: `import { createPlacementModel } from '@emplace/core';
import { solveUfl } from '@emplace/facility';
(async () => {
  try {
    const n = 12, m = 30;
    const cost = [];
    for (let i = 0; i < n; i++) { const row = []; for (let j = 0; j < m; j++) row.push(Math.abs(((i * 7 + 3) % n) - ((j * 5 + 1) % n)) * 10 + ((i + j) % 4)); cost.push(row); }
    const model = createPlacementModel({ sites: n, clients: m, cost, openingCost: Array.from({ length: n }, (_, i) => 20 + 3 * i) });
    const out = {};
    for (const method of ['greedy', 'local-search', 'branch-and-bound']) { const r = await solveUfl(model, { method }); out[method] = r.objective; out[method + ':status'] = r.status; }
    document.body.setAttribute('data-result', JSON.stringify(out));
  } catch (e) {
    document.body.setAttribute('data-result', JSON.stringify({ error: String(e && e.stack || e) }));
  }
})();`,
        resolveDir: join(root, 'packages', 'emplace'),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['source'],
      external: ['node:*', 'module'],
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]!.text;
    expect(js).not.toMatch(/^import [^\n]* from ["'](node:[^"']+|module)["']/m);
    const browser = runInChromium(js);
    expect(browser['error']).toBeUndefined();
    const { createPlacementModel } = await import('@emplace/core');
    const { solveUfl } = await import('@emplace/facility');
    const n = 12;
    const m = 30;
    const cost: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row: number[] = [];
      for (let j = 0; j < m; j++) row.push(Math.abs(((i * 7 + 3) % n) - ((j * 5 + 1) % n)) * 10 + ((i + j) % 4));
      cost.push(row);
    }
    const model = createPlacementModel({ sites: n, clients: m, cost, openingCost: Array.from({ length: n }, (_, i) => 20 + 3 * i) });
    for (const method of ['greedy', 'local-search', 'branch-and-bound'] as const) {
      const r = await solveUfl(model, { method });
      expect(browser[method]).toBe(r.objective);
      expect(browser[`${method}:status`]).toBe(r.status);
    }
    expect(browser['branch-and-bound:status']).toBe('optimal');
  });

  it('bundles @emplace/spectral + graph + core for the browser and gets the same answers as Node', async () => {
    const esbuild = loadEsbuild();
    expect(esbuild, 'esbuild not found under node_modules/.pnpm').toBeDefined();
    const bundle = await esbuild!.build({
      stdin: { contents: browserBundleEntry(), resolveDir: join(root, 'packages', 'emplace'), loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['source'],
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]!.text;
    expect(js).not.toMatch(/from\s*["']node:/);
    const browser = runInChromium(js);
    expect(browser['error']).toBeUndefined();
    // The same computation in Node.
    const node = new Function('createGraph', 'fiedler', 'minimumSpanningTree', `${BODY}\nreturn result;`)(createGraph, fiedler, minimumSpanningTree) as Record<string, number | boolean>;
    expect(browser['connected']).toBe(true);
    expect(browser['mstEdges']).toBe(node['mstEdges']);
    expect(browser['mstWeight']).toBe(node['mstWeight']);
    expect(browser['lambda2'] as number).toBeCloseTo(node['lambda2'] as number, 9);
  });
});
