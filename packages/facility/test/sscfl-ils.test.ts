import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng, runSteps } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import { assignmentIncumbent } from '../src/capacitated.js';
import { prepareProblem } from '../src/problem.js';
import { toSolution } from '../src/solution.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { SingleSourceIteratedSearch } from '../src/sscfl-ils.js';
import { cornuejols } from './sscfl-instances.js';

describe('single-source iterated local search (kick, descent, walk)', () => {
  it('every plan it returns is feasible and costed right; the best never gets worse; the same seed replays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const start = regretAssign(prep.problem, new Uint8Array(S).fill(1));
        if (!start) return;
        const walk = (): number[] => {
          const ils = new SingleSourceIteratedSearch(prep.problem, new Rng(seed));
          let best = start;
          const values: number[] = [];
          for (let k = 0; k < 15; k++) {
            const out = runSteps(ils.step(best, () => false));
            if (!out) continue;
            const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, out.solution).solution);
            expect(check.violations).toEqual([]);
            expect(out.value).toBeCloseTo(check.objective, 6);
            values.push(out.value);
            if (out.value < best.value) best = out;
          }
          expect(best.value).toBeLessThanOrEqual(start.value);
          return values;
        };
        expect(walk()).toEqual(walk());
      }),
      { numRuns: 40 },
    );
  });

  it('takes a new best plan through the tight moves first (a swap that only an exact repacking places)', () => {
    // Open A (cap 10), B (cap 11); closed C (cap 9, cheap): A -> C fits only as {6, 5} at B, {4, 5} at C.
    const model = createPlacementModel({ sites: 3, clients: 4, cost: [1, 1, 3, 3, 3, 3, 1, 1, 2, 2, 2, 2], demand: [6, 4, 5, 5], capacity: [10, 11, 9], openingCost: [100, 100, 10] });
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('feasible');
    const start = assignmentIncumbent(prep.problem, new Uint8Array([1, 1, 0]), new Int32Array([0, 0, 1, 1]));
    const out = runSteps(new SingleSourceIteratedSearch(prep.problem, new Rng(1)).step(start, () => false));
    expect(out).not.toBeNull();
    expect(Array.from(out!.solution.open)).toEqual([0, 1, 1]);
    const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, out!.solution).solution);
    expect(check.violations).toEqual([]);
    expect(out!.value).toBeCloseTo(check.objective, 9);
    expect(out!.value).toBe(118);
  });
});
