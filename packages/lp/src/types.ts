import type { SolvedResult, Stats, UnsolvedResult } from '@emplace/core';

export type BackendName = 'highs' | 'glpk' | 'jslp';

export type LpStatus = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'no-solution';

export interface LpProgress {
  /** Objective of the best solution so far (model sense, offset included). */
  incumbent?: number;
  /** Best proven bound so far (lower for min, upper for max). */
  bound?: number;
  elapsedMs: number;
}

/** Where HiGHS runs: see `LpOptions.offload`. */
export type LpOffload = 'auto' | 'worker' | 'thread';

export interface LpOptions {
  /** Default `highs`. */
  backend?: BackendName | undefined;
  /** Wall-clock budget; see `backendCapabilities(name).timeLimit` for how each backend honours it. */
  timeLimitMs?: number | undefined;
  /** Cooperative cancellation; see `backendCapabilities(name).abort`. */
  signal?: AbortSignal | undefined;
  /** Relative MIP gap at which a solve counts as optimal. Default 1e-9 (HiGHS's own default is 1e-4). */
  mipRelGap?: number;
  /** A (possibly infeasible or partial-quality) starting point, one value per variable. */
  warmStart?: ArrayLike<number> | undefined;
  /** Called with incumbent/bound updates while the backend runs (HiGHS MIP only), throttled. */
  onProgress?: (e: LpProgress) => void;
  /** Minimum interval between two progress events, ms. Default 100. */
  progressIntervalMs?: number;
  /**
   * Extra native HiGHS options (snake_case, e.g. `{ solver: 'ipm', presolve: 'on' }`), applied
   * after the layer's own; ignored by other backends. An unknown name rejects with BackendError.
   */
  highsOptions?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Where HiGHS runs. `auto` (default): on the main thread, MIPs and LPs with at least
   * SMALL_LP_NONZEROS nonzeros run in a HiGHS worker (Node: a worker thread, or a child
   * process killed with SIGKILL on abort with EMPLACE_HIGHS_WORKER=process; browsers: a Web
   * Worker) that keeps HiGHS loaded, so the caller's event loop stays free and an abort
   * returns within a few ms; smaller LPs go to an idle HiGHS worker
   * when there is one (one HiGHS runtime per process, so memory stays flat), else
   * in-thread; inside a worker thread (a pool worker), in-thread. `worker` / `thread`
   * force either. Other backends ignore it.
   */
  offload?: LpOffload | undefined;
}

/** The solution part of a solved `LpResult` (DESIGN.md §3): values, duals and their quality. */
export interface LpSolution {
  /** Primal values, one per variable. */
  x: Float64Array;
  /**
   * Row duals for pure LPs solved to optimality where the backend gives them:
   * `duals[i]` = d objective / d (active bound of row i), in the model's sense.
   */
  duals?: Float64Array;
  /** Largest bound/row/integrality violation of `x` (absolute), for the caller to judge. */
  maxViolation: number;
}

/** Counters of one LP/MIP solve (`stats.method` is `lp:<backend>`). */
export interface LpStats extends Stats {
  backend: BackendName;
  /** Branch-and-bound nodes explored (HiGHS MIP). */
  nodes?: number;
  /** Simplex iterations (HiGHS LP). */
  iterations?: number;
  /** Where HiGHS ran: `thread` (the caller's) or `worker` (a HiGHS worker; see `LpOptions.offload`). */
  ranIn?: 'thread' | 'worker';
}

/**
 * What `solveLp` returns: core's Result union. `objective` is c'x + offset recomputed
 * from `solution.x` (never taken from a backend); `bound` only when the backend proves
 * one, never crossing the objective; `warnings` e.g. when a backend ignored a time limit
 * or warm start.
 */
export type LpResult = (SolvedResult<LpSolution> | UnsolvedResult) & { stats: LpStats };

/** What a backend can prove or honour; the layer never claims more than this. */
export interface BackendCapabilities {
  name: BackendName;
  /** Reports a proven MIP dual bound (and so a gap) when stopped early. */
  bound: boolean;
  /**
   * `native`: the solver stops itself at the limit and keeps its incumbent; `external`:
   * the layer stops it (jslp: its branch-and-cut timeout, then the worker running it is
   * killed shortly after the limit, losing any incumbent).
   */
  timeLimit: 'native' | 'external';
  /** `during`: interrupts a running solve; `before`: only checked before the solve starts. */
  abort: 'during' | 'before';
  /** Uses a given starting point. */
  warmStart: boolean;
  /** Returns row duals for LPs. */
  duals: boolean;
  /** Reports incumbent/bound progress while solving. */
  progress: boolean;
  notes: string;
}
