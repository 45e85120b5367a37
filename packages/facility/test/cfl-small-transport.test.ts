import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng } from '@emplace/core';
import { SmallTransport } from '../src/cfl-small-transport.js';
import { prepareProblem, unitCosts, type FacilityProblem } from '../src/problem.js';
import { Transportation } from '../src/transportation.js';

// The small search's transportation (early exit against a threshold) against the general one
// (transportation.ts): the same optimum on every open set, and below a threshold it cannot
// reach, a lower bound that is at or above the threshold and never above the optimum.

function randomProblem(nS: number, nC: number, ratio: number, seed: number, zeroDemand: boolean): FacilityProblem {
  const rng = new Rng(seed);
  const demand = Array.from({ length: nC }, (_, j) => (zeroDemand && j === 0 ? 0 : 1 + rng.int(20)));
  const total = demand.reduce((a, b) => a + b, 0);
  const raw = Array.from({ length: nS }, () => 1 + rng.int(10));
  const scale = (ratio * total) / raw.reduce((a, b) => a + b, 0);
  const cost = Array.from({ length: nS * nC }, () => rng.int(100));
  const model = createPlacementModel({
    sites: raw.map((r) => ({ capacity: Math.ceil(r * scale), openingCost: 0 })),
    clients: demand.map((d) => ({ demand: d })),
    cost,
  });
  const prep = prepareProblem(model, 'cfl');
  if (prep.kind !== 'ok') throw new Error('unexpected infeasible instance');
  return prep.problem;
}

describe('SmallTransport', () => {
  it('matches Transportation on random open sets; early exits bound the optimum from below, at or above the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 25 }),
        fc.double({ min: 1.05, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        fc.double({ min: 0.3, max: 1.2, noNaN: true }),
        (nS, nC, ratio, seed, zeroDemand, cut) => {
          const pr = randomProblem(nS, nC, ratio, seed, zeroDemand);
          const ref = new Transportation(pr, unitCosts(pr));
          const mine = new SmallTransport(pr);
          const rng = new Rng(seed + 1);
          for (let trial = 0; trial < 6; trial++) {
            const open = new Uint8Array(nS);
            for (let i = 0; i < nS; i++) open[i] = rng.uniform(0, 1) < 0.6 ? 1 : 0;
            const want = ref.solve(open);
            const exact = mine.solve(open, Infinity);
            if (!want) {
              expect(exact).toBe(Infinity);
              continue;
            }
            expect(exact).toBeCloseTo(want.cost, 6);
            const { cost, flows } = mine.flows();
            expect(cost).toBeCloseTo(want.cost, 6);
            const served = new Float64Array(nC);
            for (const fl of flows) {
              expect(open[fl.site]).toBe(1);
              served[fl.client]! += fl.fraction;
            }
            for (let j = 0; j < nC; j++) expect(served[j]).toBeCloseTo(1, 9);
            const threshold = want.cost * cut;
            const got = mine.solve(open, threshold);
            const slack = 1e-6 * Math.max(1, want.cost);
            if (got < threshold) expect(got).toBeCloseTo(want.cost, 6);
            else expect(got).toBeLessThanOrEqual(want.cost + slack);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an interrupted solve returns NaN and says so; without the stop it finishes', () => {
    // Every client is cheapest at site 0, which holds half the demand: the solve must push.
    const model = createPlacementModel({
      sites: [{ capacity: 10, openingCost: 0 }, { capacity: 10, openingCost: 0 }],
      clients: Array.from({ length: 4 }, () => ({ demand: 5 })),
      cost: [1, 1, 1, 1, 2, 2, 2, 2],
    });
    const prep = prepareProblem(model, 'cfl');
    if (prep.kind !== 'ok') throw new Error('feasible by construction');
    const t = new SmallTransport(prep.problem);
    t.stop = () => true;
    expect(Number.isNaN(t.solve(new Uint8Array([1, 1]), Infinity))).toBe(true);
    expect(t.interrupted).toBe(true);
    t.stop = () => false;
    expect(t.solve(new Uint8Array([1, 1]), Infinity)).toBeCloseTo(6, 9);
    expect(t.interrupted).toBe(false);
    // A threshold below the optimum: the early exit's bound is at least the threshold, at most 6.
    const b = t.solve(new Uint8Array([1, 1]), 4.5);
    expect(b).toBeGreaterThanOrEqual(4.5);
    expect(b).toBeLessThanOrEqual(6 + 1e-9);
  });

  it('overloads each within the tolerance but summing above it need no augmenting path (the set is feasible)', () => {
    // Sites 0 and 1 each hold one unit client at a capacity 0.6e-9 short (eps = 1e-9): no site
    // is overloaded beyond eps, but the overloads sum to 1.2e-9. Site 2 has room.
    const model = createPlacementModel({
      sites: [{ capacity: 1 - 0.6e-9, openingCost: 0 }, { capacity: 1 - 0.6e-9, openingCost: 0 }, { capacity: 5, openingCost: 0 }],
      clients: [{ demand: 1 }, { demand: 1 }],
      cost: [1, 9, 9, 1, 5, 5],
    });
    const prep = prepareProblem(model, 'cfl');
    if (prep.kind !== 'ok') throw new Error('feasible by construction');
    const t = new SmallTransport(prep.problem);
    expect(t.solve(new Uint8Array([1, 1, 1]), Infinity)).toBeCloseTo(2, 6);
    expect(new Transportation(prep.problem, unitCosts(prep.problem)).solve(new Uint8Array([1, 1, 1]))?.cost).toBeCloseTo(2, 6);
  });
});
