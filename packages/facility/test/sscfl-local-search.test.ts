import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import { prepareProblem } from '../src/problem.js';
import { toSolution } from '../src/solution.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { SingleSourceSiteSearch } from '../src/sscfl-local-search.js';
import { cornuejols } from './sscfl-instances.js';

describe('single-source site search (drop / add / swap with local repair, ejection-chain polish)', () => {
  it('returns a feasible plan, never worse than its start, whose value is its true cost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const all = new Uint8Array(S).fill(1);
        const start = regretAssign(prep.problem, all);
        if (!start) return;
        const out = runSteps(new SingleSourceSiteSearch(prep.problem).improve(start, () => false));
        expect(out.value).toBeLessThanOrEqual(start.value);
        const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, out.solution).solution);
        expect(check.violations).toEqual([]);
        expect(out.value).toBeCloseTo(check.objective, 6);
      }),
      { numRuns: 60 },
    );
  });

  it('returns plans that later calls do not change (regression: the result shared the working buffer)', () => {
    const model = cornuejols(12, 60, 3, 5);
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
    const search = new SingleSourceSiteSearch(prep.problem);
    const start = regretAssign(prep.problem, new Uint8Array(12).fill(1))!;
    const first = runSteps(search.improve(start, () => false));
    const kept = Array.from(first.solution.assign);
    const keptValue = first.value;
    // A kick from the first plan works on the same buffers.
    const open = first.solution.open;
    const drop = open.findIndex((o) => o === 1);
    runSteps(search.kickAndDescend(first, () => false, { drop, add: -1 }));
    runSteps(search.improve(start, () => false));
    expect(Array.from(first.solution.assign)).toEqual(kept);
    expect(first.value).toBe(keptValue);
    const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, first.solution).solution);
    expect(check.violations).toEqual([]);
    expect(first.value).toBeCloseTo(check.objective, 6);
  });
});
