import { describe, expect, it } from 'vitest';
import { Rng, type Steps } from '@emplace/core';
import { gapTabuSteps } from '../src/gap-tabu.js';
import { gapEjectionSteps } from '../src/gap-ejection.js';
import { toGapInstance, type GapInstance } from '../src/gap-instance.js';
import { mthg } from '../src/mthg.js';
import { generateGap } from '../src/generate-gap.js';

/** Feasibility and cost of a plan, recomputed from the instance's tables. */
function evaluate(inst: GapInstance, a: Int32Array): { feasible: boolean; cost: number } {
  const { m, n } = inst;
  const load = new Float64Array(m);
  let cost = 0;
  for (let j = 0; j < n; j++) {
    load[a[j]!]! += inst.weight[a[j]! * n + j]!;
    cost += inst.cost[a[j]! * n + j]!;
  }
  let feasible = true;
  for (let i = 0; i < m; i++) if (load[i]! > inst.capacity[i]! + 1e-9) feasible = false;
  return { feasible, cost };
}

/** Drives steps to the end, counting the yields. */
function drive<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  let r = steps.next();
  while (!r.done) {
    yields++;
    r = steps.next();
  }
  return { value: r.value, yields };
}

// Issue 13: the tabu swap scan (O(n^2)) and the ejection chain pass (O(n^2 m)) have
// checkpoints inside them; a stop seen there abandons the move and returns the best plan.
describe('GAP walks: checkpoints inside the scans', () => {
  const inst = toGapInstance(generateGap('D', 20, 600, 5), 'min');
  const start = mthg(inst)!;

  it('tabu yields inside its swap scans on 600 jobs (180k pairs a scan), not only every 8 iterations, and stops there with a sound plan', () => {
    const { value, yields } = drive(gapTabuSteps(inst, start, { rng: new Rng(3), stop: () => false, maxIterations: 200 }));
    expect(value.iterations).toBe(200);
    // 24 checkpoints every 8 iterations (it = 8 .. 192); the scans add theirs.
    expect(yields).toBeGreaterThan(24);
    for (const after of [1, 2, 3, 5, 8, 13, 21]) {
      let calls = 0;
      const r = drive(gapTabuSteps(inst, start, { rng: new Rng(3), stop: () => ++calls >= after, maxIterations: 1000 })).value;
      const e = evaluate(inst, r.assignment);
      expect(e.feasible).toBe(true);
      expect(e.cost).toBe(r.cost);
      expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
    }
  });

  it('ejection chain: a run stopped at any checkpoint returns a sound plan, and the search is the same per seed', () => {
    const full = drive(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => false, maxRounds: 3 }));
    const again = drive(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => false, maxRounds: 3 }));
    expect(Array.from(again.value.assignment)).toEqual(Array.from(full.value.assignment));
    expect(again.yields).toBe(full.yields);
    for (const after of [1, 2, 5, 20, 60, Math.floor(full.yields / 2), full.yields - 1]) {
      let calls = 0;
      const r = drive(gapEjectionSteps(inst, start, { rng: new Rng(4), stop: () => ++calls >= after, maxRounds: 3 })).value;
      const e = evaluate(inst, r.assignment);
      expect(e.feasible).toBe(true);
      expect(e.cost).toBe(r.cost);
      expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
    }
  });
});
