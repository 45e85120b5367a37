import {
  BackendError,
  EmplaceError,
  FormatError,
  ModelError,
  relativeGap,
  UnknownMethodError,
  type ProgressEvent,
  type Result,
  type Sense,
  type SolveOptions,
  type StoppedBy,
} from '@emplace/core';
import { spawnWorker, type WorkerEndpoint } from './endpoint.js';
import { collectBuffers, type SerializedError, type WorkerMessage } from './protocol.js';

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
   * How long (ms) a worker may take to answer an abort or a passed time limit before it
   * is terminated (default 250). A solver polls the shared abort flag far more often than
   * that; termination is for a long step that cannot poll (a setup phase, a wasm call).
   */
  graceMs?: number;
  /** Node: heap limit of each worker in MB (a worker that exceeds it dies, the host does not). */
  maxOldGenerationSizeMb?: number;
  /** The worker script (default: this package's worker, built or source). */
  workerUrl?: URL;
}

export interface PoolSolveOptions extends SolveOptions, Record<string, unknown> {
  method: string;
  /**
   * Move the model's typed-array buffers to the worker instead of copying them (zero
   * copy). The caller's model is unusable afterwards (its arrays are detached). Default false.
   */
  transfer?: boolean;
}

export interface SolverPool {
  /** `solve(model, options)` from @emplace/core, run in a worker: the host's event loop stays free. */
  solve<S = unknown>(model: { readonly kind: string }, options: PoolSolveOptions): Promise<Result<S>>;
  /** Resolves when every worker has imported its modules (solves wait for this anyway). */
  ready(): Promise<void>;
  /** Terminates every worker; pending and later solves reject. */
  destroy(): Promise<void>;
  readonly size: number;
}

interface Job {
  id: number;
  model: { readonly kind: string };
  options: PoolSolveOptions;
  flag: Int32Array;
  resolve: (r: Result<unknown>) => void;
  reject: (e: unknown) => void;
  /** Best incumbent/bound the worker reported, for the envelope built if the worker must be killed. */
  lastProgress?: ProgressEvent;
  /** The latest incumbent solution the worker reported (a copy owned by the host). */
  incumbent?: { solution: unknown; objective: number; sense: Sense };
  settled: boolean;
  startedAt: number;
  onAbort?: () => void;
}

interface Slot {
  endpoint: WorkerEndpoint | undefined;
  starting: Promise<WorkerEndpoint> | undefined;
  job: Job | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const now = (): number => performance.now();

function defaultWorkerUrl(): URL {
  // Built: dist/worker.js next to dist/pool.js. From source (tests, tsx): src/worker.ts.
  const here = new URL(import.meta.url);
  return new URL(here.pathname.endsWith('.ts') ? './worker.ts' : './worker.js', here);
}

function reviveError(e: SerializedError): Error {
  let err: Error;
  switch (e.name) {
    case 'ModelError': {
      const field = e.field ?? '';
      err = new ModelError(field, e.message.startsWith(field) ? e.message.slice(field.length).trimStart() : e.message);
      break;
    }
    case 'FormatError':
      err = new FormatError(e.message);
      break;
    case 'BackendError': {
      const backend = e.backend ?? 'backend';
      err = new BackendError(backend, e.message.startsWith(`${backend}: `) ? e.message.slice(backend.length + 2) : e.message);
      break;
    }
    case 'UnknownMethodError':
      err = new UnknownMethodError(e.message);
      break;
    case 'EmplaceError':
      err = new EmplaceError(e.message);
      break;
    default:
      err = new Error(e.message);
      err.name = e.name;
  }
  return err;
}

/**
 * A pool of solver workers behind the registry's `solve` API. The model goes to the
 * worker by structured clone (or moved with `transfer: true`); progress events come back
 * as messages; the result's typed arrays are moved back without a copy. Abort and time
 * limits are honoured inside the worker through a shared-memory flag that the solver's
 * own polls read; a worker that does not answer within `graceMs` is terminated (and
 * replaced on the next solve), and the call resolves with the last incumbent solution the
 * worker reported (`feasible`, with the stop reason and a warning), or `no-solution` when
 * the method reported none.
 */
export function createSolverPool(options: SolverPoolOptions = {}): SolverPool {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new ModelError('options.size', `must be a positive integer, got ${String(size)}`);
  const graceMs = options.graceMs ?? 250;
  if (!(graceMs >= 0)) throw new ModelError('options.graceMs', `must be a non-negative number, got ${String(graceMs)}`);
  const modules = options.modules ?? DEFAULT_SOLVER_MODULES;
  const url = options.workerUrl ?? defaultWorkerUrl();
  const slots: Slot[] = Array.from({ length: size }, () => ({ endpoint: undefined, starting: undefined, job: undefined, timer: undefined }));
  const queue: Job[] = [];
  let nextId = 1;
  let destroyed = false;

  function start(slot: Slot): Promise<WorkerEndpoint> {
    if (slot.endpoint) return Promise.resolve(slot.endpoint);
    if (slot.starting) return slot.starting;
    slot.starting = (async () => {
      const ep = await spawnWorker({ url, ...(options.maxOldGenerationSizeMb !== undefined ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}) });
      await new Promise<void>((resolve, reject) => {
        let booted = false;
        ep.onMessage((m: WorkerMessage) => {
          if (!booted) {
            if (m.type === 'ready') {
              booted = true;
              resolve();
            } else if (m.type === 'init-error') reject(reviveError(m.error));
            return;
          }
          onMessage(slot, m);
        });
        ep.onExit((reason) => {
          if (!booted) reject(new EmplaceError(`solver worker failed to start: ${reason}`));
          else onDeath(slot, ep, reason);
        });
        ep.post({ type: 'init', modules });
      });
      slot.endpoint = ep;
      slot.starting = undefined;
      return ep;
    })();
    slot.starting.catch(() => {
      slot.starting = undefined;
    });
    return slot.starting;
  }

  function settle(slot: Slot, job: Job, outcome: { result: Result<unknown> } | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
    if (slot.job === job) slot.job = undefined;
    if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
    if ('result' in outcome) job.resolve(outcome.result);
    else job.reject(outcome.error);
    pump();
  }

  function onMessage(slot: Slot, m: WorkerMessage): void {
    const job = slot.job;
    if (!job || !('id' in m) || m.id !== job.id) return;
    if (m.type === 'progress') {
      job.lastProgress = m.event;
      job.options.onProgress?.(m.event);
    } else if (m.type === 'incumbent') {
      job.incumbent = { solution: m.solution, objective: m.objective, sense: m.sense };
      job.options.onIncumbent?.(m.solution, m.objective, m.sense);
    } else if (m.type === 'result') settle(slot, job, { result: m.result });
    else if (m.type === 'error') settle(slot, job, { error: reviveError(m.error) });
  }

  /**
   * The envelope of a job whose worker had to be killed (or that never ran): the latest
   * incumbent the worker reported, `feasible` with no proof, or `no-solution` without one.
   */
  function killedEnvelope(job: Job, stoppedBy: StoppedBy, why: string): Result<unknown> {
    const p = job.lastProgress;
    const inc = job.incumbent;
    const stats = { method: job.options.method, elapsedMs: now() - job.startedAt, workerTerminated: true };
    const guarantee = { kind: 'heuristic' } as const;
    if (inc) {
      const sense = inc.sense;
      // A bound from progress is kept only when it is on the right side of the incumbent.
      const bound = p?.bound !== undefined && Number.isFinite(p.bound) && (sense === 'min' ? p.bound <= inc.objective : p.bound >= inc.objective) ? p.bound : undefined;
      return {
        status: 'feasible',
        solution: inc.solution,
        objective: inc.objective,
        sense,
        stoppedBy,
        stats,
        guarantee,
        ...(bound !== undefined ? { bound, gap: relativeGap(inc.objective, bound) } : {}),
        warnings: [why, `the result is the last incumbent the worker reported before it was stopped (objective ${inc.objective})`],
      };
    }
    const warnings = [why];
    if (p?.incumbent !== undefined) warnings.push(`the worker had reported an incumbent of objective ${p.incumbent} (phase ${p.phase}), but not its solution (this method does not report incumbent solutions)`);
    return {
      status: 'no-solution',
      sense: 'min',
      stoppedBy,
      stats,
      guarantee,
      ...(p?.bound !== undefined && Number.isFinite(p.bound) ? { bound: p.bound } : {}),
      warnings,
    } as Result<unknown>;
  }

  function kill(slot: Slot, job: Job, stoppedBy: StoppedBy, why: string): void {
    const ep = slot.endpoint;
    slot.endpoint = undefined;
    ep?.terminate();
    settle(slot, job, { result: killedEnvelope(job, stoppedBy, why) });
  }

  function onDeath(slot: Slot, ep: WorkerEndpoint, reason: string): void {
    if (slot.endpoint === ep) slot.endpoint = undefined;
    const job = slot.job;
    if (job) settle(slot, job, { error: new BackendError('pool', `solver worker died during ${job.options.method}: ${reason}`) });
  }

  /** Host-side backstop: the worker must answer within graceMs of an abort / its deadline. */
  function arm(slot: Slot, job: Job, at: number, stoppedBy: StoppedBy): void {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (!job.settled && slot.job === job) kill(slot, job, stoppedBy, `the worker did not stop within ${graceMs} ms of the ${stoppedBy === 'aborted' ? 'abort' : 'time limit'} and was terminated`);
    }, Math.max(0, at - now()));
  }

  function run(slot: Slot, job: Job): void {
    slot.job = job;
    start(slot)
      .then((ep) => {
        if (job.settled) return;
        if (Atomics.load(job.flag, 0) !== 0) {
          settle(slot, job, { result: killedEnvelope(job, 'aborted', 'aborted before the worker started') });
          return;
        }
        const { signal: _s, onProgress, onIncumbent: _i, transfer, ...rest } = job.options;
        const transferList = transfer ? [...collectBuffers(job.model)] : [];
        job.startedAt = now();
        try {
          ep.post({ type: 'solve', id: job.id, model: job.model, options: rest, abortFlag: job.flag, wantsProgress: true }, transferList);
        } catch (e) {
          settle(slot, job, { error: new ModelError('model', `cannot be sent to a worker (${(e as Error).message}); models with functions (e.g. a characteristic function) must be solved in-thread`) });
          return;
        }
        const limit = job.options.timeLimitMs;
        if (limit !== undefined) arm(slot, job, job.startedAt + limit + Math.max(graceMs, 0.1 * limit), 'time-limit');
      })
      .catch((e: unknown) => settle(slot, job, { error: e }));
  }

  function pump(): void {
    if (destroyed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.job) continue;
      run(slot, queue.shift()!);
    }
  }

  return {
    size,
    solve<S>(model: { readonly kind: string }, opts: PoolSolveOptions): Promise<Result<S>> {
      if (destroyed) return Promise.reject(new EmplaceError('the solver pool was destroyed'));
      if (!opts || typeof opts.method !== 'string') {
        return Promise.reject(new ModelError('options.method', 'is required: a registered "family" or "family:method"'));
      }
      return new Promise<Result<S>>((resolve, reject) => {
        const job: Job = {
          id: nextId++,
          model,
          options: opts,
          flag: new Int32Array(new SharedArrayBuffer(4)),
          resolve: resolve as (r: Result<unknown>) => void,
          reject,
          settled: false,
          startedAt: now(),
        };
        job.onAbort = () => {
          Atomics.store(job.flag, 0, 1);
          const slot = slots.find((s) => s.job === job);
          if (!slot) {
            // Still queued: it never ran.
            const at = queue.indexOf(job);
            if (at >= 0) queue.splice(at, 1);
            if (!job.settled) {
              job.settled = true;
              resolve(killedEnvelope(job, 'aborted', 'aborted while queued') as Result<S>);
            }
            return;
          }
          slot.endpoint?.post({ type: 'abort', id: job.id });
          arm(slot, job, now() + graceMs, 'aborted');
        };
        if (opts.signal?.aborted) {
          resolve(killedEnvelope(job, 'aborted', 'aborted before the solve started') as Result<S>);
          return;
        }
        opts.signal?.addEventListener('abort', job.onAbort, { once: true });
        queue.push(job);
        pump();
      });
    },
    async ready(): Promise<void> {
      await Promise.all(slots.map((s) => start(s)));
    },
    async destroy(): Promise<void> {
      destroyed = true;
      for (const job of queue.splice(0)) job.reject(new EmplaceError('the solver pool was destroyed'));
      for (const slot of slots) {
        if (slot.job && !slot.job.settled) {
          slot.job.settled = true;
          slot.job.reject(new EmplaceError('the solver pool was destroyed'));
        }
        if (slot.timer !== undefined) clearTimeout(slot.timer);
        slot.endpoint?.terminate();
        slot.endpoint = undefined;
      }
    },
  };
}
