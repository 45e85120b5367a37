import { describe, expect, it } from 'vitest';
import { Rng } from '@emplace/core';
import { drainSteps } from '../../core/test/support/steps.js';
import { gapTabuSteps } from '../src/gap-tabu.js';
import { gapEjectionSteps } from '../src/gap-ejection.js';
import { toGapInstance } from '../src/gap-instance.js';
import { evaluate } from './gap-test-instances.js';
import { mthg } from '../src/mthg.js';
import { generateGap } from '../src/generate-gap.js';

// Issue 13: the tabu swap scan (O(n^2)) and the ejection chain pass (O(n^2 m)) have
// checkpoints inside them; a stop seen there abandons the move and returns the best plan.
describe('GAP walks: checkpoints inside the scans', () => {
  const inst = toGapInstance(generateGap('D', 20, 600, 5), 'min');
  const start = mthg(inst)!;

  it('tabu yields inside its swap scans on 600 jobs (180k pairs a scan), not only every 8 iterations, and stops there with a sound plan', () => {
    const { value, pauses: yields } = drainSteps(gapTabuSteps(inst, start, { rng: new Rng(3), stop: () => false, maxIterations: 200 }));
    expect(value.iterations).toBe(200);
    // 24 checkpoints every 8 iterations (it = 8 .. 192); the scans add theirs.
    expect(yields).toBeGreaterThan(24);
    for (const after of [1, 2, 3, 5, 8, 13, 21]) {
      let calls = 0;
      const r = drainSteps(gapTabuSteps(inst, start, { rng: new Rng(3), stop: () => ++calls >= after, maxIterations: 1000 })).value;
      const e = evaluate(inst, r.assignment);
      expect(e.feasible).toBe(true);
      expect(e.cost).toBe(r.cost);
      expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
    }
  });

  it('ejection chain: a run stopped at any checkpoint returns a sound plan, and the search is the same per seed', () => {
    const full = drainSteps(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => false, maxRounds: 3 }));
    const again = drainSteps(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => false, maxRounds: 3 }));
    expect(Array.from(again.value.assignment)).toEqual(Array.from(full.value.assignment));
    expect(again.pauses).toBe(full.pauses);
    for (const after of [1, 2, 5, 20, 60, Math.floor(full.pauses / 2), full.pauses - 1]) {
      let calls = 0;
      const r = drainSteps(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => ++calls >= after, maxRounds: 3 })).value;
      const e = evaluate(inst, r.assignment);
      expect(e.feasible).toBe(true);
      expect(e.cost).toBe(r.cost);
      expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
    }
  });
});
