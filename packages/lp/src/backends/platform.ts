import type { Worker as NodeWorker } from 'node:worker_threads';
import { highsConfig, type HighsLocation } from './highs-config.js';
import { highsFactoryOf } from './highs-factory.js';
import { highsChildPort, spawnHighsChild } from './highs-child.js';
import { highsThreadPort, spawnHighsThread } from './highs-thread.js';
import type { HighsWorkerEndpoint, HighsWorkerPort } from './highs-protocol.js';

/*
 * Everything of @emplace/lp that needs Node or a bundler-unfriendly module, in one file.
 * Browsers get platform.browser.ts instead (package.json "browser" field): HiGHS from a
 * URL, no GLPK, javascript-lp-solver in-thread. So a browser bundle of @emplace/lp never
 * reaches node:* (nor highs.mjs, whose Node branch imports node:module).
 */

/**
 * Loads the HiGHS runtime: the installed `highs` package, or the module and wasm at the URLs
 * given to `configureHighs` (or `where`).
 */
export async function loadHighsRuntime(where: HighsLocation = highsConfig()): Promise<unknown> {
  const { moduleUrl, wasmUrl } = where;
  const mod: { default: unknown } = moduleUrl !== undefined ? await import(/* @vite-ignore */ /* webpackIgnore: true */ moduleUrl) : await import('highs');
  const factory = highsFactoryOf(mod.default);
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

/** True inside a worker thread (a pool worker, say), where blocking the thread blocks no host. */
export async function inWorkerThread(): Promise<boolean> {
  const { isMainThread } = await import('node:worker_threads');
  return !isMainThread;
}

/**
 * Where Node runs HiGHS workers: `thread` (default) or `process`, from the environment
 * variable EMPLACE_HIGHS_WORKER, read at each start. highs-thread.ts says why threads are
 * the default and when a process is worth its fork (the CLI, which exits right after Ctrl-C).
 */
export function highsWorkerKind(): 'thread' | 'process' {
  const v = typeof process === 'undefined' ? undefined : process.env['EMPLACE_HIGHS_WORKER'];
  if (v === undefined || v === '' || v === 'thread') return 'thread';
  if (v === 'process') return 'process';
  throw new Error(`EMPLACE_HIGHS_WORKER must be "thread" or "process", got "${v}"`);
}

/** Starts one HiGHS worker: a worker thread, or a child process (highsWorkerKind). */
export async function spawnHighsWorker(): Promise<HighsWorkerEndpoint> {
  return highsWorkerKind() === 'process' ? spawnHighsChild() : spawnHighsThread();
}

/** The HiGHS worker's side of the channel: a child process has an IPC channel, a thread its parent port. */
export async function highsWorkerPort(): Promise<HighsWorkerPort> {
  return typeof process.send === 'function' && !(await inWorkerThread()) ? highsChildPort() : highsThreadPort();
}
