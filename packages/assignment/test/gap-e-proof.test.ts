import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { gapBranchAndBound } from '../src/gap-branch-and-bound.js';
import { toGapInstance } from '../src/gap-instance.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers, polyakTarget } from '../src/gap-lagrangian.js';
import { generateGap } from '../src/generate-gap.js';
import { bruteOptimum, evaluate, expectBranchAndBoundExact, tinyGap } from './gap-test-instances.js';

/**
 * The node subgradient of gap:auto's branch-and-bound at a constant step factor
 * (`nodePatience` = `nodeIterations` = 50, see NODE_ITERATIONS in gap.ts): still exact, and
 * it is what makes the proof of type E smaller.
 */
const CONSTANT = { nodeIterations: 50, nodePatience: 50 };

describe('GAP branch-and-bound with a constant node step factor (gap-branch-and-bound.ts nodePatience)', () => {
  it('equals brute force with no incumbent, a near-optimal incumbent cost and a poor one', () => {
    expectBranchAndBoundExact(CONSTANT, 300);
  });

  it('proves a Chu-Beasley E optimum in fewer nodes than with the halving node run (25 iterations, patience 6)', () => {
    // E 8 x 60 seed 3: root 7102.1, optimum 7124 (the widest root gap of seeds 1-6).
    const inst = toGapInstance(generateGap('E', 8, 60, 3), 'min');
    const opt = gapBranchAndBound(inst, { stop: () => false, incumbentCost: Infinity, rootU: initialMultipliers(inst), rootIterations: 400 }).cost;
    expect(opt).toBe(7124);
    const lag = new GapLagrangian(inst);
    const root = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => polyakTarget(opt), maxIterations: 1000, patience: 40 }));
    const proof = (o: { nodeIterations?: number; nodePatience?: number }) =>
      gapBranchAndBound(inst, { stop: () => false, incumbentCost: opt, rootU: root.u, rootIterations: 100, ...o });
    const halving = proof({});
    const constant = proof(CONSTANT);
    expect(halving.complete && constant.complete).toBe(true);
    expect(constant.bound).toBe(opt);
    expect(halving.bound).toBe(opt);
    // 378 and 259 nodes when written.
    expect(constant.nodes).toBeLessThan(0.85 * halving.nodes);
  });

  it('a lower bound proven outside (lowerBound) keeps the result exact: brute force with any bound up to the optimum', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), ({ inst }, below, slack) => {
        const opt = bruteOptimum(inst);
        if (opt === undefined) return;
        for (const incumbentCost of [Infinity, opt + 1 + slack]) {
          const r = gapBranchAndBound(inst, { stop: () => false, incumbentCost, lowerBound: opt - below, rootU: initialMultipliers(inst), ...CONSTANT });
          expect(r.complete).toBe(true);
          expect(r.cost).toBe(opt);
          expect(r.bound).toBe(opt);
          const e = evaluate(inst, r.assignment!);
          expect(e.feasible).toBe(true);
          expect(e.cost).toBe(opt);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a probe that finds a plan at the proven bound stops there (fewer nodes than searching on)', () => {
    const inst = toGapInstance(generateGap('E', 8, 60, 3), 'min');
    const opt = 7124;
    const lag = new GapLagrangian(inst);
    const root = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => polyakTarget(opt), maxIterations: 1000, patience: 40 }));
    // A probe just above the optimum, as gap:auto makes once its probes have proven opt.
    const probe = (lowerBound: number | undefined) =>
      gapBranchAndBound(inst, { stop: () => false, incumbentCost: opt + 1, lowerBound, rootU: root.u, rootIterations: 100, ...CONSTANT });
    const on = probe(undefined);
    const stopped = probe(opt);
    expect(on.complete && stopped.complete).toBe(true);
    expect(on.cost).toBe(opt);
    expect(stopped.cost).toBe(opt);
    expect(evaluate(inst, stopped.assignment!).cost).toBe(opt);
    expect(stopped.nodes).toBeLessThan(on.nodes);
  });
});
