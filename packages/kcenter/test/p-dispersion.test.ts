import { createPlacementModel } from '@emplace/core';
import { pDispersionExact, pDispersionGreedy } from '@emplace/kcenter';
import fc from 'fast-check';
import { allSubsets, caseArb, exactAndGreedy } from './coverage-helpers.js';
import { solved } from './helpers.js';
import { describe, expect, it } from 'vitest';

describe('p-dispersion', () => {
  it('exact equals brute force; greedy is within 2 on Euclidean data with a valid upper bound', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ square: true }), async ({ model, k }) => {
        const n = model.nSites;
        let opt = -Infinity;
        let nMust = 0;
        let nOpenable = 0;
        for (let s = 0; s < n; s++) { nMust += model.mustOpen[s]!; nOpenable += model.forbidden[s] ? 0 : 1; }
        const disp = (set: readonly number[]): number => {
          let v = Infinity;
          for (let a = 0; a < set.length; a++) for (let b = a + 1; b < set.length; b++) v = Math.min(v, model.cost[set[a]! * n + set[b]!]!);
          return v;
        };
        for (const set of allSubsets(model)) if (set.length === k) opt = Math.max(opt, disp(set));
        const ex = await pDispersionExact(model, { k });
        const gr = pDispersionGreedy(model, { k });
        if (nMust > k || nOpenable < k) {
          expect(ex.status).toBe('infeasible');
          expect(gr.status).toBe('infeasible');
          return;
        }
        const { g, pairs } = exactAndGreedy(model, ex, gr, opt);
        for (const { r, open } of pairs) {
          expect(new Set(open).size).toBe(k);
          expect(r.objective).toBeCloseTo(disp(open), 9);
          for (const s of open) expect(model.forbidden[s]).toBe(0);
        }
        expect(g.objective).toBeLessThanOrEqual(opt + 1e-9);
        expect(g.objective).toBeGreaterThanOrEqual(opt / 2 - 1e-9);
        if (g.bound !== undefined) expect(g.bound).toBeGreaterThanOrEqual(opt - 1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('asks for site distances when sites are not clients', () => {
    const model = createPlacementModel({ sites: 3, clients: 2, cost: [[1, 2], [3, 4], [5, 6]] });
    expect(() => pDispersionGreedy(model, { k: 2 })).toThrow(/options\.siteDistance/);
    const r = solved(pDispersionGreedy(model, { k: 2, siteDistance: [0, 1, 5, 1, 0, 2, 5, 2, 0] }));
    expect(r.objective).toBe(5);
  });
});
