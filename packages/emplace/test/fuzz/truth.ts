import type { Result, Sense } from '@emplace/core';

/** The true answer of a small instance, from enumeration (or an independent MIP). */
export type Truth = { feasible: false } | { feasible: true; value: number };

/**
 * What is wrong with a result against the truth: `optimal` must equal the optimum, `feasible`
 * must not beat it, `infeasible` must be true, a bound must be on the right side of the
 * optimum, and a solvable instance must not be called infeasible.
 */
export function truthProblems(result: Result<unknown>, truth: Truth, sense: Sense): string[] {
  const problems: string[] = [];
  if (result.sense !== sense) problems.push(`sense ${result.sense}, expected ${sense}`);
  const tol = (v: number): number => 1e-6 * (1 + Math.abs(v));
  if (!truth.feasible) {
    if (result.status === 'optimal' || result.status === 'feasible') problems.push(`${result.status} ${result.objective} on an infeasible instance`);
    return problems;
  }
  const best = truth.value;
  if (result.status === 'infeasible') problems.push(`infeasible, but the optimum is ${best}`);
  if (result.status === 'unbounded') problems.push(`unbounded, but the optimum is ${best}`);
  if (result.status === 'optimal' && Math.abs(result.objective - best) > tol(best)) problems.push(`optimal ${result.objective}, but the optimum is ${best}`);
  if (result.status === 'feasible') {
    const beats = sense === 'min' ? result.objective < best - tol(best) : result.objective > best + tol(best);
    if (beats) problems.push(`feasible ${result.objective} beats the optimum ${best} (objective not of a valid solution)`);
  }
  if (result.bound !== undefined && Number.isFinite(result.bound)) {
    const wrong = sense === 'min' ? result.bound > best + tol(best) : result.bound < best - tol(best);
    if (wrong) problems.push(`bound ${result.bound} is not valid: the optimum is ${best} (${sense})`);
  }
  return problems;
}

/** Calls `visit` with every subset of 0..n-1 as a bitmask (n <= 20). */
export function forEachSubset(n: number, visit: (mask: number) => void): void {
  for (let mask = 0; mask < 1 << n; mask++) visit(mask);
}

export function popcount(mask: number): number {
  let c = 0;
  for (let m = mask; m !== 0; m &= m - 1) c++;
  return c;
}

/** Every assignment of n items to m choices (m^n, small n), as an array reused between calls. */
export function forEachAssignment(n: number, m: number, visit: (a: readonly number[]) => void): void {
  const a = new Array<number>(n).fill(0);
  for (;;) {
    visit(a);
    let j = 0;
    while (j < n && a[j] === m - 1) a[j++] = 0;
    if (j === n) return;
    a[j]!++;
  }
}

export function better(sense: Sense, a: number, b: number | undefined): boolean {
  return b === undefined || (sense === 'min' ? a < b : a > b);
}

export function truthOf(value: number | undefined): Truth {
  return value === undefined ? { feasible: false } : { feasible: true, value };
}
