/**
 * Every package's main entry is browser-safe: bundled by esbuild for the browser with no
 * externals, nothing of Node (`node:*`, `module`) is reachable. Node-only pieces sit behind
 * Node-only entries (`@emplace/io/node`, `@emplace/pareto/parallel`) or behind the
 * package.json "browser" replacement map (@emplace/lp's platform module, @emplace/io's file
 * reading, @emplace/pool's worker_threads endpoint, @emplace/kube's Kubernetes client and
 * node:os, which only its Node controller uses). @emplace/cli is a command-line program: Node
 * only by nature.
 * (The browser demo test in examples/test runs the umbrella's plan() in Chromium.)
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Node-only packages: the CLI by nature. (Packages waiting for a browser entry would go in PENDING.) */
const NODE_ONLY = new Set(['@emplace/cli']);
const PENDING = new Set<string>();

/** Every file esbuild reads when it bundles `entry` (a path, or source text resolved from packages/emplace) for the browser. */
async function browserInputs(entry: string | { contents: string }): Promise<string[]> {
  const r = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: join(root, 'packages', 'emplace'), loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  return Object.keys(r.metafile.inputs);
}

/** The Node modules (`node:*`, `module`) an entry reaches when esbuild bundles it for the browser. */
async function nodeInputs(entry: string): Promise<string[]> {
  return (await browserInputs(entry)).filter((p) => p.startsWith('node:') || p === 'module');
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> } }))
  .filter(({ pkg }) => !NODE_ONLY.has(pkg.name));

describe('browser entries', () => {
  for (const { dir, pkg } of packages) {
    it.skipIf(PENDING.has(pkg.name))(`${pkg.name} bundles for the browser with no externals`, async () => {
      expect(await nodeInputs(join(root, 'packages', dir, 'src', 'index.ts'))).toEqual([]);
    });
  }

  it('@emplace/pool/worker (the Web Worker script) bundles for the browser too', async () => {
    expect(await nodeInputs(join(root, 'packages', 'pool', 'src', 'worker.ts'))).toEqual([]);
  });

  it('keeps HiGHS out of the bundle (loaded from a URL at run time) and GLPK Node-only', async () => {
    const inputs = await browserInputs({ contents: `export { lp } from '@emplace/emplace';` });
    expect(inputs.some((p) => p.includes('platform.browser.ts'))).toBe(true);
    expect(inputs.some((p) => /highs\/build\//.test(p) || p.includes('glpk.js/'))).toBe(false);
  });
});
