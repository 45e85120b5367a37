import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, SolveRun, type PlacementModel } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import type { Incumbent } from '../src/branch-and-bound.js';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { singleSourceSearch } from '../src/single-source.js';
import { toSolution } from '../src/solution.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { SingleSourceRegionSearch, type RegionSolver } from '../src/sscfl-region.js';
import { bruteSingleSource } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

const exact: RegionSolver = (sub, start, run) => singleSourceSearch(sub, run, start, { rootIterations: 300, nodeIterations: 30, branch: true, granule: 1, phase: 'region', regions: false });

/**
 * `steps` region steps from `start` (guided by `guide` when given), each returned plan
 * checked by the independent evaluator (feasible, at its value) and strictly better than
 * the last; the values of the improving steps.
 */
async function checkedRegionWalk(model: PlacementModel, problem: FacilityProblem, start: Incumbent, seed: number, steps: number, guide?: Uint8Array): Promise<number[]> {
  const regions = new SingleSourceRegionSearch(problem, new Rng(seed), exact);
  let best = start;
  const values: number[] = [];
  for (let k = 0; k < steps; k++) {
    const out = await regions.step(best, new SolveRun({}, 'test'), guide);
    if (!out) continue;
    const check = checkSolution(model, 'sscfl', toSolution(model, problem, out.solution).solution);
    expect(check.violations).toEqual([]);
    expect(out.value).toBeCloseTo(check.objective, 6);
    expect(out.value).toBeLessThan(best.value);
    values.push(out.value);
    best = out;
  }
  return values;
}

describe('single-source region search (exact re-optimisation of a few sites and their clients)', () => {
  it('every plan it returns is feasible, costed right and better than the one it started from; the same seed replays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5, max: 10 }), fc.integer({ min: 12, max: 30 }), fc.integer({ min: 2, max: 5 }), fc.nat(), async (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
        if (!start) return;
        const walk = (): Promise<number[]> => checkedRegionWalk(model, prep.problem, start, seed, 5);
        expect(await walk()).toEqual(await walk());
      }),
      { numRuns: 10 },
    );
  });

  it('merge regions (guided by another plan) return feasible, correctly costed, improving plans; the same seed replays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 6, max: 12 }), fc.integer({ min: 12, max: 30 }), fc.integer({ min: 2, max: 5 }), fc.nat(), async (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
        if (!start) return;
        const rng = new Rng(seed + 1);
        const guide = Uint8Array.from({ length: S }, () => (rng.next() < 0.5 ? 1 : 0));
        const walk = (): Promise<number[]> => checkedRegionWalk(model, prep.problem, start, seed, 4, guide);
        expect(await walk()).toEqual(await walk());
      }),
      { numRuns: 10 },
    );
  });

  it('a region holding every site re-optimises the whole plan: the brute-force optimum', async () => {
    for (let seed = 0; seed < 10; seed++) {
      // At most 3 sites, all open at the start: the region (3-6 open sites) takes them all.
      const model = cornuejols(3, 9, 3, seed);
      const prep = prepareProblem(model, 'sscfl');
      if (prep.kind !== 'ok') continue;
      const start = regretAssign(prep.problem, new Uint8Array(3).fill(1));
      const brute = bruteSingleSource(model);
      if (!start || brute === Infinity) continue;
      const out = await new SingleSourceRegionSearch(prep.problem, new Rng(seed), exact).step(start, new SolveRun({}, 'test'));
      expect(out ? out.value : start.value).toBeCloseTo(brute, 6);
    }
  });

  it('a whole region (every open site of the plan, all its clients) is the brute-force optimum over those sites', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 5, max: 9 }), fc.integer({ min: 2, max: 4 }), fc.nat(), async (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
        if (!start) return;
        // The start's closed sites (those the assignment left unused) are outside the region.
        const brute = bruteSingleSource({ ...model, forbidden: Uint8Array.from(start.solution.open, (o) => (o ? 0 : 1)) });
        const out = await new SingleSourceRegionSearch(prep.problem, new Rng(seed), exact).step(start, new SolveRun({}, 'test'), null, true);
        if (out) {
          const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, out.solution).solution);
          expect(check.violations).toEqual([]);
          expect(out.value).toBeCloseTo(check.objective, 6);
        }
        expect(out ? out.value : start.value).toBeCloseTo(brute, 6);
      }),
      { numRuns: 25 },
    );
  });

  it('an aborted parent run stops the region search with the plan it had', async () => {
    const model = cornuejols(30, 120, 3, 5);
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('instance expected feasible');
    const start = regretAssign(prep.problem, new Uint8Array(30).fill(1))!;
    const ctrl = new AbortController();
    ctrl.abort();
    const out = await new SingleSourceRegionSearch(prep.problem, new Rng(1), exact).step(start, new SolveRun({ signal: ctrl.signal }, 'test'));
    if (out) expect(out.value).toBeLessThan(start.value);
  });
});
