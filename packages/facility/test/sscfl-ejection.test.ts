import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps, SolveRun, type PlacementModel } from '@emplace/core';
import { checkSolution } from '@emplace/facility';
import type { Incumbent } from '../src/branch-and-bound.js';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { singleSourceSearch } from '../src/single-source.js';
import { toSolution } from '../src/solution.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { SingleSourceEjectionSearch } from '../src/sscfl-ejection.js';
import { bruteSingleSource } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

/** The walk from `start`; a plan it returns is checked by the independent evaluator, strictly better and on the start's open sites. */
function checkedWalk(model: PlacementModel, pr: FacilityProblem, start: Incumbent, stop: () => boolean = () => false): { out: Incumbent | null; work: number } {
  const ej = new SingleSourceEjectionSearch(pr);
  const out = runSteps(ej.improve(start, stop, Infinity));
  if (out) {
    const check = checkSolution(model, 'sscfl', toSolution(model, pr, out.solution).solution);
    expect(check.violations).toEqual([]);
    expect(out.value).toBeCloseTo(check.objective, 6);
    expect(out.value).toBeLessThan(start.value);
    for (let i = 0; i < pr.nSites; i++) if (out.solution.open[i]) expect(start.solution.open[i]).toBe(1);
  }
  return { out, work: ej.work };
}

/** The regret assignment of a random half (at least two) of the sites, null when it finds no feasible one. */
function halfOpenStart(pr: FacilityProblem, seed: number): Incumbent | null {
  const open = new Uint8Array(pr.nSites);
  for (let i = 0; i < pr.nSites; i++) open[i] = (seed >> i % 16) & 1 || i < 2 ? 1 : 0;
  return regretAssign(pr, open);
}

describe('single-source ejection search (capacity-penalised tabu walk over a fixed open set)', () => {
  it('every plan it returns is feasible, costed right, strictly better, on the same open sites, never below the optimum; the walk replays', () => {
    let improved = 0;
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 8, max: 60 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (S, C, ratio, seed) => {
        const model = cornuejols(S, C, ratio, seed);
        const prep = prepareProblem(model, 'sscfl');
        if (prep.kind !== 'ok') return;
        const start = halfOpenStart(prep.problem, seed) ?? regretAssign(prep.problem, new Uint8Array(S).fill(1));
        if (!start) return;
        const a = checkedWalk(model, prep.problem, start);
        const b = checkedWalk(model, prep.problem, start);
        expect(b.out?.value ?? null).toBe(a.out?.value ?? null);
        expect(b.work).toBe(a.work);
        if (a.out) {
          expect(Array.from(b.out!.solution.assign)).toEqual(Array.from(a.out.solution.assign));
          improved++;
          if (C * Math.log2(S) <= 16) expect(a.out.value).toBeGreaterThanOrEqual(bruteSingleSource(model) - 1e-6);
        }
      }),
      { numRuns: 60 },
    );
    // The regret assignment is a greedy: the walk improves some of them.
    expect(improved).toBeGreaterThan(0);
  });

  it('an abort (stop true) ends the walk at its first checkpoint', () => {
    const model = cornuejols(20, 200, 3, 7);
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('infeasible test instance');
    const start = regretAssign(prep.problem, new Uint8Array(20).fill(1))!;
    const full = checkedWalk(model, prep.problem, start);
    const stopped = checkedWalk(model, prep.problem, start, () => true);
    // The set-up and one checkpoint's iterations, against a walk that runs to its stall limit.
    expect(stopped.work).toBeLessThan(full.work / 10);
  });

  it('a work cap ends the walk', () => {
    const model = cornuejols(20, 200, 3, 8);
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('infeasible test instance');
    const start = regretAssign(prep.problem, new Uint8Array(20).fill(1))!;
    const ej = new SingleSourceEjectionSearch(prep.problem);
    runSteps(ej.improve(start, () => false, 5000));
    // The cap is tested before each iteration: past it by at most the set-up (S x C cells) and
    // one iteration (each client's shift and swaps with every client of its near sites: C x 8 x (1 + C) evaluations, 4 a cell).
    expect(ej.work).toBeLessThan(5000 + 20 * 200 + (200 * 8 * 201) / 4);
  });

  it('in the branch-and-bound (ejection on, primal steps from the start): the plan is feasible, the same seed replays, an abort returns the incumbent', async () => {
    const model = cornuejols(15, 80, 3, 11);
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('infeasible test instance');
    const start = regretAssign(prep.problem, new Uint8Array(15).fill(1));
    const search = (signal?: AbortSignal) =>
      singleSourceSearch(prep.problem, new SolveRun({ seed: 5, ...(signal ? { signal } : {}) }, 'test'), start, { rootIterations: 200, nodeIterations: 20, branch: true, granule: 0, phase: 'test', maxNodes: 30, primalAfterWork: 0, ejection: true });
    const a = await search();
    const b = await search();
    expect(a.incumbent).not.toBeNull();
    const check = checkSolution(model, 'sscfl', toSolution(model, prep.problem, a.incumbent!.solution).solution);
    expect(check.violations).toEqual([]);
    expect(a.incumbent!.value).toBeCloseTo(check.objective, 6);
    expect(b.incumbent!.value).toBe(a.incumbent!.value);
    expect(b.work).toBe(a.work);
    const ctrl = new AbortController();
    ctrl.abort();
    const stopped = await search(ctrl.signal);
    expect(stopped.complete).toBe(false);
    expect(stopped.incumbent!.value).toBeLessThanOrEqual(start!.value);
  });
});
