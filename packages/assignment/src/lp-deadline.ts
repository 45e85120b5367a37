import type { SolveRun } from '@emplace/core';
import type { LpResult } from '@emplace/lp';

/**
 * Runs an LP/MIP solve that must end by the run's deadline. The LP layer gets the remaining
 * time as its own limit, but HiGHS overshoots it (loading the model into its worker, presolve):
 * replicas:exact ended 0.6-1.1 s late on a 1 s limit (issue 13 responsiveness sweep). An abort
 * at the deadline, merged with the caller's signal, stops the backend within milliseconds and
 * keeps its incumbent; a stop caused by the deadline alone is reported as `time-limit`.
 */
export async function solveLpByDeadline(run: SolveRun, signal: AbortSignal | undefined, solve: (signal: AbortSignal | undefined, remainingMs: number) => Promise<LpResult>): Promise<LpResult> {
  const remaining = run.remainingMs();
  if (remaining === Infinity) return solve(signal, remaining);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), Math.max(0, remaining));
  const forward = (): void => ctl.abort();
  if (signal?.aborted) ctl.abort();
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const sol = await solve(ctl.signal, remaining);
    return sol.stoppedBy === 'aborted' && !signal?.aborted ? { ...sol, stoppedBy: 'time-limit' } : sol;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}
