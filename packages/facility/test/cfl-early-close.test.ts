import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel } from '@emplace/core';
import { solveCfl } from '@emplace/facility';
import { CflEvaluator } from '../src/capacitated.js';
import { prepareProblem, unitCosts } from '../src/problem.js';

/**
 * Issue 17: the Lagrangian search stops a node's subgradient once reduced-cost fixing decides
 * every free site, and closes the node by the leaf's exact evaluation. auto (and
 * branch-and-bound) must still prove the optimum: checked against the enumeration of every
 * open set (a transportation each) on random instances with binding capacities.
 */
describe('CFL auto with early node closing equals enumeration', () => {
  it('optimal status, optimum value, bound = optimum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 1e9 }), async (nS, nC, seed) => {
        let s = seed;
        const rnd = (k: number): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return (s >>> 8) % k;
        };
        const demand = Array.from({ length: nC }, () => 1 + rnd(30));
        const total = demand.reduce((a, b) => a + b, 0);
        const model = createPlacementModel({
          sites: Array.from({ length: nS }, () => ({ openingCost: 50 + rnd(400), capacity: Math.ceil((total * (1 + rnd(3))) / nS) + rnd(20) })),
          clients: demand.map((d) => ({ demand: d })),
          cost: Array.from({ length: nS * nC }, () => rnd(200) * 1.5),
        });
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const ev = new CflEvaluator(pr, unitCosts(pr));
        let best = Infinity;
        for (let mask = 1; mask < 1 << nS; mask++) best = Math.min(best, ev.value(Uint8Array.from({ length: nS }, (_, i) => (mask >> i) & 1)));
        for (const method of ['auto', 'branch-and-bound'] as const) {
          const r = await solveCfl(model, { method });
          if (!Number.isFinite(best)) {
            expect(r.status).toBe('infeasible');
            continue;
          }
          expect(r.status).toBe('optimal');
          expect(r.objective!).toBeCloseTo(best, 6);
          expect(r.bound!).toBeLessThanOrEqual(best + 1e-7 * Math.max(1, best));
        }
      }),
      { numRuns: 80 },
    );
  });
});
