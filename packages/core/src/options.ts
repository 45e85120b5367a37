import type { Sense } from './result.js';

/** Options every solver accepts (DESIGN.md §3). Family-specific options extend this. */
export interface SolveOptions {
  /** Wall-clock budget in milliseconds. On expiry the best solution so far is returned. */
  timeLimitMs?: number | undefined;
  /** Cooperative cancellation; on abort the best solution so far is returned with `stoppedBy: 'aborted'`. */
  signal?: AbortSignal | undefined;
  /** Seed of every random choice; the same seed gives the same answer. Default 1. */
  seed?: number | undefined;
  /** Progress callback, throttled to at most one call per `progressIntervalMs` (phase changes always pass). */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Minimum interval between two progress events, in ms. Default 100. */
  progressIntervalMs?: number | undefined;
  /**
   * Called with the best solution so far (in the method's domain terms, the same shape as
   * `Result.solution`) and its objective, by methods that report incumbents, at most once per
   * `incumbentIntervalMs` (the first always passes); `sense` says which way the objective improves. The solver pool uses it so that a worker
   * it has to kill still returns its incumbent. The solution may share arrays with the solver's
   * state and change after the call returns: copy what you keep.
   */
  onIncumbent?: ((solution: unknown, objective: number, sense: Sense) => void) | undefined;
  /** Minimum interval between two incumbent reports, in ms. Default 100 (10 per second). */
  incumbentIntervalMs?: number | undefined;
  /** Relative optimality tolerance for exact methods. Default 1e-9. */
  tolerance?: number | undefined;
  /** Method name (family-specific, see each package) or `auto`. */
  method?: string | undefined;
  /**
   * Memory budget of the call in bytes (default: the process-wide limit, 2 GiB, see
   * setMemoryLimit). Inputs whose estimated working memory exceeds it are refused with a
   * ModelError before anything large is allocated.
   */
  maxMemoryBytes?: number | undefined;
}

/** What a solver reports while it runs. */
export interface ProgressEvent {
  method: string;
  /** Short name of what the solver is doing, e.g. `greedy`, `local-search`, `lagrangian`, `branch-and-bound`. */
  phase: string;
  elapsedMs: number;
  /** Objective of the best solution so far. */
  incumbent?: number | undefined;
  /** Best proven bound so far (lower for minimisation). */
  bound?: number | undefined;
  /** Relative gap between incumbent and bound. */
  gap?: number | undefined;
  iterations?: number | undefined;
  /** Fraction of the work done, in [0, 1], when the method knows it. */
  fraction?: number | undefined;
  message?: string | undefined;
}
