import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution, Rng } from '@emplace/core';
import { checkSolution, solveSscfl } from '@emplace/facility';
import { prepareProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { bruteSingleSource } from './helpers.js';
import { bruteLagrangian, cornuejols, expectKnapsacksFit, freeNode, multipliersNearCosts, randomBans } from './sscfl-instances.js';

describe('single-source relaxation: knapsacks by dynamic programming', () => {
  it('equals the enumerated Lagrangian with the search, and with dynamic programming on every knapsack', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 10 }), fc.double({ min: 1.1, max: 3, noNaN: true }), fc.nat(), (S, C, ratio, seed) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed);
        const v = multipliersNearCosts(pr, rng);
        const banned = randomBans(pr, rng, 0.15);
        const node = freeNode(pr, banned);
        const want = bruteLagrangian(pr, v, banned);
        for (const nodes of [2000, 0]) {
          const lr = new SingleSourceRelaxation(pr, nodes);
          const L = lr.evaluate(v, node);
          expect(lr.approx, `knapsack nodes ${nodes}`).toBe(false);
          expect(L, `knapsack nodes ${nodes}`).toBeCloseTo(want, 6);
          // Each knapsack's chosen clients fit the site and are allowed.
          expectKnapsacksFit(lr, pr, banned);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('with fractional demands the search falls back to the LP bound: still below the enumerated Lagrangian', () => {
    const prep = prepareProblem(cornuejols(4, 9, 1.5, 11), 'sscfl');
    if (prep.kind !== 'ok') throw new Error(prep.kind);
    const pr = { ...prep.problem, d: prep.problem.d.map((x) => x + 0.25) };
    const C = pr.nClients;
    const v = new Float64Array(C);
    for (let j = 0; j < C; j++) v[j] = 150 + pr.c[j]!;
    const node = { siteFix: new Int8Array(pr.nSites).fill(-1), assign: new Int32Array(C).fill(-1), banned: new Uint8Array(pr.nSites * C) };
    const L = new SingleSourceRelaxation(pr, 0).evaluate(v, node);
    expect(L).toBeLessThanOrEqual(bruteLagrangian(pr, v, node.banned) + 1e-6);
  });
});

describe('single-source branch-and-bound on tight capacities', () => {
  it('proves the brute-force optimum (independent evaluator) or infeasibility', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 6, max: 9 }), fc.double({ min: 1.15, max: 2, noNaN: true }), fc.nat(), async (S, C, ratio, seed) => {
        const m = cornuejols(S, C, ratio, seed);
        const opt = bruteSingleSource(m);
        const res = await solveSscfl(m, { method: 'branch-and-bound', seed: 1 });
        if (opt === Infinity) {
          expect(res.status).toBe('infeasible');
          return;
        }
        expect(res.status).toBe('optimal');
        if (!hasSolution(res)) throw new Error('no solution');
        const check = checkSolution(m, 'sscfl', res.solution);
        expect(check.violations).toEqual([]);
        expect(check.objective).toBeCloseTo(opt, 6);
        expect(res.objective).toBeCloseTo(opt, 6);
      }),
      { numRuns: 30 },
    );
  });
});
