import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, runSteps } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
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
});
