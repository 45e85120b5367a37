/**
 * Pareto dominance for minimised objectives. `a` dominates `b` when it is no worse in
 * every objective and strictly better in one.
 */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strictly = false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** Dominance between rows i and j of a flat `n x m` array: 1 if i dominates j, -1 if j dominates i, 0 otherwise. */
export function compareRows(values: Float64Array, m: number, i: number, j: number): -1 | 0 | 1 {
  let iBetter = false;
  let jBetter = false;
  const oi = i * m;
  const oj = j * m;
  for (let k = 0; k < m; k++) {
    const x = values[oi + k]!;
    const y = values[oj + k]!;
    if (x < y) iBetter = true;
    else if (y < x) jBetter = true;
    if (iBetter && jBetter) return 0;
  }
  if (iBetter) return 1;
  if (jBetter) return -1;
  return 0;
}

/** Weak dominance (no worse everywhere). */
export function weaklyDominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let k = 0; k < a.length; k++) if (a[k]! > b[k]!) return false;
  return true;
}

/**
 * Deb's feasibility rules: a feasible solution beats an infeasible one; of two infeasible
 * ones the smaller total violation wins; of two feasible ones Pareto dominance decides.
 * Returns 1 if (fa, va) is better, -1 if (fb, vb) is better, 0 if neither.
 */
export function constrainedCompare(fa: ArrayLike<number>, va: number, fb: ArrayLike<number>, vb: number): -1 | 0 | 1 {
  if (va <= 0 && vb > 0) return 1;
  if (vb <= 0 && va > 0) return -1;
  if (va > 0 && vb > 0) return va < vb ? 1 : vb < va ? -1 : 0;
  if (dominates(fa, fb)) return 1;
  if (dominates(fb, fa)) return -1;
  return 0;
}
