import { describe, expect, it } from 'vitest';
import { hasSolution } from '@emplace/core';
import { checkSolution, solveSscfl } from '@emplace/facility';
import { generateCornuejols } from '../../../benchmarks/facility/generate.js';

describe('single-source branch-and-bound: reduced-cost fixing from the Lagrangian value itself', () => {
  // Regression: the fixing tests added the cost of a fixing to the node bound (rounded up to
  // the objective granule, and at least the parent's bound) instead of the Lagrangian value
  // at the current multipliers, and closed sites / banned pairs that the optimum used:
  // auto and branch-and-bound said optimal 14854 here (and 15829 on the 50 x 100 ratio-5 one).
  // HiGHS native (scipy milp) proves 14853.
  it('proves 14853 on corn-30x100-r4.0-s2, the HiGHS optimum', async () => {
    const model = generateCornuejols(30, 100, 4, 30_101);
    const r = await solveSscfl(model, { method: 'branch-and-bound', timeLimitMs: 120_000 });
    expect(r.status).toBe('optimal');
    expect(hasSolution(r) ? r.objective : null).toBe(14853);
    if (hasSolution(r)) expect(checkSolution(model, 'sscfl', r.solution).violations).toEqual([]);
  });
});
