import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { bruteLagrangian, cornuejols, freeNode, randomBans } from './sscfl-instances.js';

/**
 * A lazy evaluation (sites that the LP bound leaves unselected keep that bound and skip their
 * knapsack search) must give the exact evaluation's L and subgradient: the exact one is
 * checked against enumeration in sscfl-knapsack-dp.test.ts.
 */
describe.each([true, 'sum'] as const)('single-source relaxation: lazy knapsacks (lazy = %s)', (mode) => {
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
          const got = lazy.evaluate(v, node, mode);
          if (want === Infinity) {
            expect(got).toBe(Infinity);
            continue;
          }
          expect(got).toBeCloseTo(want, 6);
          for (let i = 0; i < S; i++) {
            if (lazy.lpOnly[i]) {
              lazySites++;
              expect(lazy.y[i]).toBe(0);
              // Its chosen list is a feasible set of its items, worth at most its bound.
              let w = 0;
              let p = 0;
              for (let k = 0; k < lazy.nChosen[i]!; k++) {
                const j = lazy.chosen[i * C + k]!;
                expect(banned[i * C + j]).toBe(0);
                w += pr.d[j]!;
                p += v[j]! - pr.c[i * C + j]!;
              }
              expect(w).toBeLessThanOrEqual(pr.cap[i]! + 1e-9);
              expect(pr.f[i]! - p).toBeGreaterThanOrEqual(lazy.rho[i]! - 1e-9);
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

/**
 * The site selection (min sum rho_i y_i over the candidates with the capacity cover) is a
 * knapsack over the sites left closed, warm-started from the last cover: checked against the
 * enumerated Lagrangian where the cover binds (low multipliers leave most rho positive, so
 * the cover picks among many sites), along a walk of multipliers (each cover starts from the
 * last one and its site order), exact and lazy.
 */
describe('single-source relaxation: the capacity cover', () => {
  it('equals the enumerated Lagrangian with many candidate sites; the selection covers the demand at cost L - sum v', () => {
    let binding = 0;
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 12 }), fc.integer({ min: 4, max: 7 }), fc.double({ min: 1.05, max: 4, noNaN: true }), fc.nat(), (S, C, ratio, seed) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed);
        const banned = randomBans(pr, rng, 0.1);
        const node = freeNode(pr, banned);
        const exact = new SingleSourceRelaxation(pr);
        const lazy = new SingleSourceRelaxation(pr);
        const v = new Float64Array(C);
        for (let j = 0; j < C; j++) {
          let lo = Infinity;
          for (let i = 0; i < S; i++) lo = Math.min(lo, pr.c[i * C + j]!);
          v[j] = lo + rng.uniform(0, 400);
        }
        for (let round = 0; round < 5; round++) {
          // Small moves, as the subgradient makes: the cover's warm start and order are reused.
          for (let j = 0; j < C; j++) v[j]! += rng.uniform(-40, 40);
          const want = bruteLagrangian(pr, v, banned);
          let vSum = 0;
          for (let j = 0; j < C; j++) vSum += v[j]!;
          for (const [lr, mode] of [
            [exact, false],
            [lazy, 'sum'],
          ] as const) {
            const L = lr.evaluate(v, node, mode);
            if (want === Infinity) {
              expect(L).toBe(Infinity);
              continue;
            }
            expect(L).toBeCloseTo(want, 6);
            expect(lr.fractionalSite).toBe(-1);
            let cap = 0;
            let cost = 0;
            for (let i = 0; i < S; i++) {
              if (lr.y[i] === 0) continue;
              expect(lr.y[i]).toBe(1);
              cap += pr.cap[i]!;
              cost += lr.rho[i]!;
            }
            expect(cap).toBeGreaterThanOrEqual(pr.totalDemand - 1e-9);
            expect(cost).toBeCloseTo(L - vSum, 6);
            if (lr.coverCost > 0) binding++;
          }
        }
      }),
      { numRuns: 150 },
    );
    // Not vacuous: the cover chose among candidates often.
    expect(binding).toBeGreaterThan(100);
  });
});
