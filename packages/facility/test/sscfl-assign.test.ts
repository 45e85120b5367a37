import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { singleSourceAssign } from '../src/capacitated.js';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { regretAssign, regretAssignSteps } from '../src/sscfl-assign.js';
import { build, specArb } from './helpers.js';
import { drainSteps } from '../../core/test/support/steps.js';
import { cornuejols } from './sscfl-instances.js';

/** Cost and capacity check of a single-source plan, independent of the solver. */
function evaluate(pr: FacilityProblem, open: Uint8Array, assign: Int32Array): { value: number; overloaded: boolean; shiftable: boolean } {
  const { nSites: S, nClients: C, c, d, cap, f } = pr;
  const load = new Float64Array(S);
  let value = 0;
  for (let j = 0; j < C; j++) {
    load[assign[j]!]! += d[j]!;
    value += c[assign[j]! * C + j]!;
  }
  for (let i = 0; i < S; i++) if (open[i]) value += f[i]!;
  let overloaded = false;
  for (let i = 0; i < S; i++) if (load[i]! > cap[i]! + 1e-9) overloaded = true;
  // A client that could move to a cheaper open site with room: not a local optimum.
  let shiftable = false;
  for (let j = 0; j < C; j++) {
    for (let i = 0; i < S; i++) {
      if (open[i] && i !== assign[j] && cap[i]! - load[i]! >= d[j]! - 1e-9 && c[i * C + j]! < c[assign[j]! * C + j]! - 1e-9) shiftable = true;
    }
  }
  return { value, overloaded, shiftable };
}

describe('regretAssign (incremental regret assignment, shift and swap polish)', () => {
  it('finds a plan exactly when singleSourceAssign does (same placement); the plan is feasible, costed right and shift-optimal', () => {
    fc.assert(
      fc.property(specArb(6, 12, { allowed: true }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (spec, mask) => {
        const prep = prepareProblem(build(spec), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const open = Uint8Array.from({ length: pr.nSites }, (_, i) => (mask[i] ? 1 : 0));
        const a = singleSourceAssign(pr, open);
        const b = regretAssign(pr, open);
        expect(b === null).toBe(a === null);
        if (!b) return;
        const used = Uint8Array.from(b.solution.open);
        for (const i of b.solution.assign) {
          expect(open[i]).toBe(1);
          used[i] = 1;
        }
        const ev = evaluate(pr, b.solution.open, b.solution.assign);
        expect(ev.overloaded).toBe(false);
        expect(ev.shiftable).toBe(false);
        expect(b.value).toBeCloseTo(ev.value, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('is within 1 % of the all-pairs improvement of singleSourceAssign on Cornuejols-style instances', () => {
    for (const seed of [1, 2, 3]) {
      const prep = prepareProblem(cornuejols(30, 120, 3, seed), 'sscfl');
      if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
      const open = Uint8Array.from({ length: 30 }, (_, i) => (i % 2 === seed % 2 ? 1 : 0));
      const a = singleSourceAssign(prep.problem, open);
      const b = regretAssign(prep.problem, open);
      expect(a).not.toBeNull();
      expect(b!.value).toBeLessThanOrEqual(a!.value * 1.01);
    }
  });

  it('has checkpoints (issue 13): at 100 x 1000 the steps version yields many times and ends with the same plan', () => {
    const prep = prepareProblem(cornuejols(100, 1000, 4, 7), 'sscfl');
    if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
    const open = Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
    const { value, pauses: checkpoints } = drainSteps(regretAssignSteps(prep.problem, open));
    // One per 64 placements at least, plus the improvement passes.
    expect(checkpoints).toBeGreaterThanOrEqual(15);
    const plain = regretAssign(prep.problem, open);
    expect(value?.value).toBe(plain?.value);
  });

  it('stopped, completes the placement without the polish: a feasible plan at once (issue 13)', () => {
    const prep = prepareProblem(cornuejols(100, 1000, 4, 7), 'sscfl');
    if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
    const pr = prep.problem;
    const open = Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
    const stopped = regretAssign(pr, open, () => true);
    const full = regretAssign(pr, open);
    expect(stopped).not.toBeNull();
    const ev = evaluate(pr, stopped!.solution.open, stopped!.solution.assign);
    expect(ev.overloaded).toBe(false);
    expect(stopped!.value).toBeCloseTo(ev.value, 9);
    expect(full!.value).toBeLessThanOrEqual(stopped!.value);
  });
});

describe('regretAssignSteps stopped midway (issue 13, scale-4 sweep)', () => {
  /**
   * After a stop the rest of the placement used to run with the regret order's rescans and
   * watch-list updates, a checkpoint every 64 placements: 44-51 ms on CPU after an abort at
   * 400 x 4000 (stretches.ts sscfl:greedy --scale=4). Now the next checkpoint ends it.
   */
  it.each([1, 3, 6])('a stop after %i checkpoints ends at the next one with a complete, feasible, correctly costed plan', (k) => {
    const prep = prepareProblem(cornuejols(100, 1000, 4, 7), 'sscfl');
    if (prep.kind !== 'ok') throw new Error('generated instance is feasible');
    const pr = prep.problem;
    const open = Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
    let stopped = false;
    const steps = regretAssignSteps(pr, open, () => stopped);
    for (let t = 0; t < k; t++) expect(steps.next().done).toBe(false);
    stopped = true;
    let after = 0;
    let r = steps.next();
    while (!r.done) {
      after++;
      r = steps.next();
    }
    // The old code passed (1000 - 64 k) / 64 more checkpoints here.
    expect(after).toBeLessThanOrEqual(1);
    const plan = r.value;
    expect(plan).not.toBeNull();
    expect(plan!.solution.assign.every((i) => open[i] === 1)).toBe(true);
    const ev = evaluate(pr, plan!.solution.open, plan!.solution.assign);
    expect(ev.overloaded).toBe(false);
    expect(plan!.value).toBeCloseTo(ev.value, 9);
  });
});
