import { ModelError } from './errors.js';
import type { ProgressEvent, SolveOptions } from './options.js';
import {
  relativeGap,
  type Certificate,
  type Guarantee,
  type Sense,
  type SolvedResult,
  type Stats,
  type StoppedBy,
  type UnsolvedResult,
} from './result.js';
import { Rng } from './rng.js';
import { yieldToEventLoop } from './yield.js';

/**
 * Longest stretch a solver in the caller's thread computes before it yields to the event
 * loop (ms): short enough that an abort fired by a timer is seen well within 50 ms, long
 * enough that the yields cost well under 1 % (one turn of the loop is ~10-50 us).
 */
export const YIELD_INTERVAL_MS = 10;

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** Validates the generic part of SolveOptions, naming the bad field. */
export function validateOptions(options: SolveOptions): void {
  const { timeLimitMs, seed, tolerance, progressIntervalMs, incumbentIntervalMs, maxMemoryBytes } = options;
  // typeof first: `null >= 0` is true in JavaScript, and a null from JSON must not read as 0.
  if (maxMemoryBytes !== undefined && !(typeof maxMemoryBytes === 'number' && maxMemoryBytes > 0)) {
    throw new ModelError('options.maxMemoryBytes', `must be a positive number of bytes, got ${String(maxMemoryBytes)}`);
  }
  if (timeLimitMs !== undefined && !(typeof timeLimitMs === 'number' && timeLimitMs >= 0)) {
    throw new ModelError('options.timeLimitMs', `must be a non-negative number, got ${String(timeLimitMs)}`);
  }
  if (seed !== undefined && !Number.isFinite(seed)) {
    throw new ModelError('options.seed', `must be a finite number, got ${String(seed)}`);
  }
  if (tolerance !== undefined && !(typeof tolerance === 'number' && tolerance >= 0 && tolerance < 1)) {
    throw new ModelError('options.tolerance', `must be in [0, 1), got ${String(tolerance)}`);
  }
  if (progressIntervalMs !== undefined && !(typeof progressIntervalMs === 'number' && progressIntervalMs >= 0)) {
    throw new ModelError('options.progressIntervalMs', `must be a non-negative number, got ${String(progressIntervalMs)}`);
  }
  if (incumbentIntervalMs !== undefined && !(typeof incumbentIntervalMs === 'number' && incumbentIntervalMs >= 0)) {
    throw new ModelError('options.incumbentIntervalMs', `must be a non-negative number, got ${String(incumbentIntervalMs)}`);
  }
  // Callbacks and the signal are called deep inside solvers (and HiGHS's abort wiring): a
  // wrong type there was a TypeError ("cb is not a function") instead of a named field.
  const { signal, onProgress, onIncumbent } = options;
  if (signal !== undefined && !isAbortSignalLike(signal)) {
    throw new ModelError('options.signal', `must be an AbortSignal, got ${describeValue(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ModelError('options.onProgress', `must be a function, got ${describeValue(onProgress)}`);
  }
  if (onIncumbent !== undefined && typeof onIncumbent !== 'function') {
    throw new ModelError('options.onIncumbent', `must be a function, got ${describeValue(onIncumbent)}`);
  }
}

/** An AbortSignal, or an object that behaves as one (a polyfill, another realm's signal). */
function isAbortSignalLike(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { addEventListener?: unknown; removeEventListener?: unknown };
  // 'aborted' is tested by presence, not read: reading it may run a getter the caller counts.
  return 'aborted' in s && typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function';
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object without aborted / addEventListener';
  return typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}

/**
 * The clock, budget, RNG and progress reporter of one solver call. Every solver creates
 * one at entry (`const run = new SolveRun(options, 'ufl:local-search', 'min')`), polls
 * `run.shouldStop()` in its loops, reports with `run.progress(...)`, and builds its
 * envelope with `run.solved(...)` / `run.unsolved(...)` so that elapsed time, stop
 * reason and gap are filled in the same way everywhere.
 */
export class SolveRun {
  readonly method: string;
  readonly sense: Sense;
  readonly options: SolveOptions;
  readonly rng: Rng;
  readonly startedAt: number;
  /** Absolute deadline on the `performance.now()` clock; Infinity when there is no limit. */
  readonly deadline: number;
  readonly tolerance: number;
  private stopReason: StoppedBy | undefined;
  private lastProgressAt = -Infinity;
  private lastPhase = '';
  private readonly interval: number;
  private lastYieldAt: number;
  private lastIncumbentAt = -Infinity;
  private readonly incumbentInterval: number;

  constructor(options: SolveOptions | undefined, method: string, sense: Sense = 'min') {
    const opts = options ?? {};
    validateOptions(opts);
    this.options = opts;
    this.method = method;
    this.sense = sense;
    this.rng = new Rng(opts.seed ?? 1);
    this.startedAt = now();
    this.deadline = opts.timeLimitMs === undefined ? Infinity : this.startedAt + opts.timeLimitMs;
    this.tolerance = opts.tolerance ?? 1e-9;
    this.interval = opts.progressIntervalMs ?? 100;
    this.incumbentInterval = opts.incumbentIntervalMs ?? 100;
    this.lastYieldAt = this.startedAt;
  }

  /** True when the solver has computed for YIELD_INTERVAL_MS since it last yielded (one clock read). */
  needsYield(): boolean {
    return now() - this.lastYieldAt >= YIELD_INTERVAL_MS;
  }

  /**
   * The cooperative checkpoint of async solvers: yields to the event loop when
   * YIELD_INTERVAL_MS have passed since the last yield (so timers, I/O and an
   * AbortSignal fired by a timer get their turn), then returns `shouldStop()`. Call it in
   * outer loops and between setup phases: `if (await run.tick()) break;`. Between yields
   * it costs one clock read and a resolved promise. It yields after a stop too: the answer
   * built then (the quality of a partition, the plan's check) can take longer than a turn on
   * a large input, and the host's loop must not wait for all of it (issue 13).
   */
  async tick(): Promise<boolean> {
    if (now() - this.lastYieldAt >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      this.lastYieldAt = now();
    }
    return this.shouldStop();
  }

  elapsedMs(): number {
    return now() - this.startedAt;
  }

  /** Milliseconds left before the time limit (Infinity without one; never negative). */
  remainingMs(): number {
    return Math.max(0, this.deadline - now());
  }

  /**
   * True once the time limit has passed or the signal aborted; remembers why. Cheap
   * (one clock read), but hot inner loops should still call it every few hundred steps.
   */
  shouldStop(): boolean {
    if (this.stopReason !== undefined) return true;
    if (this.options.signal?.aborted) {
      this.stopReason = 'aborted';
      return true;
    }
    if (this.deadline !== Infinity && now() >= this.deadline) {
      this.stopReason = 'time-limit';
      return true;
    }
    return false;
  }

  /** Marks the run as stopped by an iteration limit (unless a time/abort stop came first). */
  hitIterationLimit(): void {
    if (this.stopReason === undefined) this.stopReason = 'iteration-limit';
  }

  /** Why the run stopped, `converged` if nothing interrupted it. */
  stoppedBy(): StoppedBy {
    return this.stopReason ?? 'converged';
  }

  /** Records an external stop reason (e.g. a backend reported its own time limit). */
  markStopped(reason: StoppedBy): void {
    if (this.stopReason === undefined && reason !== 'converged') this.stopReason = reason;
  }

  /** Sends a progress event unless one was sent less than `progressIntervalMs` ago; a new phase always passes. */
  progress(event: Omit<ProgressEvent, 'method' | 'elapsedMs'>, force = false): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    const t = now();
    if (!force && event.phase === this.lastPhase && t - this.lastProgressAt < this.interval) return;
    this.lastProgressAt = t;
    this.lastPhase = event.phase;
    const full: ProgressEvent = { method: this.method, elapsedMs: t - this.startedAt, ...event };
    if (full.gap === undefined && full.incumbent !== undefined && full.bound !== undefined) {
      full.gap = relativeGap(full.incumbent, full.bound);
    }
    cb(full);
  }

  /** True when an incumbent report would pass the throttle now (lets a solver skip building one). */
  wantsIncumbent(): boolean {
    return this.options.onIncumbent !== undefined && now() - this.lastIncumbentAt >= this.incumbentInterval;
  }

  /**
   * Reports an improved incumbent to `options.onIncumbent`, throttled to one call per
   * `incumbentIntervalMs` (`force` passes anyway, e.g. the first solution of a phase).
   * `build` makes the domain solution and runs only when the report passes, so a solver
   * can call this at every improvement without paying for the solutions it drops.
   */
  incumbent(objective: number, build: () => unknown, force = false): void {
    const cb = this.options.onIncumbent;
    if (!cb) return;
    const t = now();
    if (!force && t - this.lastIncumbentAt < this.incumbentInterval) return;
    this.lastIncumbentAt = t;
    cb(build(), objective, this.sense);
  }

  /**
   * Envelope for a run that has a solution. `status` is `optimal` when `proven` is true or
   * when the bound closes the gap to within the tolerance; otherwise `feasible`.
   */
  solved<S>(args: {
    solution: S;
    objective: number;
    bound?: number | undefined;
    proven?: boolean | undefined;
    guarantee: Guarantee;
    iterations?: number | undefined;
    stats?: Record<string, string | number | boolean | undefined> | undefined;
    warnings?: string[] | undefined;
  }): SolvedResult<S> {
    const { solution, objective, guarantee } = args;
    let bound = args.bound;
    if (bound !== undefined && Number.isFinite(bound)) {
      // A bound can never be better than a feasible objective; clamp rounding noise.
      if (this.sense === 'min' && bound > objective) bound = objective;
      if (this.sense === 'max' && bound < objective) bound = objective;
    }
    const gap = bound !== undefined && Number.isFinite(bound) ? relativeGap(objective, bound) : undefined;
    const closed = gap !== undefined && gap <= Math.max(this.tolerance, 1e-12);
    // A proof claim must agree with the bound it comes with: `optimal` with a bound 3 under an
    // objective of 9 would tell the caller two different things. The slack (10x the tolerance)
    // absorbs the MIP gap a backend stops at; the floor of 1 absorbs rounding noise around an
    // objective of 0, whose scale core cannot know (a robust regret 0 came with a bound of
    // -1.4e-14 from terms near 1e3). Beyond it the claim is dropped and said.
    const contradicted =
      args.proven === true &&
      bound !== undefined &&
      Number.isFinite(bound) &&
      Math.abs(objective - bound) > 10 * Math.max(this.tolerance, 1e-9) * Math.max(1, Math.abs(objective));
    const proven = (args.proven === true && !contradicted) || closed;
    const warnings = contradicted
      ? [...(args.warnings ?? []), `${this.method}: claimed optimal, but its bound ${bound} is ${gap} (relative) from the objective ${objective}; reported as feasible`]
      : args.warnings;
    const result: SolvedResult<S> = {
      status: proven ? 'optimal' : 'feasible',
      solution,
      objective,
      sense: this.sense,
      stoppedBy: this.stoppedBy(),
      stats: this.stats(args.iterations, args.stats),
      guarantee,
    };
    if (bound !== undefined && Number.isFinite(bound)) result.bound = bound;
    if (gap !== undefined) result.gap = proven ? 0 : gap;
    if (proven && result.bound === undefined) result.bound = objective;
    if (warnings && warnings.length > 0) result.warnings = warnings;
    return result;
  }

  /** Envelope for a run without a solution: proven infeasible/unbounded, or stopped first. */
  unsolved(args: {
    status: 'infeasible' | 'unbounded' | 'no-solution';
    guarantee: Guarantee;
    certificate?: Certificate | undefined;
    bound?: number | undefined;
    iterations?: number | undefined;
    stats?: Record<string, string | number | boolean | undefined> | undefined;
    warnings?: string[] | undefined;
  }): UnsolvedResult {
    const result: UnsolvedResult = {
      status: args.status,
      sense: this.sense,
      stoppedBy: this.stoppedBy(),
      stats: this.stats(args.iterations, args.stats),
      guarantee: args.guarantee,
    };
    if (args.certificate) result.certificate = args.certificate;
    if (args.bound !== undefined && Number.isFinite(args.bound)) result.bound = args.bound;
    if (args.warnings && args.warnings.length > 0) result.warnings = args.warnings;
    return result;
  }

  private stats(iterations: number | undefined, extra: Record<string, string | number | boolean | undefined> | undefined): Stats {
    const s: Stats = { method: this.method, elapsedMs: this.elapsedMs() };
    if (iterations !== undefined) s.iterations = iterations;
    if (extra) Object.assign(s, extra);
    return s;
  }
}
