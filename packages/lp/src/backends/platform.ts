import type { Worker as NodeWorker } from 'node:worker_threads';
import { highsConfig } from './highs-config.js';

/*
 * Everything of @emplace/lp that needs Node or a bundler-unfriendly module, in one file.
 * Browsers get platform.browser.ts instead (package.json "browser" field): HiGHS from a
 * URL, no GLPK, javascript-lp-solver in-thread. So a browser bundle of @emplace/lp never
 * reaches node:* (nor highs.mjs, whose Node branch imports node:module).
 */

export interface HighsFactory {
  (settings?: { locateFile?: (file: string) => string }): Promise<unknown>;
}

/**
 * Loads the HiGHS runtime: the installed `highs` package, or the module and wasm at the URLs
 * given to `configureHighs`. highs ships CommonJS typings with `export default`, which
 * TypeScript (NodeNext) reads as `module.exports.default`, while Node's ESM entry exports
 * the loader itself as default: accept either shape.
 */
export async function loadHighsRuntime(): Promise<unknown> {
  const { moduleUrl, wasmUrl } = highsConfig();
  const entry = (moduleUrl !== undefined ? await import(/* @vite-ignore */ /* webpackIgnore: true */ moduleUrl) : await import('highs')).default as unknown as
    | HighsFactory
    | { default: HighsFactory };
  const factory = typeof entry === 'function' ? entry : entry.default;
  return factory(wasmUrl !== undefined ? { locateFile: () => wasmUrl } : undefined);
}

/** glpk.js's Node entry (synchronous). */
export async function importGlpk(): Promise<typeof import('glpk.js/node')> {
  return import('glpk.js/node');
}

/** Worker threads and the path of javascript-lp-solver, to run it in a killable thread. */
export async function nodeWorkerApi(): Promise<{ Worker: typeof NodeWorker; path: string } | undefined> {
  if (typeof process === 'undefined' || process.versions?.node === undefined) return undefined;
  const [{ Worker }, { createRequire }] = await Promise.all([import('node:worker_threads'), import('node:module')]);
  return { Worker, path: createRequire(import.meta.url).resolve('javascript-lp-solver') };
}
