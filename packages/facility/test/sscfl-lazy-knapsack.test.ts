import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { cornuejols, randomBans } from './sscfl-instances.js';

/**
 * A lazy evaluation (sites that the LP bound leaves unselected keep that bound and skip their
 * knapsack search) must give the exact evaluation's L and subgradient: the exact one is
 * checked against enumeration in sscfl-knapsack-dp.test.ts.
 */
describe('single-source relaxation: lazy knapsacks', () => {
  it('same L and subgradient as the exact evaluation; selected sites exact, the other rho below the exact ones', () => {
    let lazySites = 0;
    let compared = 0;
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 8, max: 30 }), fc.double({ min: 1.2, max: 5, noNaN: true }), fc.nat(), (S, C, ratio, seed) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed);
        const banned = randomBans(pr, rng, 0.1);
        const siteFix = new Int8Array(S).fill(-1);
        if (S > 3) siteFix[rng.int(S)] = rng.uniform(0, 1) < 0.5 ? 0 : 1;
        const node = { siteFix, assign: new Int32Array(C).fill(-1), banned };
        const lazy = new SingleSourceRelaxation(pr);
        const exact = new SingleSourceRelaxation(pr);
        // A few multiplier vectors in a row: a lazy evaluation reads the previous selection.
        for (let round = 0; round < 4; round++) {
          const v = new Float64Array(C);
          for (let j = 0; j < C; j++) {
            let lo = Infinity;
            for (let i = 0; i < S; i++) lo = Math.min(lo, pr.c[i * C + j]!);
            v[j] = lo + rng.uniform(-20, 150);
          }
          const want = exact.evaluate(v, node);
          const got = lazy.evaluate(v, node, true);
          if (want === Infinity) {
            expect(got).toBe(Infinity);
            continue;
          }
          expect(got).toBeCloseTo(want, 6);
          for (let i = 0; i < S; i++) {
            if (lazy.lpOnly[i]) {
              lazySites++;
              expect(lazy.y[i]).toBe(0);
            }
            if (exact.rho[i] === Infinity) expect(lazy.rho[i]).toBe(Infinity);
            else expect(lazy.rho[i]!).toBeLessThanOrEqual(exact.rho[i]! + 1e-9);
          }
          // Same selection unless two selections tie; then at least the same value.
          if (lazy.y.every((y, i) => y === exact.y[i])) {
            compared++;
            for (let j = 0; j < C; j++) expect(lazy.g[j]).toBeCloseTo(exact.g[j]!, 9);
          }
        }
      }),
      { numRuns: 120 },
    );
    // Not vacuous: some sites kept their LP bound.
    expect(lazySites).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(100);
  });
});
