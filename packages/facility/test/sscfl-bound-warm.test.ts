import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { bruteSingleSource } from './helpers.js';
import { bruteLagrangian, cornuejols, expectKnapsacksFit, multipliersNearCosts } from './sscfl-instances.js';

/**
 * One relaxation object serves a node's whole subgradient run and keeps state between
 * evaluations (each site's item order, where the next sort starts; the last selection, which
 * lazy evaluations read): along a walk of small multiplier steps, as the subgradient takes,
 * with pairs banned on the way and lazy and exact evaluations alternating, a reused
 * relaxation must give the enumerated L at every step, and L never exceeds the optimum.
 */
describe('single-source relaxation: state kept between evaluations', () => {
  it('a reused relaxation equals the enumerated Lagrangian along a multiplier walk, below the optimum', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 9 }), fc.double({ min: 1.1, max: 3, noNaN: true }), fc.nat(), (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const opt = bruteSingleSource(model);
        const rng = new Rng(seed);
        const v = multipliersNearCosts(pr, rng);
        const banned = new Uint8Array(S * C);
        const node = { siteFix: new Int8Array(S).fill(-1), assign: new Int32Array(C).fill(-1), banned };
        const lr = new SingleSourceRelaxation(pr);
        for (let step = 0; step < 12; step++) {
          // Small steps (the previous solutions stay near-optimal), now and then a larger one or a ban.
          const scale = rng.uniform(0, 1) < 0.2 ? 60 : 8;
          for (let j = 0; j < C; j++) v[j]! += rng.uniform(-scale, scale);
          if (rng.uniform(0, 1) < 0.3) banned[rng.int(S * C)] = 1;
          const want = bruteLagrangian(pr, v, banned);
          const L = lr.evaluate(v, node, step % 2 === 1);
          if (want === Infinity) {
            expect(L).toBe(Infinity);
            continue;
          }
          steps++;
          expect(L).toBeCloseTo(want, 6);
          // A bound: the node bans only pairs, so L <= the optimum when no ban is in the way of every plan.
          if (banned.every((b) => b === 0)) expect(L).toBeLessThanOrEqual(opt + 1e-6);
          // The knapsack solutions fit and use allowed pairs only.
          expectKnapsacksFit(lr, pr, banned);
        }
      }),
      { numRuns: 60 },
    );
    expect(steps).toBeGreaterThan(300);
  });
});
