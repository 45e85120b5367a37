import { EmplaceError, type Result } from '@emplace/core';

const STATUSES = new Set(['optimal', 'feasible', 'infeasible', 'unbounded', 'no-solution']);
const STOPS = new Set(['converged', 'time-limit', 'iteration-limit', 'aborted']);

/**
 * What is wrong with an envelope by docs/concepts.md alone (no knowledge of the truth):
 * statuses that contradict their fields, non-finite objectives called solutions,
 * `no-solution` without a limit, a bound on the wrong side of the objective. [] when sound.
 */
export function envelopeProblems(result: Result<unknown>): string[] {
  const problems: string[] = [];
  const r = result as Result<unknown> & { certificate?: unknown };
  if (!STATUSES.has(r.status)) problems.push(`status ${String(r.status)}`);
  if (!STOPS.has(r.stoppedBy)) problems.push(`stoppedBy ${String(r.stoppedBy)}`);
  if (r.sense !== 'min' && r.sense !== 'max') problems.push(`sense ${String(r.sense)}`);
  if (r.status === 'optimal' || r.status === 'feasible') {
    if (r.solution === undefined) problems.push(`${r.status} without a solution`);
    if (typeof r.objective !== 'number' || !Number.isFinite(r.objective)) problems.push(`${r.status} with objective ${String(r.objective)}`);
  } else {
    if (r.solution !== undefined) problems.push(`${r.status} with a solution`);
    if (r.objective !== undefined) problems.push(`${r.status} with objective ${String(r.objective)}`);
  }
  if (r.status === 'no-solution' && r.stoppedBy === 'converged') problems.push('no-solution with stoppedBy converged (no limit was hit: the status should say what is known)');
  if (r.bound !== undefined) {
    if (Number.isNaN(r.bound)) problems.push('bound is NaN');
    else if (typeof r.objective === 'number' && Number.isFinite(r.objective) && Number.isFinite(r.bound)) {
      const slack = 1e-6 * Math.max(1, Math.abs(r.objective));
      const wrongSide = r.sense === 'min' ? r.bound > r.objective + slack : r.bound < r.objective - slack;
      if (wrongSide) problems.push(`bound ${r.bound} on the wrong side of objective ${r.objective} (${r.sense})`);
      if (r.status === 'optimal' && Math.abs(r.bound - r.objective) > 1e-4 * Math.max(1, Math.abs(r.objective))) {
        problems.push(`optimal with objective ${r.objective} but bound ${r.bound}`);
      }
    }
  }
  if (r.gap !== undefined && (Number.isNaN(r.gap) || r.gap < -1e-9)) problems.push(`gap ${r.gap}`);
  if (typeof r.stats?.elapsedMs !== 'number' || !Number.isFinite(r.stats.elapsedMs)) problems.push('stats.elapsedMs not finite');
  return problems;
}

/** A thrown value that is a deliberate, typed rejection (ModelError, FormatError, ...). */
export function isDeliberate(err: unknown): boolean {
  return err instanceof EmplaceError;
}

/** What is wrong with an error message: more than one line, an internal error, no reason. */
export function messageProblems(message: string): string[] {
  const problems: string[] = [];
  const text = message.trim();
  if (text.length === 0) problems.push('empty message');
  if (text.includes('\n')) problems.push('more than one line');
  if (/internal error|TypeError|RangeError|ReferenceError|Cannot read properties|is not a function|Maximum call stack|undefined is not|\bat .*\.ts:\d+/.test(text)) {
    problems.push('an internal error, not a reason');
  }
  return problems;
}
