import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps, SolveRun } from '@emplace/core';
import { CflEvaluator, coverDemand, kickedSearch, lagrangianSwapSearchSteps, nearPlansSteps } from '../src/capacitated.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem, unitCosts, type FacilityProblem } from '../src/problem.js';
import { checkSolution, toSolution } from '../src/solution.js';
import { build, specArb, tol } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

// The kicks of the iterated swap search of split-demand CFL (issue 17): near plans in exact order,
// best-first over the local optima met.

/** The relaxation's initial multipliers and site costs (any multipliers give valid screening bounds). */
function rootOf(pr: FacilityProblem): { rho: Float64Array; sumV: number } | null {
  const lr = new LagrangianRelaxation(pr);
  const v = lr.initialMultipliers();
  if (lr.evaluate(v, new Int8Array(pr.nSites).fill(-1)) === Infinity) return null;
  let sumV = 0;
  for (const x of v) sumV += x;
  return { rho: Float64Array.from(lr.rho), sumV };
}

describe('nearPlansSteps', () => {
  it('gives feasible plans one move (<= 2 closings, <= 2 openings) from the start, exactly costed, cheapest first', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: true }), fc.integer({ min: 0, max: 127 }), (spec, bits) => {
        const model = build(spec);
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const open = new Uint8Array(pr.nSites);
        for (let i = 0; i < pr.nSites; i++) open[i] = pr.mustOpen[i] || (!pr.forbidden[i] && (bits >> i) & 1) ? 1 : 0;
        if (!coverDemand(pr, open)) return;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const start = evaluator.evaluate(open);
        const root = rootOf(pr);
        if (!start || !root) return;
        const plans = runSteps(nearPlansSteps(pr, evaluator, start, root.rho, root.sumV, undefined, () => false));
        const fresh = new CflEvaluator(pr, unitCosts(pr));
        for (let k = 0; k < plans.length; k++) {
          const p = plans[k]!;
          if (k > 0) expect(p.value).toBeGreaterThanOrEqual(plans[k - 1]!.value);
          let closed = 0;
          let opened = 0;
          for (let i = 0; i < pr.nSites; i++) {
            if (start.solution.open[i] && !p.solution.open[i]) closed++;
            if (!start.solution.open[i] && p.solution.open[i]) opened++;
          }
          expect(closed).toBeLessThanOrEqual(2);
          expect(opened).toBeLessThanOrEqual(2);
          expect(closed + opened).toBeGreaterThan(0);
          expect(fresh.evaluate(p.solution.open)!.value).toBeCloseTo(p.value, 6);
          expect(checkSolution(model, 'cfl', toSolution(model, pr, p.solution).solution).violations).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('kickedSearch', () => {
  const model = cornuejols(40, 160, 4, 11);
  const prep = prepareProblem(model, 'cfl');
  if (prep.kind !== 'ok') throw new Error('instance must be feasible');
  const pr = prep.problem;

  /** From the swap search's local optimum of the cover-demand start, kicks until `polls` stop tests. */
  async function kicked(polls: number) {
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    const open = new Uint8Array(pr.nSites);
    coverDemand(pr, open);
    const root = rootOf(pr)!;
    const first = evaluator.evaluate(open)!;
    const local = runSteps(lagrangianSwapSearchSteps(pr, evaluator, first, root.rho, root.sumV, undefined, () => false));
    let n = 0;
    const run = new SolveRun({ seed: 3 }, 'test', 'min');
    const out = await kickedSearch(pr, run, evaluator, local, root.rho, root.sumV, undefined, () => ++n > polls);
    return { local, out: out.incumbent };
  }

  for (const polls of [50, 400, 3000]) {
    it(`after ${polls} stop tests: a feasible, exactly costed plan no worse than the local optimum, the same for the same seed`, async () => {
      const a = await kicked(polls);
      const b = await kicked(polls);
      expect(a.out.value).toBeLessThanOrEqual(a.local.value + tol(a.local.value));
      expect(checkSolution(model, 'cfl', toSolution(model, pr, a.out.solution).solution).violations).toEqual([]);
      expect(new CflEvaluator(pr, unitCosts(pr)).evaluate(a.out.solution.open)!.value).toBeCloseTo(a.out.value, 6);
      expect(b.out.value).toBe(a.out.value);
      expect(Array.from(b.out.solution.open)).toEqual(Array.from(a.out.solution.open));
    }, 60_000);
  }
});

describe('kickedSearch with seed plans (the tree heuristic plans of reducedMip)', () => {
  it('run to exhaustion: a feasible plan no worse than the start or any seed, the same for the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(7, 10, { allowed: true, flags: true }), fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 4 }), async (spec, masks) => {
        const model = build(spec);
        const prep = prepareProblem(model, 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const plans = masks.flatMap((bits) => {
          const open = new Uint8Array(pr.nSites);
          for (let i = 0; i < pr.nSites; i++) open[i] = pr.mustOpen[i] || (!pr.forbidden[i] && (bits >> i) & 1) ? 1 : 0;
          const p = coverDemand(pr, open) ? evaluator.evaluate(open) : null;
          return p ? [p] : [];
        });
        const root = rootOf(pr);
        if (plans.length === 0 || !root) return;
        const [start, ...seeds] = plans as [(typeof plans)[0], ...typeof plans];
        const search = async () => (await kickedSearch(pr, new SolveRun({ seed: 5 }, 'test', 'min'), new CflEvaluator(pr, unitCosts(pr)), start, root.rho, root.sumV, undefined, () => false, seeds)).incumbent;
        const out = await search();
        expect(out.value).toBeLessThanOrEqual(start.value + tol(start.value));
        for (const s of seeds) expect(out.value).toBeLessThanOrEqual(s.value + tol(s.value));
        expect(checkSolution(model, 'cfl', toSolution(model, pr, out.solution).solution).violations).toEqual([]);
        expect(new CflEvaluator(pr, unitCosts(pr)).evaluate(out.solution.open)!.value).toBeCloseTo(out.value, 6);
        const again = await search();
        expect(Array.from(again.solution.open)).toEqual(Array.from(out.solution.open));
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
