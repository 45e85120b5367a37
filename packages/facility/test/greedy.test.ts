import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { solveUfl } from '@emplace/facility';
import { bruteUncapacitated } from './helpers.js';

describe('JMS greedy', () => {
  it('greedy (JMS) stays within 1.61 of the optimum on metric instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 7, maxLength: 7 }),
        async (nS, nC, pts, f) => {
          // Sites and clients are points; costs are Euclidean distances (a metric).
          const cost: number[] = [];
          for (let i = 0; i < nS; i++) for (let j = 0; j < nC; j++) cost.push(Math.hypot(pts[i]![0] - pts[8 + (j % 8)]![0], pts[i]![1] - pts[8 + (j % 8)]![1]));
          const m = createPlacementModel({ sites: f.slice(0, nS).map((x) => ({ openingCost: x })), clients: nC, cost });
          const opt = bruteUncapacitated(m);
          const r = await solveUfl(m, { method: 'greedy' });
          expect(hasSolution(r)).toBe(true);
          expect(r.objective!).toBeLessThanOrEqual(1.61 * opt + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });
});
