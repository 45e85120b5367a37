import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { singleSourceAssign } from '../src/capacitated.js';
import { prepareProblem } from '../src/problem.js';
import { regretAssign, regretAssignSteps } from '../src/sscfl-assign.js';
import { build, specArb } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

describe('regretAssign (incremental regret assignment)', () => {
  it('gives the same plan as singleSourceAssign, including when it finds none', () => {
    fc.assert(
      fc.property(specArb(6, 12, { allowed: true }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (spec, mask) => {
        const prep = prepareProblem(build(spec), 'sscfl');
        if (prep.kind !== 'ok') return;
        const open = Uint8Array.from({ length: prep.problem.nSites }, (_, i) => (mask[i] ? 1 : 0));
        const a = singleSourceAssign(prep.problem, open);
        const b = regretAssign(prep.problem, open);
        expect(b === null).toBe(a === null);
        if (a && b) {
          expect(b.value).toBe(a.value);
          expect(Array.from(b.solution.assign)).toEqual(Array.from(a.solution.assign));
          expect(Array.from(b.solution.open)).toEqual(Array.from(a.solution.open));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('matches on Cornuejols-style instances with ties broken the same way', () => {
    for (const seed of [1, 2, 3]) {
      const prep = prepareProblem(cornuejols(30, 120, 3, seed), 'sscfl');
      if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
      const open = Uint8Array.from({ length: 30 }, (_, i) => (i % 2 === seed % 2 ? 1 : 0));
      const a = singleSourceAssign(prep.problem, open);
      const b = regretAssign(prep.problem, open);
      expect(b?.value).toBe(a?.value);
      if (a && b) expect(Array.from(b.solution.assign)).toEqual(Array.from(a.solution.assign));
    }
  });

  it('has checkpoints (issue 13): at 100 x 1000 the steps version yields many times and ends with the same plan', () => {
    const prep = prepareProblem(cornuejols(100, 1000, 4, 7), 'sscfl');
    if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
    const open = Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
    const steps = regretAssignSteps(prep.problem, open);
    let checkpoints = 0;
    let r = steps.next();
    while (!r.done) {
      checkpoints++;
      r = steps.next();
    }
    // One per 64 placements at least, plus the improvement passes.
    expect(checkpoints).toBeGreaterThanOrEqual(15);
    const plain = regretAssign(prep.problem, open);
    expect(r.value?.value).toBe(plain?.value);
  });
});
