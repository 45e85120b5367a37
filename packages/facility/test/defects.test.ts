import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng } from '@emplace/core';
import { solvePMedian, solveSscfl } from '../src/index.js';
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

describe('p-median statuses with allowed pairs say what is known (issue 13 audit)', () => {
  /** Optimum over every set of exactly p sites (Infinity: no p sites serve every client). */
  const bruteP = (S: number, C: number, cost: number[][], allowed: number[][], p: number): number => {
    let best = Infinity;
    for (let mask = 0; mask < 1 << S; mask++) {
      let bits = 0;
      for (let i = 0; i < S; i++) if (mask & (1 << i)) bits++;
      if (bits !== p) continue;
      let total = 0;
      for (let j = 0; j < C && total < Infinity; j++) {
        let m = Infinity;
        for (let i = 0; i < S; i++) if (mask & (1 << i) && allowed[i]![j]) m = Math.min(m, cost[i]![j]!);
        total += m;
      }
      best = Math.min(best, total);
    }
    return best;
  };

  it('the audit case: greedy, interchange and lagrangian prove infeasible like mip (was no-solution + converged)', async () => {
    const model = createPlacementModel({ sites: 2, clients: 4, cost: [[4, 3, 13, 5], [17, 23, 17, 25]], allowed: [[0, 1, 0, 1], [1, 0, 1, 0]] });
    for (const method of ['auto', 'greedy', 'interchange', 'lagrangian', 'branch-and-bound', 'mip'] as const) {
      const r = await solvePMedian(model, { method, p: 1 });
      expect(r.status, method).toBe('infeasible');
    }
  });

  it('random small instances: infeasible exactly when no p sites cover, the exact methods at the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (S, C, p, seed) => {
        const r = new Rng(seed);
        const cost = Array.from({ length: S }, () => Array.from({ length: C }, () => 1 + Math.floor(r.next() * 20)));
        const allowed = Array.from({ length: S }, () => Array.from({ length: C }, () => (r.next() < 0.5 ? 1 : 0)));
        // Every client keeps one allowed site (otherwise the model check itself refuses it).
        for (let j = 0; j < C; j++) if (allowed.every((row) => !row[j])) allowed[Math.floor(r.next() * S)]![j] = 1;
        const model = createPlacementModel({ sites: S, clients: C, cost, allowed });
        const truth = bruteP(S, C, cost, allowed, Math.min(p, S));
        for (const method of ['auto', 'greedy', 'interchange', 'lagrangian', 'branch-and-bound', 'mip'] as const) {
          const res = await solvePMedian(model, { method, p: Math.min(p, S) });
          if (truth === Infinity) expect(res.status, method).toBe('infeasible');
          else {
            expect(['optimal', 'feasible'], method).toContain(res.status);
            if (res.status === 'optimal' || method === 'auto' || method === 'mip' || method === 'branch-and-bound') expect(res.objective, method).toBeCloseTo(truth, 6);
          }
        }
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});
