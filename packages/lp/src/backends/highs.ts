import { BackendError } from '@emplace/core';
import type { Highs } from 'highs';
import { now, type Backend, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import type { BackendCapabilities } from '../types.js';
import { onHighsConfigChange } from './highs-config.js';
import { hasIdleHighsWorker, HighsWorkerStartError, solveInWorker } from './highs-offload.js';
import { runHighs } from './highs-run.js';
import { errorMessage as message, runtimeCache } from './runtime-cache.js';
import { inWorkerThread, loadHighsRuntime } from './platform.js';

/*
 * HiGHS through highs-js's persistent model API, in the caller's thread or in a HiGHS
 * worker (highs-offload.ts), chosen per solve by `offload` (see `runsInWorker`). In-thread,
 * the wasm runtime is loaded once and shared; every solve builds one native model from
 * CSR arrays, runs it synchronously and disposes it (garbage collection never frees wasm
 * memory). If anything throws inside the runtime (a wasm trap, an abort, a wrapper
 * error), the runtime is dropped and re-created on the next solve, and the failure
 * surfaces as BackendError; a worker whose runtime failed is terminated and replaced.
 */

type Loader = () => Promise<Highs>;

// Loaded on first use, so importing @emplace/lp costs nothing until a HiGHS solve; where
// from (the `highs` package in Node, a URL in browsers) is platform.ts's business.
const loadHighs: Loader = async () => (await loadHighsRuntime()) as Highs;

let loader: Loader = () => loadHighs();
let customLoader = false;
const runtime = runtimeCache<Highs>(() => loader());

/** Drops the shared in-thread HiGHS runtime; the next solve loads a fresh one. */
export function resetHighsRuntime(): void {
  runtime.reset();
}
onHighsConfigChange(resetHighsRuntime);

/** Test hook: replaces the runtime loader (pass undefined to restore the real one); solves then run in-thread. */
export function setHighsLoaderForTesting(custom: Loader | undefined): void {
  loader = custom ?? (() => loadHighs());
  customLoader = custom !== undefined;
  runtime.reset();
}

/**
 * Below this many nonzeros an LP may run in the caller's thread under `offload: 'auto'`:
 * HiGHS's simplex finishes such LPs in a few ms, less than starting a worker costs.
 * MIPs always go to the worker there (even tiny ones can branch for seconds).
 */
export const SMALL_LP_NONZEROS = 5000;

let workerThread: Promise<boolean> | undefined;
/** Set when a HiGHS worker could not start here: `auto` stops trying (and says so once per solve). */
let workerUnavailable: string | undefined;

/** Whether this solve runs in a HiGHS worker (see LpOptions.offload). */
async function runsInWorker(m: CompiledModel, options: ResolvedOptions): Promise<boolean> {
  if (options.offload === 'thread' || customLoader) return false;
  if (options.offload === 'worker') return true;
  // In a worker already (a pool worker): blocking this thread blocks no host, and the
  // pool's shared-memory flag interrupts HiGHS from its callbacks.
  workerThread ??= inWorkerThread().catch(() => false);
  if ((await workerThread) || workerUnavailable !== undefined) return false;
  // A small LP goes to an idle worker too (a round trip is ~0.1 ms): one HiGHS runtime in
  // the process instead of two (each keeps its wasm memory, ~20 MB and growing with
  // the largest model it saw). In-thread only when no worker is idle (none started, or
  // all busy), rather than wait ~0.4 s for a new one.
  return m.isMip || m.rowIndex.length >= SMALL_LP_NONZEROS || hasIdleHighsWorker();
}

export const highsCapabilities: BackendCapabilities = {
  name: 'highs',
  bound: true,
  timeLimit: 'native',
  abort: 'during',
  warmStart: true,
  duals: true,
  progress: true,
  notes:
    'HiGHS (WebAssembly, single-threaded). mip_rel_gap is set from mipRelGap (default 1e-9; HiGHS itself defaults to 1e-4). ' +
    'The time limit is HiGHS time_limit plus an interrupt callback at the deadline. On the main thread MIPs, larger LPs, and small LPs when a worker is idle run in a HiGHS worker ' +
    '(offload: auto), which is terminated on abort, so an abort returns within a few ms with the last improved solution; in-thread ' +
    '(offload: thread, or inside a worker) the AbortSignal is polled from the simplex, IPM and MIP interrupt callbacks, so it takes effect at the next ' +
    'solver checkpoint, and the JavaScript event loop is blocked while HiGHS runs.',
};

/** In the caller's thread: the shared runtime, dropped when anything inside it throws. */
async function solveInThread(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
  let highs: Highs | 'aborted' | 'time-limit';
  try {
    highs = await runtimeUnlessStopped(options);
  } catch (err) {
    throw new BackendError('highs', `could not load the WebAssembly runtime: ${message(err)}`, { cause: err });
  }
  if (highs === 'aborted' || highs === 'time-limit') return { status: 'no-solution', stoppedBy: highs };
  const { signal } = options;
  if (signal?.aborted) return { status: 'no-solution', stoppedBy: 'aborted' };
  let userError: { error: unknown } | undefined;
  const { onProgress } = options;
  try {
    const outcome = runHighs(highs, m, {
      deadline: options.deadline,
      aborted: () => signal?.aborted === true,
      abortable: signal !== undefined,
      mipRelGap: options.mipRelGap,
      warmStart: options.warmStart,
      highsOptions: options.highsOptions,
      progressIntervalMs: options.progressIntervalMs,
      startedAt: options.startedAt,
      onProgress:
        onProgress === undefined
          ? undefined
          : (e) => {
              try {
                onProgress(e);
              } catch (error) {
                userError = { error };
                throw error;
              }
            },
      onIncumbent: undefined,
    });
    return { ...outcome, ranIn: 'thread' };
  } catch (err) {
    if (userError !== undefined && err === userError.error) throw err;
    if (err instanceof BackendError) throw err;
    // Anything thrown from inside the runtime may have left it corrupted: drop it.
    resetHighsRuntime();
    throw new BackendError('highs', `solver crashed: ${message(err)} (the runtime will be re-created on the next solve)`, { cause: err });
  }
}

/**
 * The shared in-thread runtime, or the reason to stop when the signal aborts or the deadline
 * passes while it loads (the first load reads and compiles HiGHS: ~0.4 s, more on a busy
 * machine). Issue 13: the CLI on Ctrl-C during a Steiner solve whose first small LP was
 * loading the runtime printed its answer only when the load had finished, 490 ms after the
 * signal. The load goes on and serves later solves.
 */
function runtimeUnlessStopped(options: ResolvedOptions): Promise<Highs | 'aborted' | 'time-limit'> {
  const { signal, deadline } = options;
  if (signal?.aborted) return Promise.resolve('aborted');
  const loading = runtime.get();
  if (signal === undefined && deadline === Infinity) return loading;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
    const onAbort = (): void => {
      settle();
      resolve('aborted');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== Infinity) {
      timer = setTimeout(() => {
        settle();
        resolve('time-limit');
      }, Math.max(0, deadline - now()));
    }
    loading.then(
      (highs) => {
        settle();
        resolve(highs);
      },
      (err: unknown) => {
        settle();
        reject(err);
      },
    );
  });
}

export const highsBackend: Backend = {
  name: 'highs',
  capabilities: highsCapabilities,
  async solve(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
    if (!(await runsInWorker(m, options))) {
      const out = await solveInThread(m, options);
      if (workerUnavailable !== undefined && options.offload === 'auto') out.warnings = [...(out.warnings ?? []), `HiGHS ran in the caller's thread: ${workerUnavailable}`];
      return out;
    }
    try {
      const out = await solveInWorker(m, options);
      // A worker exists now and takes the small LPs: the in-thread runtime's memory goes
      // (the next in-thread solve, if any, loads it again).
      if (options.offload === 'auto') resetHighsRuntime();
      return out;
    } catch (err) {
      if (!(err instanceof HighsWorkerStartError) || options.offload !== 'auto') throw err;
      workerUnavailable = err.message;
      return highsBackend.solve(m, options);
    }
  },
};
