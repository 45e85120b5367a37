import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SolveRun } from '@emplace/core';
import { ScenarioEvaluator } from '../src/scenarios.js';
import { uflEquivalent } from '../src/stochastic-extensive.js';
import { scenarioSet } from './scenario-instances.js';

/**
 * Issue 13 regression: after a stop, stochastic ufl-equivalent / auto evaluated the exact
 * search's open set over every scenario in one 50-170 ms stretch; the equivalent UFL's own
 * matrices give that evaluation. It must be the evaluator's, up to rounding.
 */
describe('the ufl-equivalent outcome carries the evaluation of its open set', () => {
  it('equals ScenarioEvaluator.evaluate (recourse, unserved, expected, worst) on random sets, stopped or not', async () => {
    let compared = 0;
    let withUnserved = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 12 }), fc.integer(), fc.constantFrom(0, 1, 5, 40, -1), fc.constantFrom(5, 30, 500), async (S, C, K, seed, stopAfterTicks, penalty) => {
        const set = scenarioSet(S, C, K, seed, penalty);
        const ctl = new AbortController();
        const run = new SolveRun({ signal: ctl.signal }, 'stochastic:ufl-equivalent', 'min');
        let ticks = 0;
        const tick = run.tick.bind(run);
        run.tick = async () => {
          if (stopAfterTicks >= 0 && ticks++ === stopAfterTicks) ctl.abort();
          return tick();
        };
        const evaluator = new ScenarioEvaluator(set);
        const out = await uflEquivalent(set, evaluator, run);
        if (!out.open) return;
        const got = out.evaluation;
        expect(got, 'an open set comes with its evaluation').toBeTruthy();
        const want = evaluator.evaluate(out.open);
        const close = (a: number, b: number): void => {
          if (b === Infinity) expect(a).toBe(Infinity);
          else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
        };
        close(got!.openingCost, want.openingCost);
        close(got!.expected, want.expected);
        close(got!.worst, want.worst);
        for (let s = 0; s < K; s++) {
          close(got!.recourse[s]!, want.recourse[s]!);
          expect(got!.unserved[s]).toBe(want.unserved[s]);
        }
        compared++;
        if (want.unserved.some((u) => u > 0)) withUnserved++;
      }),
      { numRuns: 80 },
    );
    // Not vacuous: most runs end with an open set, some with clients left at the penalty (a penalty of 5 per unit is below most serving costs).
    expect(compared).toBeGreaterThan(25);
    expect(withUnserved).toBeGreaterThan(0);
  });
});
