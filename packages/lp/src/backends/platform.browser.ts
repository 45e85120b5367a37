import { BackendError } from '@emplace/core';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { highsConfig, HIGHS_VERSION } from './highs-config.js';
import type { HighsFactory } from './platform.js';

/*
 * The browser side of platform.ts (selected by package.json "browser"): HiGHS is loaded
 * from a URL (default: the jsDelivr copy of the `highs` version this package depends on;
 * set your own with `configureHighs`), GLPK is not available, javascript-lp-solver runs
 * in-thread.
 */

export type { HighsFactory };

export async function loadHighsRuntime(): Promise<unknown> {
  const { moduleUrl = `https://cdn.jsdelivr.net/npm/highs@${HIGHS_VERSION}/build/highs.mjs`, wasmUrl } = highsConfig();
  const entry = (await import(/* @vite-ignore */ /* webpackIgnore: true */ moduleUrl)).default as HighsFactory | { default: HighsFactory };
  const factory = typeof entry === 'function' ? entry : entry.default;
  const wasm = wasmUrl ?? new URL('highs.wasm', new URL(moduleUrl, globalThis.location?.href)).href;
  return factory({ locateFile: () => wasm });
}

export async function importGlpk(): Promise<never> {
  throw new BackendError('glpk', 'runs in Node only; in a browser use highs (the default) or jslp');
}

export async function nodeWorkerApi(): Promise<{ Worker: typeof NodeWorker; path: string } | undefined> {
  return undefined;
}
