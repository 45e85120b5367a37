import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng, runSteps } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import { assignmentIncumbent } from '../src/capacitated.js';
import { prepareProblem } from '../src/problem.js';
import { toSolution } from '../src/solution.js';
import { SingleSourceSiteSearch } from '../src/sscfl-local-search.js';
import { SingleSourcePackRepair } from '../src/sscfl-primal-pack.js';
import { cornuejols } from './sscfl-instances.js';

/** Whether some assignment of the clients to the open sites fits every capacity (enumeration, tiny cases). */
function packable(d: Float64Array, cap: Float64Array, openSites: number[]): boolean {
  const load = new Float64Array(cap.length);
  const place = (j: number): boolean => {
    if (j === d.length) return true;
    for (const i of openSites) {
      if (load[i]! + d[j]! > cap[i]! + 1e-9) continue;
      load[i]! += d[j]!;
      if (place(j + 1)) return true;
      load[i]! -= d[j]!;
    }
    return false;
  };
  return place(0);
}

describe('single-source capacity repair by exact pair splits', () => {
  it('ends within every capacity on the same open sites when it says so (independent check), and finds tiny packings that exist', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 9 }), fc.nat(), (S, C, seed) => {
        const model = cornuejols(S, C, 1.15, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed + 1);
        const open = new Uint8Array(S);
        const openSites: number[] = [];
        for (let i = 0; i < S; i++) if (i === 0 || rng.next() < 0.7) (open[i] = 1), openSites.push(i);
        // Every client at a random open site: loads above the capacities.
        const assign = Int32Array.from({ length: C }, () => openSites[rng.int(openSites.length)]!);
        const ok = new SingleSourcePackRepair(pr).repair(open, assign, 200);
        for (let j = 0; j < C; j++) expect(open[assign[j]!]).toBe(1);
        if (ok) {
          for (const i of openSites) {
            let load = 0;
            for (let j = 0; j < C; j++) if (assign[j] === i) load += pr.d[j]!;
            expect(load).toBeLessThanOrEqual(pr.cap[i]! + 1e-9);
          }
          const inc = assignmentIncumbent(pr, open, assign);
          const check = checkSolution(model, 'sscfl', toSolution(model, pr, inc.solution).solution);
          expect(check.violations).toEqual([]);
          expect(inc.value).toBeCloseTo(check.objective, 6);
        } else if (openSites.length === 2) {
          // With two open sites one pair split is exact: a failure means no packing exists.
          expect(packable(pr.d, pr.cap, openSites)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives up on non-integral demands (the DP needs integral weights)', () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [1, 1, 1, 1], demand: [1.5, 2], capacity: [4, 4], openingCost: [1, 1] });
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('feasible');
    const pack = new SingleSourcePackRepair(prep.problem);
    expect(pack.applicable).toBe(false);
    expect(pack.repair(new Uint8Array([1, 1]), new Int32Array([0, 0]), 10)).toBe(false);
  });
});

describe('tight site moves of the site search (exact capacity repair)', () => {
  /**
   * Open A (cap 10) and B (cap 11); closed C (cap 9, much cheaper). Swapping A for C leaves
   * 20 units of capacity for 20 of demand: the greedy repair places the 6 at C, then finds
   * no room for the 4; only the packing {6, 5} at B, {4, 5} at C fits.
   */
  const model = createPlacementModel({
    sites: 3,
    clients: 4,
    // Sites A, B, C (rows) x clients of demand 6, 4, 5, 5.
    cost: [1, 1, 3, 3, 3, 3, 1, 1, 2, 2, 2, 2],
    demand: [6, 4, 5, 5],
    capacity: [10, 11, 9],
    openingCost: [100, 100, 10],
  });

  it('makes the swap whose clients fit only after an exact repacking (regression: the greedy repair ruled it out)', () => {
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('feasible');
    const pr = prep.problem;
    const start = assignmentIncumbent(pr, new Uint8Array([1, 1, 0]), new Int32Array([0, 0, 1, 1]));
    expect(start.value).toBe(200 + 4);
    const out = runSteps(new SingleSourceSiteSearch(pr).improve(start, () => false));
    expect(Array.from(out.solution.open)).toEqual([0, 1, 1]);
    const check = checkSolution(model, 'sscfl', toSolution(model, pr, out.solution).solution);
    expect(check.violations).toEqual([]);
    expect(out.value).toBeCloseTo(check.objective, 9);
    // B and C full: {6, 5} at B (3 + 1), {4, 5} at C (2 + 2), opening 110.
    expect(out.value).toBe(110 + 3 + 1 + 2 + 2);
  });

  it('keeps the site search feasible and never worse on tight instances (capacity ratio 1.1-1.6)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 10 }), fc.integer({ min: 10, max: 36 }), fc.double({ min: 1.1, max: 1.6, noNaN: true }), fc.nat(), (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        // Any feasible start: the clients packed by the repair from their cheapest site.
        const open = new Uint8Array(S).fill(1);
        const assign = Int32Array.from({ length: C }, (_, j) => {
          let best = 0;
          for (let i = 1; i < S; i++) if (pr.c[i * C + j]! < pr.c[best * C + j]!) best = i;
          return best;
        });
        if (!new SingleSourcePackRepair(pr).repair(open, assign, 200)) return;
        const start = assignmentIncumbent(pr, open, assign);
        const out = runSteps(new SingleSourceSiteSearch(pr).improve(start, () => false));
        expect(out.value).toBeLessThanOrEqual(start.value + 1e-9);
        const check = checkSolution(model, 'sscfl', toSolution(model, pr, out.solution).solution);
        expect(check.violations).toEqual([]);
        expect(out.value).toBeCloseTo(check.objective, 6);
      }),
      { numRuns: 80 },
    );
  });
});
