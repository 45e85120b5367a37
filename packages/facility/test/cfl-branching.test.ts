import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, SolveRun, type PlacementModel } from '@emplace/core';
import { lagrangianSearch, pausableSearch, type Incumbent, type SearchHooks } from '../src/branch-and-bound.js';
import { CflEvaluator } from '../src/capacitated.js';
import { prepareProblem, unitCosts, type FacilityProblem } from '../src/problem.js';
import { build, euclideanScene, specArb, tol } from './helpers.js';

// Split-demand CFL branch-and-bound (issue 17): branching on the averaged Lagrangian selection
// (branchOnAverage) and the search paused at its deadline and resumed with a better incumbent
// (pausableSearch, as reducedMip runs it around the swap search), against brute force.

/** The exact optimum over every open set (one transportation per set): value and plan. */
function bruteForce(pr: FacilityProblem, evaluator: CflEvaluator): Incumbent | null {
  let best: Incumbent | null = null;
  for (let mask = 1; mask < 1 << pr.nSites; mask++) {
    const open = new Uint8Array(pr.nSites);
    for (let i = 0; i < pr.nSites; i++) open[i] = (mask >> i) & 1;
    const inc = evaluator.evaluate(open);
    if (inc && (!best || inc.value < best.value)) best = inc;
  }
  return best;
}

/** Euclidean sites and clients, capacities about `ratio` times the demand in total (tight at 1.5-3). */
function tightModel(seed: number, S: number, C: number, ratio: number): PlacementModel {
  const { rand, demand, total, servingCost } = euclideanScene(seed, S, C);
  const capRaw = Array.from({ length: S }, () => 10 + Math.floor(100 * rand()));
  const capSum = capRaw.reduce((a, b) => a + b, 0);
  const capacity = capRaw.map((c) => Math.ceil((c * ratio * total) / capSum));
  const openingCost = capacity.map((c) => Math.round(20 * Math.sqrt(c) + 40 * rand()));
  const cost = new Float64Array(S * C);
  for (let i = 0; i < S; i++) for (let j = 0; j < C; j++) cost[i * C + j] = servingCost(i, j);
  return createPlacementModel({ sites: S, clients: C, cost, demand, openingCost, capacity });
}

/** Hooks without a primal heuristic: only leaves (exact transportations) find plans, so the tree itself is tested. */
function leafHooks(evaluator: CflEvaluator): SearchHooks {
  return { heuristic: () => null, leaf: (open) => evaluator.evaluate(open), leafSteps: (open) => evaluator.evaluateSteps(open) };
}

const options = { rootIterations: 300, nodeIterations: 40, branch: true, phase: 'test' } as const;

const problemOf = (model: PlacementModel): FacilityProblem | null => {
  const prep = prepareProblem(model, 'cfl');
  return prep.kind === 'ok' ? prep.problem : null;
};

const instanceArb = fc.oneof(
  specArb(7, 9, { allowed: true, flags: true }).map((spec) => build(spec)),
  fc.record({ seed: fc.integer({ min: 1, max: 1 << 30 }), S: fc.integer({ min: 3, max: 8 }), C: fc.integer({ min: 4, max: 12 }), ratio: fc.double({ min: 1.3, max: 4, noNaN: true }) }).map(({ seed, S, C, ratio }) => tightModel(seed, S, C, ratio)),
);

describe('split-demand CFL branch-and-bound, branching on the averaged selection', () => {
  it('proves the brute-force optimum (and infeasibility) with either branching rule', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (model) => {
        const pr = problemOf(model);
        if (!pr) return;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const opt = bruteForce(pr, evaluator);
        for (const branchOnAverage of [true, false]) {
          const r = await lagrangianSearch(pr, new SolveRun({}, 'test', 'min'), leafHooks(evaluator), null, { ...options, branchOnAverage });
          expect(r.complete).toBe(true);
          if (!opt) {
            expect(r.incumbent).toBeNull();
            continue;
          }
          expect(r.incumbent).not.toBeNull();
          expect(r.incumbent!.value).toBeCloseTo(opt.value, 6);
          expect(r.bound).toBeLessThanOrEqual(opt.value + tol(opt.value));
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('paused after the root, its bound stays below the optimum; resumed with a plan, it proves the optimum', async () => {
    let resumed = 0;
    await fc.assert(
      fc.asyncProperty(instanceArb, fc.boolean(), async (model, withOptimum) => {
        const pr = problemOf(model);
        if (!pr) return;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const opt = bruteForce(pr, evaluator);
        if (!opt) return;
        const all = new Uint8Array(pr.nSites);
        for (let i = 0; i < pr.nSites; i++) all[i] = pr.forbidden[i] ? 0 : 1;
        // The plan handed over on resuming: the optimum itself, or every usable site open.
        const plan = withOptimum ? opt : evaluator.evaluate(all);
        const run = new SolveRun({}, 'test', 'min');
        // Paused as soon as the root is done (a deadline already passed).
        const paused = await pausableSearch(pr, run, leafHooks(evaluator), null, { ...options, branchOnAverage: true, searchDeadlineAfterRoot: () => -1 });
        expect(paused.result.bound).toBeLessThanOrEqual(opt.value + tol(opt.value));
        if (paused.result.complete) {
          expect(paused.result.incumbent!.value).toBeCloseTo(opt.value, 6);
          return;
        }
        resumed++;
        const r = await paused.resume(Infinity, plan ?? undefined);
        expect(r.complete).toBe(true);
        expect(r.incumbent!.value).toBeCloseTo(opt.value, 6);
        expect(r.bound).toBeLessThanOrEqual(opt.value + tol(opt.value));
        expect(r.bound).toBeGreaterThanOrEqual(opt.value - tol(opt.value));
      }),
      { numRuns: 60 },
    );
    // The resumed path ran (not every instance closes at the root).
    expect(resumed).toBeGreaterThan(0);
  }, 120_000);
});
