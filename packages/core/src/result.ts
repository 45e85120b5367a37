/**
 * The Result envelope every solver returns (DESIGN.md §3), a discriminated union on
 * `status`: narrowing on `status === 'optimal' || status === 'feasible'` gives a typed
 * `solution` and `objective`.
 */

export type Sense = 'min' | 'max';

export type Status = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'no-solution';

export type StoppedBy = 'converged' | 'time-limit' | 'iteration-limit' | 'aborted';

/** What a method promises about the value it returns. */
export type Guarantee =
  | { kind: 'exact' }
  /** objective <= ratio x optimum (min) or >= optimum / ratio (max), under `assumes` (e.g. 'metric'). */
  | { kind: 'approximation'; ratio: number; assumes?: string }
  /** Randomised estimate: the true value lies in the reported interval with this probability. */
  | { kind: 'probabilistic'; confidence: number }
  | { kind: 'heuristic' };

export interface Stats {
  method: string;
  elapsedMs: number;
  iterations?: number;
  [counter: string]: string | number | boolean | undefined;
}

/** Why a problem has no solution, in terms of the model: the constraint or field at fault. */
export interface Certificate {
  reason: string;
  /** Field, constraint or entity names that prove it, e.g. `clients[4]` or `affinity[2]`. */
  fields?: string[];
}

interface ResultBase {
  sense: Sense;
  /** A proven bound on the optimum (lower for min, upper for max) when the method gives one. */
  bound?: number;
  /** Relative gap |objective - bound| / max(1e-9, |objective|). */
  gap?: number;
  stoppedBy: StoppedBy;
  stats: Stats;
  guarantee: Guarantee;
  /** Things the caller should know: assumptions that failed (e.g. non-metric input), clipped options. */
  warnings?: string[];
}

export interface SolvedResult<S> extends ResultBase {
  status: 'optimal' | 'feasible';
  solution: S;
  /** Value of `solution`, recomputed from the model (never trusted from a backend). */
  objective: number;
}

export interface UnsolvedResult extends ResultBase {
  status: 'infeasible' | 'unbounded' | 'no-solution';
  solution?: undefined;
  objective?: undefined;
  certificate?: Certificate;
}

export type Result<S> = SolvedResult<S> | UnsolvedResult;

/** True when the result carries a solution. */
export function hasSolution<S>(result: Result<S>): result is SolvedResult<S> {
  return result.status === 'optimal' || result.status === 'feasible';
}

/** Relative gap between an objective and a bound; 0 when they agree. */
export function relativeGap(objective: number, bound: number): number {
  if (!Number.isFinite(objective) || !Number.isFinite(bound)) return Infinity;
  const diff = Math.abs(objective - bound);
  if (diff === 0) return 0;
  return diff / Math.max(1e-9, Math.abs(objective));
}

/** The better of two objective values under a sense. */
export function better(sense: Sense, a: number, b: number): boolean {
  return sense === 'min' ? a < b : a > b;
}
