import type { Worker as NodeWorker } from 'node:worker_threads';
import { highsConfig, type HighsLocation } from './highs-config.js';
import { highsFactoryOf } from './highs-factory.js';
import type { HighsReply, HighsWorkerEndpoint, HighsWorkerPort } from './highs-protocol.js';

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
 * Running from the TypeScript sources (tests, benchmarks under tsx): a worker does not
 * inherit the parent's loader, so a tiny ESM bootstrap registers tsx in the worker
 * thread and then imports the .ts worker. Built code (dist/) needs none of this.
 */
async function sourceBootstrap(url: URL): Promise<URL> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const api = createRequire(url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(pathToFileURL(api).href)}; register(); await import(${JSON.stringify(url.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts one HiGHS worker thread (highs-worker.ts next to this file). */
export async function spawnHighsWorker(): Promise<HighsWorkerEndpoint> {
  const { Worker } = await import('node:worker_threads');
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './highs-worker.ts' : './highs-worker.js', import.meta.url);
  // The worker's JavaScript is small (messages; models are typed arrays outside the heap):
  // a small young generation keeps its resident memory flat over thousands of solves.
  const resourceLimits = { maxYoungGenerationSizeMb: 4 };
  const w = new Worker(fromSource ? await sourceBootstrap(url) : url, fromSource ? { execArgv: ['--conditions=source'], resourceLimits } : { resourceLimits });
  let terminating = false;
  return {
    post: (request, transfer) => w.postMessage(request, transfer ?? []),
    onMessage: (h) => void w.on('message', (m: HighsReply) => h(m)),
    onExit: (h) => {
      w.on('error', (e: Error) => !terminating && h(`HiGHS worker error: ${e.message}`));
      w.on('exit', (code: number) => !terminating && h(`HiGHS worker exited with code ${code}`));
    },
    terminate: () => {
      terminating = true;
      void w.terminate();
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

/** The HiGHS worker's side of the channel (inside the worker thread). */
export async function highsWorkerPort(): Promise<HighsWorkerPort> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('@emplace/lp HiGHS worker: not running in a worker thread');
  return {
    post: (reply, transfer) => parentPort.postMessage(reply, transfer ?? []),
    listen: (h) => void parentPort.on('message', h),
  };
}
