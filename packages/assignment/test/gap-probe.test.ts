import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng } from '@emplace/core';
import { gapBranchAndBound } from '../src/gap-branch-and-bound.js';
import { toGapInstance } from '../src/gap-instance.js';
import { initialMultipliers, polyakTarget } from '../src/gap-lagrangian.js';
import { gapAuto, gapBranchAndBoundSolve } from '../src/gap.js';
import { generateGap } from '../src/generate-gap.js';
import { allAssignments, bruteOptimum, evaluate, tinyGap } from './gap-test-instances.js';

/**
 * Issue 17: the proof of gap:auto / branch-and-bound probes below the incumbent (an
 * artificial incumbent cost just above the bound), pauses its search between the slices of
 * auto (a plan found meanwhile reaches it through `outside`), and the root's Polyak target
 * overshoots the incumbent.
 */

/** Small D-like instances with tight capacities: the root rarely closes them, so the probes run. */
const smallGap = fc
  .record({
    m: fc.integer({ min: 2, max: 3 }),
    n: fc.integer({ min: 5, max: 9 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    tight: fc.double({ min: 0.7, max: 1.1, noNaN: true }),
  })
  .map(({ m, n, seed, tight }) => {
    const rng = new Rng(seed);
    const siteDemand = Array.from({ length: m * n }, () => 1 + rng.int(30));
    const cost = siteDemand.map((r) => 50 - r + rng.int(9));
    const capacity = Array.from({ length: m }, () => Math.max(1, Math.round((tight * 15.5 * n) / m)));
    return createPlacementModel({ sites: m, clients: n, cost, siteDemand, capacity });
  })
  .map((model) => ({ model, inst: toGapInstance(model, 'min') }));

describe('GAP proof by probes below the incumbent (gap.ts ExactSearch)', () => {
  it('branch-and-bound with probes proves the brute-force optimum (and runs probes)', async () => {
    let probes = 0;
    await fc.assert(
      fc.asyncProperty(smallGap, async ({ model, inst }) => {
        const opt = bruteOptimum(inst);
        const r = await gapBranchAndBoundSolve(model);
        if (opt === undefined) {
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        expect(r.objective).toBe(opt);
        expect(r.bound).toBe(opt);
        const e = evaluate(inst, r.solution!.assignment);
        expect(e).toEqual({ feasible: true, cost: opt });
        probes += Number(r.stats['probes'] ?? 0);
      }),
      { numRuns: 150 },
    );
    // The property is about the probes: some of these instances must have needed them.
    expect(probes).toBeGreaterThan(10);
  });

  it('auto with a time limit (paused and resumed searches): optimal only at the optimum of the untimed proof, the bound never above it', async () => {
    for (const [type, m, n, seed] of [
      ['E', 5, 40, 11],
      ['D', 5, 30, 12],
      ['E', 8, 40, 13],
      ['D', 4, 40, 14],
    ] as const) {
      const model = generateGap(type, m, n, seed);
      const reported: number[] = [];
      const proof = await gapBranchAndBoundSolve(model, { progressIntervalMs: 0, onProgress: (e) => e.incumbent !== undefined && reported.push(e.incumbent) });
      expect(proof.status).toBe('optimal');
      // Every incumbent reported is a plan's cost, never a probe's artificial cost below the optimum.
      expect(reported.length).toBeGreaterThan(0);
      expect(Math.min(...reported)).toBeGreaterThanOrEqual(proof.objective!);
      for (const timeLimitMs of [150, 600]) {
        const r = await gapAuto(model, { timeLimitMs, seed: 3 });
        expect(r.objective).toBeGreaterThanOrEqual(proof.objective!);
        expect(r.bound!).toBeLessThanOrEqual(proof.objective!);
        if (r.status === 'optimal') expect(r.objective).toBe(proof.objective);
      }
    }
  });
});

describe('branch-and-bound takes plans found outside the search (GapBnbOptions.outside)', () => {
  it('a search stopped at its first node returns a cheaper outside plan; a complete one still proves the optimum', () => {
    fc.assert(
      fc.property(tinyGap, fc.nat(), ({ inst }, pick) => {
        const plans = allAssignments(inst);
        if (plans.length === 0) return;
        const opt = Math.min(...plans.map((p) => p.cost));
        const outside = plans[pick % plans.length]!;
        const plan = { cost: outside.cost, assignment: Int32Array.from(outside.assignment) };
        // Stopped at once: nothing of its own, the outside plan is its answer.
        const stopped = gapBranchAndBound(inst, { stop: () => true, incumbentCost: Infinity, rootU: initialMultipliers(inst), outside: () => plan });
        if (stopped.assignment) {
          expect(stopped.cost).toBeLessThanOrEqual(outside.cost);
          expect(evaluate(inst, stopped.assignment)).toEqual({ feasible: true, cost: stopped.cost });
        } else {
          // Pruned at the root: only when the root bound proves the outside plan optimal.
          expect(outside.cost).toBe(opt);
        }
        const full = gapBranchAndBound(inst, { stop: () => false, incumbentCost: Infinity, rootU: initialMultipliers(inst), outside: () => plan });
        expect(full.complete).toBe(true);
        expect(full.cost).toBe(opt);
        expect(evaluate(inst, full.assignment!)).toEqual({ feasible: true, cost: opt });
      }),
      { numRuns: 300 },
    );
  });
});

describe('polyakTarget (the root subgradient target)', () => {
  it('overshoots a finite incumbent by 5 % of its size, keeps Infinity', () => {
    expect(polyakTarget(1000)).toBeCloseTo(1050, 9);
    expect(polyakTarget(-1000)).toBeCloseTo(-950, 9);
    expect(polyakTarget(0)).toBeCloseTo(0.05, 9);
    expect(polyakTarget(Infinity)).toBe(Infinity);
  });

  it('gives the GAP root a sharper bound than the incumbent as target on Chu-Beasley E (500 iterations)', async () => {
    const { GapLagrangian, gapSubgradientSteps } = await import('../src/gap-lagrangian.js');
    const { runSteps } = await import('@emplace/core');
    const inst = toGapInstance(generateGap('E', 10, 120, 77), 'min');
    const bound = (upper: number): number => {
      const lag = new GapLagrangian(inst);
      return runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => upper, maxIterations: 500 })).bound;
    };
    // An upper cost just above the dual optimum (a good incumbent): the plain target stalls.
    const near = Math.ceil(bound(polyakTarget(2 * bound(Infinity)))) + 3;
    expect(bound(polyakTarget(near))).toBeGreaterThan(bound(near));
  });
});

describe('the root of gap:auto / gap:lagrangian (ROOT_PATIENCE)', () => {
  it('ends no lower than a core-default run (patience 20) aimed at 5 % above its incumbent, on Chu-Beasley E 20 x 200', async () => {
    const { GapLagrangian, gapSubgradientSteps } = await import('../src/gap-lagrangian.js');
    const { runSteps } = await import('@emplace/core');
    const { gapLagrangian } = await import('../src/gap.js');
    const model = generateGap('E', 20, 200, 9403);
    const root = await gapLagrangian(model, { maxIterations: 1000 });
    const inst = toGapInstance(model, 'min');
    const lag = new GapLagrangian(inst);
    const plain = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => polyakTarget(root.objective!), maxIterations: 1000 }));
    // With patience 20 the root stopped at 23000 (its step factor halved below 1e-4), the plain run at 23004.45.
    expect(root.bound!).toBeGreaterThanOrEqual(Math.ceil(plain.bound - 1e-6));
  });
});
