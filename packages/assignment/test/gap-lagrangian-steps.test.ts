import { describe, expect, it } from 'vitest';
import { subgradient } from '@emplace/core';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import { toGapInstance } from '../src/gap-instance.js';
import { generateGap } from '../src/generate-gap.js';

// Issue 13: each evaluation (m knapsack DPs) is made ahead in steps with checkpoints between
// knapsacks; the dual's trajectory must be the one of core's driver calling evaluate itself.
describe('GAP subgradient with evaluations in steps', () => {
  it('gives the same bound, multipliers and iterations as one evaluate call per iteration, and yields inside evaluations', () => {
    const inst = toGapInstance(generateGap('D', 30, 300, 2), 'min');
    const u0 = initialMultipliers(inst);
    const free = new Int32Array(inst.n).fill(-1);
    const opts = { upper: () => 1.02 * 20_000, maxIterations: 60, theta: 1, patience: 5 };
    const lagA = new GapLagrangian(inst);
    const steps = gapSubgradientSteps(lagA, u0, free, opts);
    let yields = 0;
    let r = steps.next();
    while (!r.done) {
      yields++;
      r = steps.next();
    }
    const a = r.value;
    const lagB = new GapLagrangian(inst);
    const b = subgradient(Float64Array.from(u0), {
      evaluate: (u) => lagB.evaluate(u, free),
      g: lagB.g,
      upper: opts.upper,
      maxIterations: opts.maxIterations,
      theta: opts.theta,
      patience: opts.patience,
      restoreOnHalve: true,
    });
    expect(a.iterations).toBe(b.iterations);
    expect(a.bound).toBe(b.bound);
    expect(Array.from(a.u)).toEqual(Array.from(b.u));
    expect(Array.from(lagA.x)).toEqual(Array.from(lagB.x));
    // One yield per iteration after the first is the driver's; the DPs of 30 x 300 add theirs.
    expect(yields).toBeGreaterThan(a.iterations - 1);
  });

  it('calls stop once per iteration, as the driver alone does (a stop counting its calls lands at the same iteration)', () => {
    const inst = toGapInstance(generateGap('D', 20, 200, 3), 'min');
    const u0 = initialMultipliers(inst);
    const free = new Int32Array(inst.n).fill(-1);
    for (const after of [1, 2, 7, 19, 33]) {
      let callsA = 0;
      let callsB = 0;
      const lagA = new GapLagrangian(inst);
      const steps = gapSubgradientSteps(lagA, u0, free, { upper: () => 8000, maxIterations: 50, stop: () => ++callsA >= after });
      let r = steps.next();
      while (!r.done) r = steps.next();
      const lagB = new GapLagrangian(inst);
      const b = subgradient(Float64Array.from(u0), {
        evaluate: (u) => lagB.evaluate(u, free),
        g: lagB.g,
        upper: () => 8000,
        maxIterations: 50,
        restoreOnHalve: true,
        stop: () => ++callsB >= after,
      });
      expect(callsA).toBe(callsB);
      expect(r.value.iterations).toBe(b.iterations);
      expect(r.value.bound).toBe(b.bound);
      expect(Array.from(lagA.x)).toEqual(Array.from(lagB.x));
    }
  });
});
