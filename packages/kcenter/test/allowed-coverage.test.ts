import { createPlacementModel } from '@emplace/core';
import { exact, gonzalez, hochbaumShmoys } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Fuzz finding F4: `allowed` excluded the heuristics' centre for some client, and they said feasible Infinity. */
describe('gonzalez and hochbaum-shmoys honour allowed', () => {
  const cases = [
    { cost: [[12, 25, 14], [12, 26, 19]], allowed: [[1, 0, 1], [1, 1, 1]], radius: 26 },
    { cost: [[22, 26], [19, 4]], allowed: [[1, 1], [1, 0]], radius: 26 },
  ];
  for (const [i, c] of cases.entries()) {
    it(`case ${i}: opens the only site that covers every client`, async () => {
      const model = createPlacementModel({ sites: c.cost.length, clients: c.cost[0]!.length, cost: c.cost, allowed: c.allowed });
      for (const method of [gonzalez, hochbaumShmoys]) {
        for (const seed of [1, 2, 3, 4]) {
          const r = method(model, { k: 1, seed });
          expect(['feasible', 'optimal']).toContain(r.status);
          if (r.status !== 'feasible' && r.status !== 'optimal') continue;
          expect(r.objective).toBe(c.radius);
          expect(r.bound ?? 0).toBeLessThanOrEqual(r.objective);
        }
      }
    });
  }

  it('never answers a solution with an infinite radius, and is never better than exact (random allowed masks)', async () => {
    const inst = fc
      .record({ nS: fc.integer({ min: 2, max: 5 }), nC: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 1, max: 3 }) })
      .chain(({ nS, nC, k }) =>
        fc.record({
          k: fc.constant(Math.min(k, nS)),
          cost: fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: nC, maxLength: nC }), { minLength: nS, maxLength: nS }),
          allowed: fc.array(fc.array(fc.constantFrom(0, 1, 1), { minLength: nC, maxLength: nC }), { minLength: nS, maxLength: nS }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(inst, async ({ k, cost, allowed }) => {
        const model = createPlacementModel({ sites: cost.length, clients: cost[0]!.length, cost, allowed });
        const best = await exact(model, { k });
        for (const method of [gonzalez, hochbaumShmoys]) {
          const r = method(model, { k, seed: 7 });
          if (r.status === 'feasible' || r.status === 'optimal') {
            expect(Number.isFinite(r.objective)).toBe(true);
            if (best.status === 'optimal') expect(r.objective).toBeGreaterThanOrEqual(best.objective);
          } else if (best.status === 'optimal') expect(r.status).toBe('no-solution');
          else expect(['infeasible', 'no-solution']).toContain(r.status);
        }
      }),
      { numRuns: 200 },
    );
  });
});
