import { createPlacementModel, hasSolution } from '@emplace/core';
import { capacitatedGreedy, exact } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForce, smallInstance, solved } from './helpers.js';

describe('capacitated', () => {
  it('exact equals brute force; the greedy is feasible and never below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxClients: 7, maxSites: 5 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 7, maxLength: 7 }), async ({ model: base, k }, caps) => {
        const model = createPlacementModel({
          sites: Array.from({ length: base.nSites }, (_, s) => ({ capacity: caps[s % 7]! })),
          clients: base.nClients,
          cost: base.cost,
        });
        const opt = bruteForce(model, k, { capacitated: true });
        const e = await exact(model, { k });
        if (opt === Infinity) {
          expect(['infeasible', 'no-solution']).toContain(e.status);
          return;
        }
        const es = solved(e);
        expect(es.status).toBe('optimal');
        expect(es.objective).toBeCloseTo(opt, 9);
        // Unit demands and integer capacities: every client has one site within the radius.
        const load = new Float64Array(model.nSites);
        for (let j = 0; j < model.nClients; j++) load[es.solution.assignment[j]!]! += 1;
        for (let s = 0; s < model.nSites; s++) expect(load[s]).toBeLessThanOrEqual(model.capacity[s]!);
        const g = capacitatedGreedy(model, { k });
        if (hasSolution(g)) {
          expect(g.objective).toBeGreaterThanOrEqual(opt - 1e-9);
          expect(g.bound!).toBeLessThanOrEqual(opt + 1e-9);
        }
      }),
      { numRuns: 25 },
    );
  });
});
