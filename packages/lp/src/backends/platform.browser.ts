import { BackendError } from '@emplace/core';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { highsConfig, HIGHS_VERSION, type HighsLocation } from './highs-config.js';
import type { HighsLoad, HighsReply, HighsRequest, HighsWorkerEndpoint, HighsWorkerPort } from './highs-protocol.js';
import { highsFactoryOf } from './highs-factory.js';

/*
 * The browser side of platform.ts (selected by package.json "browser"): HiGHS is loaded
 * from a URL (default: the jsDelivr copy of the `highs` version this package depends on;
 * set your own with `configureHighs`), GLPK is not available, javascript-lp-solver runs
 * in-thread.
 */


export async function loadHighsRuntime(where: HighsLocation = highsConfig()): Promise<unknown> {
  const { moduleUrl = `https://cdn.jsdelivr.net/npm/highs@${HIGHS_VERSION}/build/highs.mjs`, wasmUrl } = where;
  const mod: { default: unknown } = await import(/* @vite-ignore */ /* webpackIgnore: true */ moduleUrl);
  const factory = highsFactoryOf(mod.default);
  const wasm = wasmUrl ?? new URL('highs.wasm', new URL(moduleUrl, globalThis.location?.href)).href;
  return factory({ locateFile: () => wasm });
}

export async function importGlpk(): Promise<never> {
  throw new BackendError('glpk', 'runs in Node only; in a browser use highs (the default) or jslp');
}

export async function nodeWorkerApi(): Promise<{ Worker: typeof NodeWorker; path: string } | undefined> {
  return undefined;
}

/** The global scope of a dedicated worker, as far as this file uses it. */
interface WorkerScope {
  postMessage(message: HighsReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', handler: (e: MessageEvent<HighsLoad | HighsRequest>) => void): void;
}

declare const WorkerGlobalScope: (abstract new () => unknown) | undefined;

/** True inside a Web Worker (a pool worker, say), where blocking the thread blocks no page. */
export async function inWorkerThread(): Promise<boolean> {
  return typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
}

/** Starts one HiGHS module Web Worker (bundlers see the `new URL(..., import.meta.url)` pattern). */
export async function spawnHighsWorker(): Promise<HighsWorkerEndpoint> {
  if (typeof Worker === 'undefined') throw new BackendError('highs', 'Web Workers are not available here');
  const w = new Worker(new URL('./highs-worker.js', import.meta.url), { type: 'module' });
  let terminating = false;
  return {
    post: (request, transfer) => w.postMessage(request, transfer ?? []),
    onMessage: (h) => w.addEventListener('message', (e: MessageEvent<HighsReply>) => h(e.data)),
    onExit: (h) => w.addEventListener('error', (e: ErrorEvent) => !terminating && h(`HiGHS worker error: ${e.message}`)),
    terminate: () => {
      terminating = true;
      w.terminate();
    },
    ref: () => {},
    unref: () => {},
  };
}

/** The HiGHS worker's side of the channel (inside the Web Worker). */
export async function highsWorkerPort(): Promise<HighsWorkerPort> {
  const scope = globalThis as typeof globalThis & WorkerScope;
  return {
    post: (reply, transfer) => scope.postMessage(reply, transfer ?? []),
    listen: (h) => scope.addEventListener('message', (e) => h(e.data)),
  };
}
