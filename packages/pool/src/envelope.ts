import { relativeGap, type ProgressEvent, type Result, type Sense, type StoppedBy } from '@emplace/core';

/** What the host heard from a worker before it had to be stopped. */
export interface Heard {
  method: string;
  startedAt: number;
  /** Latest progress event (its bound is kept when it is on the right side). */
  lastProgress?: ProgressEvent | undefined;
  /** The latest incumbent solution the worker reported (a copy owned by the host). */
  incumbent?: { solution: unknown; objective: number; sense: Sense } | undefined;
}

/**
 * The envelope of a job the pool answers itself (its worker did not answer in time, or it
 * never ran): the latest incumbent the worker reported, `feasible` with no proof, or
 * `no-solution` without one. `stats.workerAnswered: false` tells it from a worker's own result.
 */
export function hostAnswer(heard: Heard, stoppedBy: StoppedBy, why: string): Result<unknown> {
  const p = heard.lastProgress;
  const inc = heard.incumbent;
  const stats = { method: heard.method, elapsedMs: performance.now() - heard.startedAt, workerAnswered: false };
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
      warnings: [why, `the result is the last incumbent the worker reported (objective ${inc.objective})`],
    };
  }
  const warnings = [why];
  if (p?.incumbent !== undefined) warnings.push(`the worker had reported an incumbent of objective ${p.incumbent} (phase ${p.phase}), but not its solution (this method does not report incumbent solutions)`);
  const result: Result<unknown> = { status: 'no-solution', sense: 'min', stoppedBy, stats, guarantee, warnings };
  if (p?.bound !== undefined && Number.isFinite(p.bound)) result.bound = p.bound;
  return result;
}
