import { BackendError, EmplaceError, ModelError, type Result, type Sense, type SolveOptions, type StoppedBy } from '@emplace/core';
import { spawnWorker, type WorkerEndpoint } from './endpoint.js';
import { hostAnswer, type Heard } from './envelope.js';
import { reviveError } from './errors.js';
import type { WorkerMessage } from './protocol.js';
import { decodeNow, decodeReceived, decodingWorks, encodeForPost, postParts, type PackedList, type TransferMode } from './transfer.js';

/** The solver packages a worker imports (each registers its methods) unless told otherwise. */
export const DEFAULT_SOLVER_MODULES: readonly string[] = [
  '@emplace/graph',
  '@emplace/facility',
  '@emplace/kcenter',
  '@emplace/assignment',
  '@emplace/steiner',
  '@emplace/spectral',
  '@emplace/mechanism',
  '@emplace/pareto',
  '@emplace/flows',
];

export interface SolverPoolOptions {
  /** Number of workers (default: 1). Each runs one solve at a time; more requests queue. */
  size?: number;
  /** Modules each worker imports before solving (default DEFAULT_SOLVER_MODULES); add your own registrations here. */
  modules?: readonly string[];
  /**
   * How long (ms) the host waits for a worker's own answer to an abort or a passed time
   * limit (default 15). A solver polls the shared abort flag far more often, but after the
   * stop it still finishes its answer (a Fiedler run: its Rayleigh quotient and residual,
   * ~13 ms of CPU), and on a loaded machine the worker, at a lower priority than the host
   * (workerNice), may wait for a CPU that long again: measured 15-190 ms at load 8 on
   * 2 cores. Past graceMs the call resolves with the last incumbent the worker reported
   * (`feasible`, or `no-solution` without one; `stats.workerAnswered: false`), so an abort
   * lands within ~graceMs plus the host's own delay whatever the worker is doing. The worker
   * keeps its slot while it stops; one that has not stopped STOP_MS (1 s) later (a long
   * step that cannot poll: a wasm call) is terminated and replaced.
   */
  graceMs?: number;
  /**
   * Linux (Node): how much lower than the host's the scheduling priority of each worker's
   * thread is, as a nice increment 0-19 (default 10; 0 keeps it equal). The host's event
   * loop only needs a core for short turns; with the worker at a lower priority the kernel
   * runs those turns at once instead of after the worker's time slice (on a 2-core machine
   * the worker and V8's compiler threads otherwise keep the host waiting for a CPU). The
   * worker still gets a whole core when nothing else wants it. 10 rather than 5: at 5 (a
   * weight ratio of 3:1) the idle 2-core benchmark still saw host stalls of 20-24 ms of
   * which at most 8 ms on the host's CPU; at 10 the ratio is 9:1. Ignored elsewhere.
   */
  workerNice?: number;
  /** Node: heap limit of each worker in MB (a worker that exceeds it dies, the host does not). */
  maxOldGenerationSizeMb?: number;
  /** The worker script (default: this package's worker, built or source). */
  workerUrl?: URL;
}

export interface PoolSolveOptions extends SolveOptions, Record<string, unknown> {
  method: string;
  /**
   * How the model's typed arrays reach the worker (transfer.ts):
   * - 'copy' (default): each typed array of 4 KiB or more is copied into a new buffer a
   *   slice at a time (a turn of the event loop every ~4 ms of copying) and the copy is
   *   transferred; long lists of strings or numbers are packed the same way. The caller's
   *   model stays intact and the host's event loop is never blocked by the copy (a 32 MB
   *   table takes ~30 ms of copying spread over a few turns). Do not change the model
   *   until solve() returns (a part copied later would see the change).
   * - 'move' (or true): the model's own buffers are transferred, no copy at all; the
   *   caller's typed arrays are detached (length 0) afterwards and the model is unusable.
   * - 'clone' (or false): one synchronous structured clone (~3 ms per MB and 10-20 ms per
   *   100,000 strings on the host's event loop): only for small models.
   */
  transfer?: boolean | TransferMode | undefined;
}

export interface SolverPool {
  /** `solve(model, options)` from @emplace/core, run in a worker: the host's event loop stays free. */
  solve<S = unknown>(model: { readonly kind: string }, options: PoolSolveOptions): Promise<Result<S>>;
  /** Resolves when every worker has imported its modules and none is still stopping an answered job (solves wait for this anyway). */
  ready(): Promise<void>;
  /** Terminates every worker; pending and later solves reject. */
  destroy(): Promise<void>;
  readonly size: number;
}

interface Job extends Heard {
  id: number;
  /**
   * The latest incumbent as received, not decoded: decoding it (a Fiedler vector's 90,000
   * node ids are 90,000 strings) every 100 ms was host CPU time and young garbage for an
   * answer needed only if the host must answer without the worker. Decoded then, or at once for a caller
   * that listens (options.onIncumbent).
   */
  undecoded?: { solution: unknown; packed: PackedList[]; parts: unknown[][]; objective: number; sense: Sense } | undefined;
  /** queued, then encoding the model, then running in the worker, then answered (the result is being decoded). */
  phase: 'queued' | 'encoding' | 'running' | 'answered';
  mode: TransferMode;
  /** Parts received for the worker's next incumbent or result message. */
  parts: unknown[][];
  model: { readonly kind: string };
  options: PoolSolveOptions;
  flag: Int32Array;
  resolve: (r: Result<unknown>) => void;
  reject: (e: unknown) => void;
  settled: boolean;
  onAbort?: () => void;
}

interface Slot {
  endpoint: WorkerEndpoint | undefined;
  starting: Promise<WorkerEndpoint> | undefined;
  job: Job | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * A job already answered by the host (the worker did not answer within graceMs) whose
   * worker is still stopping: the slot takes no job until the worker's own answer arrives
   * (dropped) or it is terminated at `timer`; `done` resolves then.
   */
  stopping: { id: number; timer: ReturnType<typeof setTimeout>; done: Promise<void>; release: () => void } | undefined;
}

/** How long a worker that missed graceMs may take to stop on its own before it is terminated (its slot waits meanwhile). */
const STOP_MS = 1000;

const now = (): number => performance.now();

function transferMode(t: PoolSolveOptions['transfer']): TransferMode {
  if (t === undefined) return 'copy';
  if (t === true) return 'move';
  if (t === false) return 'clone';
  if (t === 'copy' || t === 'move' || t === 'clone') return t;
  throw new ModelError('options.transfer', `must be 'copy', 'move', 'clone' or a boolean, got ${String(t)}`);
}

function defaultWorkerUrl(): URL {
  // Built: dist/worker.js next to dist/pool.js. From source (tests, tsx): src/worker.ts.
  const here = new URL(import.meta.url);
  return new URL(here.pathname.endsWith('.ts') ? './worker.ts' : './worker.js', here);
}

/** The job's latest incumbent, decoded on first use (see Job.undecoded). */
function decodedIncumbent(job: Job): Heard['incumbent'] {
  const raw = job.undecoded;
  if (raw) {
    job.undecoded = undefined;
    job.incumbent = { solution: decodeNow(raw.solution, raw.packed, raw.parts, job.model), objective: raw.objective, sense: raw.sense };
  }
  return job.incumbent;
}

/**
 * The abort flag a worker's solver polls. Shared memory where the page may have it (Node;
 * cross-origin isolated pages); elsewhere a private flag, and the 'abort' message aborts
 * the worker's signal at its next turn of the event loop (SolveRun.tick yields every ~10 ms).
 */
function abortFlag(): Int32Array {
  return new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
}

interface ResolvedPoolOptions {
  size: number;
  workerNice: number;
  graceMs: number;
  modules: readonly string[];
  url: URL;
  maxOldGenerationSizeMb: number | undefined;
}

function resolvePoolOptions(options: SolverPoolOptions): ResolvedPoolOptions {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new ModelError('options.size', `must be a positive integer, got ${String(size)}`);
  const graceMs = options.graceMs ?? 15;
  if (!(graceMs >= 0)) throw new ModelError('options.graceMs', `must be a non-negative number, got ${String(graceMs)}`);
  const workerNice = options.workerNice ?? 10;
  if (!Number.isInteger(workerNice) || workerNice < 0 || workerNice > 19) throw new ModelError('options.workerNice', `must be an integer from 0 to 19, got ${String(workerNice)}`);
  return { size, graceMs, workerNice, modules: options.modules ?? DEFAULT_SOLVER_MODULES, url: options.workerUrl ?? defaultWorkerUrl(), maxOldGenerationSizeMb: options.maxOldGenerationSizeMb };
}

/**
 * A pool of solver workers behind the registry's `solve` API. The model goes to the
 * worker with its typed arrays copied a slice at a time and transferred (or moved with
 * `transfer: 'move'`, see PoolSolveOptions.transfer); progress events come back as
 * messages; incumbents and the result come back with their buffers transferred. Abort and time
 * limits are honoured inside the worker through a shared-memory flag that the solver's
 * own polls read; when the worker does not answer within `graceMs` the call resolves with
 * the last incumbent solution the worker reported (`feasible`, with the stop reason and a
 * warning), or `no-solution` when the method reported none, and the worker finishes
 * stopping in the background (terminated and replaced if it has not within STOP_MS).
 */
export function createSolverPool(options: SolverPoolOptions = {}): SolverPool {
  return new WorkerPool(resolvePoolOptions(options));
}

class WorkerPool implements SolverPool {
  readonly size: number;
  private readonly opts: ResolvedPoolOptions;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private destroyed = false;

  constructor(opts: ResolvedPoolOptions) {
    this.opts = opts;
    this.size = opts.size;
    this.slots = Array.from({ length: opts.size }, () => ({ endpoint: undefined, starting: undefined, job: undefined, timer: undefined, stopping: undefined }));
  }

  solve<S>(model: { readonly kind: string }, opts: PoolSolveOptions): Promise<Result<S>> {
    if (this.destroyed) return Promise.reject(new EmplaceError('the solver pool was destroyed'));
    if (!opts || typeof opts.method !== 'string') {
      return Promise.reject(new ModelError('options.method', 'is required: a registered "family" or "family:method"'));
    }
    let mode: TransferMode;
    try {
      mode = transferMode(opts.transfer);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<Result<unknown>>((resolve, reject) => {
      const job: Job = { id: this.nextId++, phase: 'queued', mode, parts: [], model, options: opts, method: opts.method, flag: abortFlag(), resolve, reject, settled: false, startedAt: now() };
      if (opts.signal?.aborted) {
        resolve(hostAnswer(job, 'aborted', 'aborted before the solve started'));
        return;
      }
      job.onAbort = () => this.abort(job);
      opts.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    }) as Promise<Result<S>>;
  }

  async ready(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        await s.stopping?.done;
        // destroy() releases a stopping slot: no new worker for a destroyed pool.
        if (!this.destroyed) await this.start(s);
      }),
    );
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const job of this.queue.splice(0)) job.reject(new EmplaceError('the solver pool was destroyed'));
    for (const slot of this.slots) {
      if (slot.job && !slot.job.settled) {
        slot.job.settled = true;
        slot.job.reject(new EmplaceError('the solver pool was destroyed'));
      }
      if (slot.timer !== undefined) clearTimeout(slot.timer);
      if (slot.stopping) clearTimeout(slot.stopping.timer);
      slot.stopping?.release();
      slot.endpoint?.terminate();
      slot.endpoint = undefined;
    }
  }

  /** Starts the slot's worker (imports the solver modules) unless it runs or is starting. */
  private start(slot: Slot): Promise<WorkerEndpoint> {
    if (slot.endpoint) return Promise.resolve(slot.endpoint);
    if (slot.starting) return slot.starting;
    const starting = this.boot(slot);
    slot.starting = starting;
    starting.then(
      (ep) => {
        slot.endpoint = ep;
        slot.starting = undefined;
        if (this.destroyed) ep.terminate();
      },
      () => {
        slot.starting = undefined;
      },
    );
    return starting;
  }

  /** Spawns a worker and waits for its 'ready' (or the import error). */
  private async boot(slot: Slot): Promise<WorkerEndpoint> {
    const { url, maxOldGenerationSizeMb, modules, workerNice } = this.opts;
    const ep = await spawnWorker({ url, ...(maxOldGenerationSizeMb !== undefined ? { maxOldGenerationSizeMb } : {}) });
    await new Promise<void>((resolve, reject) => {
      let booted = false;
      ep.onMessage((m: WorkerMessage) => {
        if (booted) this.onMessage(slot, m);
        else if (m.type === 'ready') {
          booted = true;
          resolve();
        } else if (m.type === 'init-error') reject(reviveError(m.error));
      });
      ep.onExit((reason) => {
        if (!booted) reject(new EmplaceError(`solver worker failed to start: ${reason}`));
        else this.onDeath(slot, ep, reason);
      });
      ep.post({ type: 'init', modules, nice: workerNice });
    });
    return ep;
  }

  private pump(): void {
    if (this.destroyed) return;
    for (const slot of this.slots) {
      const job = slot.job || slot.stopping ? undefined : this.queue.shift();
      if (job) this.run(slot, job);
      if (this.queue.length === 0) return;
    }
  }

  /** Sends the job to the slot's worker and arms the time-limit backstop. */
  private run(slot: Slot, job: Job): void {
    slot.job = job;
    job.phase = 'encoding';
    job.startedAt = now();
    const { signal: _s, onProgress: _p, onIncumbent: _i, transfer: _t, ...rest } = job.options;
    // The worker boots while the model is encoded (both off the host's event loop).
    Promise.all([this.start(slot), encodeForPost(job.model, job.mode)])
      .then(async ([ep, encoded]) => {
        const limit = job.options.timeLimitMs;
        try {
          // Long lists of objects go first, a part per message, with turns of the event loop between.
          if (!(await postParts(encoded.parts, (part) => ep.post({ type: 'part', id: job.id, items: part.items }, part.transfer), () => job.settled))) return;
          // The worker's clock starts now: it gets what is left of the time limit.
          const options = limit === undefined ? rest : { ...rest, timeLimitMs: Math.max(1, limit - (now() - job.startedAt)) };
          ep.post({ type: 'solve', id: job.id, model: encoded.value, packed: encoded.packed, options, abortFlag: job.flag, wantsProgress: true }, encoded.transfer);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          this.settle(slot, job, { error: new ModelError('model', `cannot be sent to a worker (${why}); models with functions (e.g. a characteristic function) must be solved in-thread`) });
          return;
        }
        job.phase = 'running';
        if (limit !== undefined) this.arm(slot, job, job.startedAt + limit + Math.max(this.opts.graceMs, 0.1 * limit), 'time-limit');
      })
      .catch((e: unknown) => this.settle(slot, job, { error: e }));
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if (slot.stopping && 'id' in m && m.id === slot.stopping.id) {
      // The late answer of a job the host has answered: the worker is free again.
      if (m.type === 'result' || m.type === 'error') this.stopped(slot);
      return;
    }
    const job = slot.job;
    if (!job || !('id' in m) || m.id !== job.id) return;
    if (m.type === 'progress') {
      job.lastProgress = m.event;
      job.options.onProgress?.(m.event);
    } else if (m.type === 'part') job.parts.push(m.items);
    else if (m.type === 'incumbent') {
      job.undecoded = { solution: m.solution, packed: m.packed, parts: job.parts.splice(0), objective: m.objective, sense: m.sense };
      job.incumbent = undefined;
      if (job.options.onIncumbent) job.options.onIncumbent(decodedIncumbent(job)!.solution, m.objective, m.sense);
    } else if (m.type === 'result') {
      // An abort from here on changes nothing: the answer is in.
      job.phase = 'answered';
      if (slot.timer !== undefined) clearTimeout(slot.timer);
      slot.timer = undefined;
      decodeReceived(m.result, m.packed, job.parts.splice(0), job.model).then(
        (result) => this.settle(slot, job, { result: result as Result<unknown> }),
        (e: unknown) => this.settle(slot, job, { error: e }),
      );
    } else if (m.type === 'error') this.settle(slot, job, { error: reviveError(m.error) });
  }

  /** The caller aborted: flag it for the worker's polls, and answer without the worker if it does not within graceMs. */
  private abort(job: Job): void {
    Atomics.store(job.flag, 0, 1);
    if (job.phase === 'answered' || job.settled) return;
    const slot = this.slots.find((s) => s.job === job);
    if (slot && job.phase === 'encoding') {
      // Not sent yet: the worker is idle (or still booting) and stays.
      this.settle(slot, job, { result: hostAnswer(job, 'aborted', 'aborted before the model reached the worker') });
      return;
    }
    if (slot) {
      slot.endpoint?.post({ type: 'abort', id: job.id });
      this.arm(slot, job, now() + this.opts.graceMs, 'aborted');
      return;
    }
    // Still queued: it never ran.
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    if (!job.settled) {
      job.settled = true;
      job.resolve(hostAnswer(job, 'aborted', 'aborted while queued'));
    }
  }

  /** Host-side backstop: the worker must answer by `at` (graceMs after an abort / its deadline). */
  private arm(slot: Slot, job: Job, at: number, stoppedBy: StoppedBy): void {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    const what = stoppedBy === 'aborted' ? 'abort' : 'time limit';
    slot.timer = setTimeout(() => {
      if (!job.settled && slot.job === job) this.giveUp(slot, job, stoppedBy, `the worker did not answer within ${this.opts.graceMs} ms of the ${what}`);
    }, Math.max(0, at - now()));
  }

  /**
   * Answers the job with what its worker reported and lets the worker stop in the
   * background (the slot is its own until then; terminated after STOP_MS). An incumbent
   * whose decoding takes work (packed lists other than references to the model) is decoded
   * a slice at a time first: at once, a 90,000-string list stalled the host 20-35 ms right
   * at the moment it was to answer (issue 13).
   */
  private giveUp(slot: Slot, job: Job, stoppedBy: StoppedBy, why: string): void {
    let release = (): void => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    slot.stopping = { id: job.id, timer: setTimeout(() => this.terminate(slot), STOP_MS), done, release };
    const raw = job.undecoded;
    // An incumbent that cannot be put back (a model changed during the solve) is left out, and said.
    const answer = (lost?: unknown): void => {
      if (lost !== undefined) job.incumbent = undefined;
      const note = lost === undefined ? why : `${why}; its last incumbent could not be put back (${lost instanceof Error ? lost.message : String(lost)})`;
      this.settle(slot, job, { result: hostAnswer(job, stoppedBy, note) });
    };
    if (!raw || !decodingWorks(raw.packed)) {
      try {
        decodedIncumbent(job);
      } catch (e) {
        answer(e);
        return;
      }
      answer();
      return;
    }
    job.undecoded = undefined;
    decodeReceived(raw.solution, raw.packed, raw.parts, job.model).then(
      (solution) => {
        job.incumbent = { solution, objective: raw.objective, sense: raw.sense };
        answer();
      },
      (e: unknown) => answer(e),
    );
  }

  /** The worker of an answered job has stopped on its own: its slot takes the next job. */
  private stopped(slot: Slot): void {
    const stopping = slot.stopping;
    if (!stopping) return;
    clearTimeout(stopping.timer);
    slot.stopping = undefined;
    stopping.release();
    this.pump();
  }

  /** The worker of an answered job did not stop within STOP_MS (a step that cannot poll): terminated and replaced. */
  private terminate(slot: Slot): void {
    if (!slot.stopping) return;
    const ep = slot.endpoint;
    slot.endpoint = undefined;
    ep?.terminate();
    this.stopped(slot);
    if (!this.destroyed) this.start(slot).catch(() => {});
  }

  private onDeath(slot: Slot, ep: WorkerEndpoint, reason: string): void {
    if (slot.endpoint === ep) slot.endpoint = undefined;
    this.stopped(slot);
    const job = slot.job;
    if (job) this.settle(slot, job, { error: new BackendError('pool', `solver worker died during ${job.options.method}: ${reason}`) });
  }

  private settle(slot: Slot, job: Job, outcome: { result: Result<unknown> } | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
    if (slot.job === job) slot.job = undefined;
    if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
    if ('result' in outcome) job.resolve(outcome.result);
    else job.reject(outcome.error);
    this.pump();
  }
}
