import { BackendError, yieldToEventLoop } from '@emplace/core';
import { now, type BackendOutcome, type ResolvedOptions } from '../backend.js';
import type { CompiledModel } from '../linear-model.js';
import { highsConfig } from './highs-config.js';
import type { HighsReply, HighsRequest, HighsWorkerEndpoint } from './highs-protocol.js';
import { spawnHighsWorker } from './platform.js';
import { zeroedArray } from '../zeroed-array.js';

/*
 * HiGHS off the caller's thread. A HiGHS call cannot be interrupted from the thread that
 * runs it (the wasm call holds it, so a timer-fired AbortSignal is never seen), so on
 * the caller's main thread the solve runs in a worker (Node: a child process, highs-child.ts;
 * browsers: a Web Worker) that keeps HiGHS loaded between
 * calls. The worker honours the time limit inside HiGHS; on abort it is terminated at
 * once (a new one is started for the next call), and the caller gets the last improved
 * solution the worker reported. A worker whose runtime failed drops that runtime and
 * loads a fresh one for its next solve (the worker is kept).
 */

/** Idle workers kept (HiGHS loaded) for the next calls; unref'd, so they never hold a process open. */
const MAX_IDLE = 2;
/**
 * How long after its deadline a solve may still answer before its worker is terminated
 * (HiGHS's time_limit and the interrupt at the deadline normally stop it well before).
 */
const DEADLINE_GRACE_MS = 50;
/** How long a worker past its deadline may take to finish before it is terminated instead of kept. */
const DRAIN_MS = 2000;

/** A HiGHS worker with its listeners installed once; `flight` receives what concerns the solve it runs. */
interface PooledWorker {
  endpoint: HighsWorkerEndpoint;
  onReply: ((reply: HighsReply) => void) | undefined;
  onExit: ((reason: string) => void) | undefined;
}

const idle: PooledWorker[] = [];
let nextId = 1;

/** The HiGHS worker itself could not start (no Worker, a script the bundler did not emit): `offload: 'auto'` then runs in-thread. */
export class HighsWorkerStartError extends BackendError {}

type ModelArray = Float64Array | Int32Array | Uint8Array;

/**
 * The model's arrays copied 128 kB at a time, with a turn of the event loop every ~4 ms,
 * to be moved (not cloned) with the request: a structured clone copies synchronously,
 * 3-10 ms per MB on the caller's event loop. The caller's arrays stay (the answer's
 * objective and violation are computed from them); names stay behind. With `stopped`, the
 * copy gives up at the first turn where it returns true (undefined then): under load one
 * turn of the event loop can take several ms, and a 25 MB model is ~200 slices, so a copy
 * finished before looking at the signal answered an abort after up to a second (issue 13).
 */
export async function copyForWorker(m: CompiledModel, stopped: () => boolean = () => false): Promise<{ model: CompiledModel; transfer: ArrayBuffer[] } | undefined> {
  const transfer: ArrayBuffer[] = [];
  let slice = performance.now();
  let gaveUp = false;
  async function copy(src: Float64Array): Promise<Float64Array>;
  async function copy(src: Int32Array): Promise<Int32Array>;
  async function copy(src: Uint8Array): Promise<Uint8Array>;
  async function copy(src: ModelArray): Promise<ModelArray> {
    const n = src.length;
    // zeroedArray: the pages are touched by the slices below, not by the allocation (and its buffer moves with the request, no copy).
    const out = src instanceof Float64Array ? zeroedArray(Float64Array, n) : src instanceof Int32Array ? zeroedArray(Int32Array, n) : zeroedArray(Uint8Array, n);
    const per = (1 << 17) / src.BYTES_PER_ELEMENT;
    for (let at = 0; at < n && !gaveUp; at += per) {
      out.set(src.subarray(at, at + per), at);
      if (performance.now() - slice >= 4) {
        await yieldToEventLoop();
        slice = performance.now();
        gaveUp = stopped();
      }
    }
    transfer.push(out.buffer);
    return out;
  }
  const model: CompiledModel = {
    ...m,
    colLower: await copy(m.colLower),
    colUpper: await copy(m.colUpper),
    colCost: await copy(m.colCost),
    colType: await copy(m.colType),
    rowLower: await copy(m.rowLower),
    rowUpper: await copy(m.rowUpper),
    rowStart: await copy(m.rowStart),
    rowIndex: await copy(m.rowIndex),
    rowValue: await copy(m.rowValue),
    colNames: [],
    rowNames: [],
  };
  return gaveUp ? undefined : { model, transfer };
}

/** Starts a worker and waits until it has HiGHS loaded (the load is the slow part of a start, ~0.4 s). */
/** Workers started in this process (tests: when a replacement starts). */
let started = 0;

export function highsWorkersStarted(): number {
  return started;
}

async function startWorker(): Promise<PooledWorker> {
  started++;
  let endpoint: HighsWorkerEndpoint;
  try {
    endpoint = await spawnHighsWorker();
  } catch (err) {
    throw new HighsWorkerStartError('highs', `could not start a HiGHS worker: ${err instanceof Error ? err.message : String(err)}`);
  }
  const w: PooledWorker = { endpoint, onReply: undefined, onExit: undefined };
  endpoint.onMessage((reply) => w.onReply?.(reply));
  endpoint.onExit((reason) => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    w.onExit?.(reason);
  });
  await new Promise<void>((resolve, reject) => {
    w.onReply = (reply) => {
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'error') reject(new BackendError('highs', `could not load the WebAssembly runtime: ${reply.message}`));
    };
    w.onExit = (reason) => reject(new HighsWorkerStartError('highs', `could not start a HiGHS worker: ${reason}`));
    endpoint.post({ type: 'load', location: highsConfig() });
  }).catch((err: unknown) => {
    endpoint.terminate();
    throw err;
  });
  w.onReply = undefined;
  w.onExit = undefined;
  return w;
}

/** Solves waiting for a draining worker (cheaper than starting one), and how many workers drain. */
const waiters: ((w: PooledWorker | undefined) => void)[] = [];
let draining = 0;

/** Returns a worker to a waiting solve, else to the idle list (or terminates it when the list is full). */
function release(w: PooledWorker): void {
  w.onReply = undefined;
  w.onExit = undefined;
  const waiter = waiters.shift();
  if (waiter !== undefined) {
    waiter(w);
    return;
  }
  if (idle.length < MAX_IDLE) {
    w.endpoint.unref();
    idle.push(w);
  } else w.endpoint.terminate();
}

/**
 * An idle worker, or a new one; the reason instead when the signal aborts or the deadline
 * passes first (a worker still starting, or a draining one, is kept for later). Without the
 * deadline a solve could wait ~0.4 s for HiGHS to load in a new worker, or up to DRAIN_MS for
 * a worker still finishing an overrun solve, after its own time limit had passed.
 */
async function acquire(signal: AbortSignal | undefined, deadline: number): Promise<PooledWorker | 'aborted' | 'time-limit'> {
  const ready = idle.pop();
  if (ready !== undefined) return ready;
  if (signal?.aborted) return 'aborted';
  if (deadline !== Infinity && now() >= deadline) return 'time-limit';
  const starting = draining > waiters.length ? nextReleased() : startWorker();
  if (signal === undefined && deadline === Infinity) return starting;
  return new Promise<PooledWorker | 'aborted' | 'time-limit'>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = (reason: 'aborted' | 'time-limit'): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      starting.then(release, () => {});
      resolve(reason);
    };
    const onAbort = (): void => giveUp('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== Infinity) timer = setTimeout(() => giveUp('time-limit'), Math.max(0, deadline - now()));
    starting.then(
      (w) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(w);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Whether a HiGHS worker is idle with HiGHS loaded (a small LP then goes to it: see highs.ts runsInWorker). */
export function hasIdleHighsWorker(): boolean {
  return idle.length > 0;
}

/** Terminates the idle HiGHS workers (tests, or a host that wants its processes/threads back). */
export function closeHighsWorkers(): void {
  for (const w of idle.splice(0)) w.endpoint.terminate();
}

/**
 * Starts a HiGHS worker now (loading HiGHS takes ~0.4 s), so that the first offloaded
 * solve does not spend its time limit on it. Optional: solves start one when needed.
 */
export async function warmHighsWorker(): Promise<void> {
  if (idle.length === 0) release(await startWorker());
}

/** One solve on its own worker: how it settles, and what it has heard so far. */
interface Flight {
  worker: PooledWorker;
  request: HighsRequest;
  /** The request's model buffers, moved with it. */
  transfer: ArrayBuffer[];
  options: ResolvedOptions;
  /** The last improved solution the worker posted (MIP). */
  incumbent: Float64Array | undefined;
  settle: (result: Settled) => void;
}

/**
 * How a solve ended, and what becomes of its worker: `release` (idle, HiGHS loaded),
 * `drain` (past its deadline: the caller has its answer, the worker is kept if it
 * finishes within DRAIN_MS), `terminate` (aborted: stopped at once, replaced in the background).
 */
type Settled = { outcome: BackendOutcome; after: 'release' | 'drain' | 'terminate' } | { error: unknown; keepWorker?: boolean };

/** Solves `m` with HiGHS in a worker; resolves within a few ms of an abort. */
export async function solveInWorker(m: CompiledModel, options: ResolvedOptions): Promise<BackendOutcome> {
  const worker = await acquire(options.signal, options.deadline);
  if (worker === 'aborted' || worker === 'time-limit') return { status: 'no-solution', stoppedBy: worker, ranIn: 'worker' };
  // Copied off the caller's event loop a slice at a time (a clone would block it), then moved;
  // an endpoint that serializes what it posts (a Node worker process) sends the model as is.
  const copied = worker.endpoint.serializes === true ? { model: { ...m, colNames: [], rowNames: [] }, transfer: [] } : await copyForWorker(m, () => options.signal?.aborted === true);
  if (copied === undefined || options.signal?.aborted) {
    release(worker);
    return { status: 'no-solution', stoppedBy: 'aborted', ranIn: 'worker' };
  }
  const { model, transfer } = copied;
  worker.endpoint.ref();
  const remaining = options.deadline === Infinity ? Infinity : Math.max(1, options.deadline - now());
  const request: HighsRequest = {
    type: 'solve',
    id: nextId++,
    model,
    remainingMs: remaining,
    mipRelGap: options.mipRelGap,
    warmStart: options.warmStart,
    highsOptions: options.highsOptions,
    progressIntervalMs: options.progressIntervalMs,
    wantsProgress: options.onProgress !== undefined,
    location: highsConfig(),
  };
  // The warm start is solveLp's own copy (one value per column, 40 MB at 5M columns): moved, not cloned.
  if (options.warmStart !== undefined) transfer.push(options.warmStart.buffer as ArrayBuffer);
  const settled = await new Promise<Settled>((resolve) => {
    const flight: Flight = { worker, request, transfer, options, incumbent: undefined, settle: resolve };
    fly(flight);
  });
  if ('error' in settled) {
    // A worker that answered with an error is alive and has dropped a failed runtime
    // itself: kept (a new worker costs a start and a HiGHS load, ~0.4 s). Any other
    // failure: terminated.
    if (settled.keepWorker === true) release(worker);
    else worker.endpoint.terminate();
    throw settled.error;
  }
  if (settled.after === 'release') release(worker);
  else if (settled.after === 'drain') drain(worker, request.id);
  else {
    worker.endpoint.terminate();
    replaceLater();
  }
  return settled.outcome;
}

/** Wires the worker's replies, the abort signal and the deadline backstop to one settlement. */
function fly(f: Flight): void {
  const { worker, request, options } = f;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = (result: Settled): void => {
    if (done) return;
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    f.settle(result);
  };
  // Stopped from here: the caller gets the worker's last improved solution.
  const stopped = (stoppedBy: 'aborted' | 'time-limit'): void => {
    const x = f.incumbent;
    const outcome: BackendOutcome = x !== undefined ? { status: 'feasible', x, stoppedBy, ranIn: 'worker' } : { status: 'no-solution', stoppedBy, ranIn: 'worker' };
    finish({ outcome, after: stoppedBy === 'aborted' ? 'terminate' : 'drain' });
  };
  const onAbort = (): void => stopped('aborted');
  worker.onReply = (reply) => {
    if (!done && reply.id === request.id) handleReply(f, reply, finish);
  };
  worker.onExit = (reason) => finish({ error: new BackendError('highs', `${reason} (a new worker is started for the next solve)`) });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (request.remainingMs !== Infinity) timer = setTimeout(() => stopped('time-limit'), request.remainingMs + DEADLINE_GRACE_MS);
  if (options.signal?.aborted) {
    onAbort();
    return;
  }
  worker.endpoint.post(request, f.transfer);
}

/** The next worker a drain gives back (a new one if that drain fails). */
function nextReleased(): Promise<PooledWorker> {
  return new Promise<PooledWorker | undefined>((resolve) => waiters.push(resolve)).then((w) => w ?? startWorker());
}

/** Keeps a worker that overran its deadline if it finishes soon; terminates it otherwise. */
function drain(w: PooledWorker, id: number): void {
  draining++;
  w.endpoint.unref();
  let ended = false;
  const end = (keep: boolean): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    draining--;
    if (keep) {
      release(w);
      return;
    }
    w.endpoint.terminate();
    // A solve waiting for this worker starts its own.
    waiters.shift()?.(undefined);
  };
  const timer = setTimeout(() => end(false), DRAIN_MS);
  w.onExit = () => end(false);
  w.onReply = (reply) => {
    if (reply.id === id && (reply.type === 'done' || reply.type === 'error')) end(reply.type === 'done');
  };
}

let replacing = false;

/**
 * The replacement after an abort starts a moment later, on a timer that keeps no process
 * alive: a process that aborts in order to exit (the CLI on Ctrl-C) is gone before it starts
 * (with worker threads, compiling HiGHS for a worker started at once held such an exit for
 * 100-250 ms; a worker process costs an exiting host nothing, but starting one is wasted work).
 */
const REPLACE_DELAY_MS = 500;

function replaceLater(): void {
  const timer: { unref?: () => void } | number = setTimeout(replaceInBackground, REPLACE_DELAY_MS);
  if (typeof timer === 'object') timer.unref?.();
}

/** After a worker was terminated: start the next one now, so the next solve does not wait for HiGHS to load. */
function replaceInBackground(): void {
  if (replacing || idle.length > 0) return;
  replacing = true;
  startWorker().then(
    (w) => {
      replacing = false;
      release(w);
    },
    () => {
      replacing = false;
    },
  );
}

function handleReply(f: Flight, reply: HighsReply, finish: (r: Settled) => void): void {
  switch (reply.type) {
    case 'incumbent':
      f.incumbent = reply.x;
      return;
    case 'progress':
      try {
        f.options.onProgress?.(reply.event);
      } catch (error) {
        // The caller's own error stops the solve and surfaces as is.
        finish({ error });
      }
      return;
    case 'done':
      finish({ outcome: { ...reply.outcome, ranIn: 'worker' }, after: 'release' });
      return;
    case 'error': {
      const text =
        reply.kind === 'load'
          ? `could not load the WebAssembly runtime: ${reply.message}`
          : reply.kind === 'crashed'
            ? `solver crashed: ${reply.message} (the runtime will be re-created on the next solve)`
            : reply.message;
      finish({ error: new BackendError('highs', text), keepWorker: reply.kind !== 'load' });
    }
  }
}
