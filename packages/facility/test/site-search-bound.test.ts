import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel } from '@emplace/core';
import { CflEvaluator, siteLocalSearch, uncapacitatedBound, uncapacitatedBounder } from '../src/capacitated.js';
import { prepareProblem, unitCosts } from '../src/problem.js';

/**
 * The lower-bound screen of the site local search (issue 17: fewer transportations on small
 * CFL): it may only skip candidates that could not be accepted, so the search follows the
 * same moves and ends at the same open set and value, with no more exact evaluations.
 */
describe('siteLocalSearch lower-bound screen', () => {
  const arb = fc.record({ nS: fc.integer({ min: 2, max: 9 }), nC: fc.integer({ min: 1, max: 12 }), seed: fc.integer({ min: 1, max: 1e9 }) });
  it('same result as without the screen, never more evaluations; the bound is below every transportation', () => {
    fc.assert(
      fc.property(arb, ({ nS, nC, seed }) => {
        let s = seed;
        const rnd = (k: number): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return s % k;
        };
        const model = createPlacementModel({
          sites: Array.from({ length: nS }, () => ({ openingCost: rnd(120), capacity: 10 + rnd(50) })),
          clients: Array.from({ length: nC }, () => ({ demand: rnd(20) })),
          cost: Array.from({ length: nS * nC }, () => rnd(60)),
        });
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const start = new Uint8Array(nS).fill(1);
        const plain = new CflEvaluator(pr, unitCosts(pr));
        const screened = new CflEvaluator(pr, unitCosts(pr));
        const a = siteLocalSearch(pr, start, (o) => plain.value(o), () => false);
        const b = siteLocalSearch(pr, start, (o) => screened.value(o), () => false, undefined, uncapacitatedBounder(pr));
        expect(Array.from(b.open)).toEqual(Array.from(a.open));
        expect(b.value).toBe(a.value);
        expect(screened.evaluations).toBeLessThanOrEqual(plain.evaluations);
        const scratch = new Float64Array(nC);
        for (let mask = 1; mask < 1 << nS; mask++) {
          const open = Uint8Array.from({ length: nS }, (_, i) => (mask >> i) & 1);
          const exact = plain.value(open);
          if (Number.isFinite(exact)) expect(uncapacitatedBound(pr, open, scratch)).toBeLessThanOrEqual(exact + 1e-9 * Math.max(1, exact));
        }
      }),
      { numRuns: 60 },
    );
  });
});
