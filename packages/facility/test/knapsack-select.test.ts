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
          if (prep.kind !== 'ok') return;
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

/**
 * The heuristic screen of the CFL search (issue 17): for any multipliers v, sum_j v_j plus the
 * Lagrangian costs rho_i of the sites of O bounds the split-demand optimum with exactly O open.
 */
describe('Lagrangian set bound', () => {
  it('sum v + sum_{i in O} rho_i <= the exact cost of O, for every O and random v', async () => {
    const { CflEvaluator } = await import('../src/capacitated.js');
    const { unitCosts } = await import('../src/problem.js');
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1e9 }), (nS, nC, seed) => {
        let s = seed;
        const rnd = (k: number): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return s % k;
        };
        const model = createPlacementModel({
          sites: Array.from({ length: nS }, () => ({ openingCost: rnd(100), capacity: 5 + rnd(40) })),
          clients: Array.from({ length: nC }, () => ({ demand: rnd(15) })),
          cost: Array.from({ length: nS * nC }, () => rnd(50)),
        });
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const lr = new LagrangianRelaxation(pr);
        const v = Float64Array.from({ length: nC }, () => rnd(80));
        lr.evaluate(v, new Int8Array(nS).fill(-1));
        let sumV = 0;
        for (const x of v) sumV += x;
        const ev = new CflEvaluator(pr, unitCosts(pr));
        for (let mask = 1; mask < 1 << nS; mask++) {
          const open = Uint8Array.from({ length: nS }, (_, i) => (mask >> i) & 1);
          const exact = ev.value(open);
          if (!Number.isFinite(exact)) continue;
          let lb = sumV;
          for (let i = 0; i < nS; i++) if (open[i]) lb += lr.rho[i]!;
          expect(lb).toBeLessThanOrEqual(exact + 1e-9 * Math.max(1, Math.abs(exact)));
        }
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * evaluate collects each site's knapsack items by walking every client's sites in cost order
 * (issue 17: work in the number of items with c_ij < v_j, not S x C); the site costs and the
 * subgradient must be those of the per-site scan, bit for bit (the general CFL branch-and-bound
 * relies on the same sums), zero demands and ties included.
 */
describe('CFL Lagrangian evaluation by client walks', () => {
  it('rho and g equal the per-site knapsack scan exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e9 }), (nS, nC, seed) => {
        let s = seed;
        const rnd = (k: number): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return s % k;
        };
        const model = createPlacementModel({
          sites: Array.from({ length: nS }, () => ({ openingCost: rnd(100), capacity: rnd(40) })),
          clients: Array.from({ length: nC }, () => ({ demand: rnd(8) })),
          cost: Array.from({ length: nS * nC }, () => rnd(30)),
        });
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const lr = new LagrangianRelaxation(pr);
        const v = Float64Array.from({ length: nC }, () => rnd(40) + rnd(4) / 3);
        const L = lr.evaluate(v, new Int8Array(nS).fill(-1));
        if (L === Infinity) return;
        const rho = Float64Array.from(lr.rho);
        const g = Float64Array.from(lr.g);
        const sel = Uint8Array.from(lr.sel);
        const want = new Float64Array(nC).fill(1);
        for (let i = 0; i < nS; i++) {
          const k = lr.knapsack(i, v, sel[i] ? want : null);
          expect(rho[i]).toBe(pr.forbidden[i] ? Infinity : pr.f[i]! + k);
        }
        for (let j = 0; j < nC; j++) expect(g[j]).toBe(want[j]);
      }),
      { numRuns: 300 },
    );
  });
});
