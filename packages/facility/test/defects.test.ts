import { describe, expect, it } from 'vitest';
import { createPlacementModel } from '@emplace/core';
import { solveSscfl } from '../src/index.js';
import { bruteSingleSource } from './helpers.js';

describe('sscfl statuses say what is known (issue 13)', () => {
  /** Three sites opening at 10 and seven clients: the shape random search found both cases in. */
  const threeBySeven = (demand: number[], capacity: number[], cost: number[]) => createPlacementModel({ sites: 3, clients: 7, demand, capacity, openingCost: [10, 10, 10], cost });
  // Found by random search: the heuristics find no single-source packing, the MIP does.
  const feasible = threeBySeven([6, 8, 4, 4, 1, 3, 3], [10, 11, 10], [15, 15, 1, 10, 9, 7, 1, 12, 20, 18, 18, 3, 7, 13, 16, 20, 5, 13, 8, 2, 16]);
  const infeasible = threeBySeven([9, 8, 6, 2, 8, 8, 1], [15, 14, 14], [12, 20, 16, 8, 8, 6, 11, 17, 10, 11, 5, 4, 16, 12, 5, 20, 15, 11, 10, 14, 14]);

  it('auto and lagrangian run the MIP when the heuristics find nothing', async () => {
    const truth = bruteSingleSource(feasible);
    expect(truth).toBe(91);
    for (const method of ['auto', 'branch-and-bound', 'lagrangian', 'greedy', 'local-search'] as const) {
      const r = await solveSscfl(feasible, { method });
      expect(r.status, method).toBe('optimal');
      expect(r.objective).toBe(truth);
    }
  });

  it('infeasible instances are proven infeasible, never no-solution + converged', async () => {
    expect(bruteSingleSource(infeasible)).toBe(Infinity);
    for (const method of ['auto', 'branch-and-bound', 'lagrangian', 'greedy', 'local-search', 'mip'] as const) {
      const r = await solveSscfl(infeasible, { method });
      expect(r.status, method).toBe('infeasible');
      if (r.status !== 'infeasible') throw new Error(r.status);
      expect(r.certificate?.reason).toBeTruthy();
    }
  });
});
