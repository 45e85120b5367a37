import type { Worker as NodeWorker } from 'node:worker_threads';
import { nodeWorkerApi } from './platform.js';

/*
 * javascript-lp-solver runs synchronously and can cycle forever inside one simplex
 * (observed: phase 1 on small market-split models never returns, whatever its `timeout`).
 * Under Node it therefore runs in a worker thread that is terminated at the deadline or
 * on abort, so a hung solve costs a thread, never the caller. Idle workers are kept
 * (unref'd, so they never hold the process open) to avoid a start-up per solve. Where
 * worker threads are unavailable (browsers) it runs in-thread.
 */

export type JslpConstraint = { min?: number; max?: number; equal?: number };

export interface JslpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, JslpConstraint>;
  variables: Record<string, Record<string, number>>;
  ints?: Record<string, 1>;
  timeout?: number;
  options?: { tolerance?: number; timeout?: number };
}

export interface JslpResult {
  feasible: boolean;
  bounded?: boolean;
  result: number;
  [variable: string]: number | boolean | undefined;
}

interface JslpSolver {
  Solve(model: JslpModel): unknown;
}

export type IsolatedRun =
  | { kind: 'done'; result: JslpResult }
  | { kind: 'error'; message: string }
  | { kind: 'killed'; reason: 'time-limit' | 'aborted' };

// Loaded on first in-thread use. The package's typings declare `export default` on a
// CommonJS entry; accept either shape.
function isSolver(v: unknown): v is JslpSolver {
  return typeof v === 'object' && v !== null && 'Solve' in v && typeof v.Solve === 'function';
}

async function loadSolver(): Promise<JslpSolver> {
  const mod: { default: unknown } = await import('javascript-lp-solver');
  const entry = mod.default;
  if (isSolver(entry)) return entry;
  if (typeof entry === 'object' && entry !== null && 'default' in entry && isSolver(entry.default)) return entry.default;
  throw new Error('javascript-lp-solver exports no Solve function');
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const mod = require(workerData.path);
const solver = typeof mod.Solve === 'function' ? mod : mod.default;
parentPort.on('message', (model) => {
  let reply;
  try {
    const r = solver.Solve(model);
    const result = {};
    for (const k of Object.keys(r)) if (typeof r[k] === 'number' || typeof r[k] === 'boolean') result[k] = r[k];
    reply = { ok: true, result };
  } catch (e) {
    reply = { ok: false, error: String((e && e.message) || e) };
  }
  parentPort.postMessage(reply);
});
`;

interface NodeApi {
  Worker: typeof NodeWorker;
  path: string;
}

let nodeApi: Promise<NodeApi | undefined> | undefined;
const idle: NodeWorker[] = [];
const MAX_IDLE = 2;

/** Test hook: `false` makes solves run in-thread, as in a browser; `true` restores workers. */
export function setWorkerThreadsForTesting(enabled: boolean): void {
  nodeApi = enabled ? undefined : Promise.resolve(undefined);
}

function loadNodeApi(): Promise<NodeApi | undefined> {
  nodeApi ??= (async () => {
    try {
      return await nodeWorkerApi();
    } catch {
      return undefined;
    }
  })();
  return nodeApi;
}

async function runInThread(model: JslpModel): Promise<IsolatedRun> {
  try {
    const solver = await loadSolver();
    return { kind: 'done', result: solver.Solve(model) as JslpResult };
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Solves in a worker that is killed at `killAt` (a `performance.now()` time; Infinity for
 * never) or when `signal` aborts.
 */
export async function runIsolated(model: JslpModel, killAt: number, signal: AbortSignal | undefined): Promise<IsolatedRun> {
  const api = await loadNodeApi();
  if (api === undefined) return runInThread(model);
  if (signal?.aborted) return { kind: 'killed', reason: 'aborted' };
  const worker = idle.pop() ?? new api.Worker(WORKER_SOURCE, { eval: true, workerData: { path: api.path } });
  worker.ref();
  return new Promise<IsolatedRun>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (run: IsolatedRun, reusable: boolean): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else {
        void worker.terminate();
      }
      resolve(run);
    };
    const onMessage = (msg: { ok: boolean; result?: JslpResult; error?: string }): void => {
      finish(msg.ok ? { kind: 'done', result: msg.result! } : { kind: 'error', message: msg.error ?? 'unknown error' }, true);
    };
    const onError = (err: unknown): void => finish({ kind: 'error', message: err instanceof Error ? err.message : String(err) }, false);
    const onExit = (code: number): void => finish({ kind: 'error', message: `worker exited with code ${code}` }, false);
    const onAbort = (): void => finish({ kind: 'killed', reason: 'aborted' }, false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (killAt !== Infinity) {
      timer = setTimeout(() => finish({ kind: 'killed', reason: 'time-limit' }, false), Math.max(0, killAt - performance.now()));
    }
    worker.postMessage(model);
  });
}
