import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel } from '@emplace/core';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem } from '../src/problem.js';

/** Sort-based continuous knapsack min sum_j (c_ij - v_j) x_j, sum_j d_j x_j <= cap, 0 <= x <= 1. */
function reference(c: number[], v: number[], d: number[], cap: number): number {
  const items = c.map((cj, j) => ({ w: cj - v[j]!, d: d[j]! })).filter((it) => it.w < 0);
  let value = 0;
  for (const it of items) if (it.d === 0) value += it.w;
  const pos = items.filter((it) => it.d > 0).sort((a, b) => a.w / a.d - b.w / b.d);
  let room = cap;
  for (const it of pos) {
    if (room <= 0) break;
    const take = Math.min(1, room / it.d);
    value += take * it.w;
    room -= take * it.d;
  }
  return value;
}

/** The weighted quickselect of the CFL Lagrangian knapsack (issue 17) against a sort. */
describe('CFL Lagrangian knapsack by weighted selection', () => {
  it('equals the sorted greedy on random items, ties and zero demands included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((nC) =>
          fc.record({
            cost: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2 * nC, maxLength: 2 * nC }),
            v: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: nC, maxLength: nC }),
            d: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: nC, maxLength: nC }),
            cap: fc.integer({ min: 0, max: 60 }),
          }),
        ),
        ({ cost, v, d, cap }) => {
          const nC = v.length;
          const model = createPlacementModel({ sites: [{ capacity: cap }, { capacity: 1e9 }], clients: d.map((demand) => ({ demand })), cost });
          const prep = prepareProblem(model, 'cfl');
          if (!prep.ok) return;
          const lr = new LagrangianRelaxation(prep.problem);
          const vv = Float64Array.from(v);
          const got = lr.knapsack(0, vv, null);
          const want = reference(cost.slice(0, nC), v, d, cap);
          expect(got).toBeCloseTo(want, 9);
          // The subgradient pass (cached threshold) takes the same amounts.
          const g = new Float64Array(nC).fill(1);
          expect(lr.knapsack(0, vv, g)).toBeCloseTo(want, 9);
          let load = 0;
          for (let j = 0; j < nC; j++) load += (1 - g[j]!) * d[j]!;
          expect(load).toBeLessThanOrEqual(cap + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
