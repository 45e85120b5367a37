import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, runSteps } from '@emplace/core';
import { gapAuto, gapLagrangian } from '@emplace/assignment';
import { toGapInstance } from '../src/gap-instance.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import { mthg, mthgPass, MTHG_CRITERIA } from '../src/mthg.js';
import { bruteOptimum, evaluate, tinyGap } from './gap-test-instances.js';

/**
 * The root of gap:auto stops as soon as its bound proves the incumbent (issue 17: on small
 * problems in a fresh process every skipped step is interpreted code saved): the cost-criterion
 * MTHG plan first, the other criteria and the Lagrangian heuristic only while the bound has not
 * closed, and the closing target re-read as the heuristic improves the plan. These check that
 * the shortcut never claims more than is proven.
 */

/** Tiny GAP with fractional costs: the root's closing test is then the exact one, not the integer rounding. */
const tinyFractionalGap = tinyGap.map(({ model }) => {
  const cost = Array.from(model.cost, (c, k) => c + ((k * 7919) % 13) / 17);
  const m = createPlacementModel({ sites: model.nSites, clients: model.nClients, cost, siteDemand: Array.from(model.siteDemand!), capacity: Array.from(model.capacity) });
  return { model: m, inst: toGapInstance(m, 'min') };
});

describe('GAP root closure (gap.ts root)', () => {
  it('auto: optimal only at the brute-force optimum, a feasible plan at its true cost, a bound never above the optimum (integer and fractional costs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(tinyGap, tinyFractionalGap), async ({ model, inst }) => {
        const opt = bruteOptimum(inst);
        const r = await gapAuto(model, { timeLimitMs: 5000 });
        if (opt === undefined) {
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        const e = evaluate(inst, r.solution!.assignment);
        expect(e.feasible).toBe(true);
        expect(r.objective).toBeCloseTo(e.cost, 9);
        expect(r.objective).toBeCloseTo(opt, 9);
        const lag = await gapLagrangian(model, { maxIterations: 50 });
        if (lag.bound !== undefined) expect(lag.bound).toBeLessThanOrEqual(opt + 1e-6);
        if (lag.status === 'optimal') expect(lag.objective).toBeCloseTo(opt, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('mthg over a list of criteria keeps the cheapest of their passes (the root runs the cost criterion first, the rest later)', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const costs = MTHG_CRITERIA.map((c) => {
          const a = mthgPass(inst, c);
          return a ? evaluate(inst, a).cost : Infinity;
        });
        const cheapest = (a: Int32Array | undefined): number => (a ? evaluate(inst, a).cost : Infinity);
        expect(cheapest(mthg(inst))).toBe(Math.min(...costs));
        expect(cheapest(mthg(inst, MTHG_CRITERIA.slice(0, 1)))).toBe(costs[0]);
        expect(cheapest(mthg(inst, MTHG_CRITERIA.slice(1)))).toBe(Math.min(...costs.slice(1)));
      }),
      { numRuns: 200 },
    );
  });

  it('the subgradient re-reads a target given as a function: a target lowered during the run stops it at once', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const opt = bruteOptimum(inst);
        if (opt === undefined) return;
        let target = Infinity;
        let evals = 0;
        const r = runSteps(
          gapSubgradientSteps(new GapLagrangian(inst), initialMultipliers(inst), new Int32Array(inst.n).fill(-1), {
            upper: () => opt,
            maxIterations: 100,
            target: () => target,
            onIterate: () => {
              // After the third evaluation any bound meets the target.
              if (++evals === 3) target = -Infinity;
            },
          }),
        );
        if (r.stoppedBy === 'done') expect(r.iterations).toBe(3);
        else expect(r.iterations).toBeLessThanOrEqual(3);
        expect(r.bound).toBeLessThanOrEqual(opt + 1e-6);
      }),
      { numRuns: 100 },
    );
  });

  it('a first value handed to the subgradient replaces its first evaluation: the same run as without it', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const opt = bruteOptimum(inst);
        const free = new Int32Array(inst.n).fill(-1);
        const u0 = initialMultipliers(inst);
        const plain = runSteps(gapSubgradientSteps(new GapLagrangian(inst), u0, free, { upper: () => opt ?? Infinity, maxIterations: 40 }));
        const lag = new GapLagrangian(inst);
        const first = lag.evaluate(u0, free);
        const primed = runSteps(gapSubgradientSteps(lag, u0, free, { upper: () => opt ?? Infinity, maxIterations: 40, first }));
        expect(primed.bound).toBe(plain.bound);
        expect(primed.iterations).toBe(plain.iterations);
        expect(Array.from(primed.u)).toEqual(Array.from(plain.u));
      }),
      { numRuns: 200 },
    );
  });

  it('with equal capacities the relative-weight pass is the weight pass (the root skips it)', () => {
    fc.assert(
      fc.property(tinyGap, ({ model }) => {
        const b = model.capacity[0]!;
        const m = createPlacementModel({ sites: model.nSites, clients: model.nClients, cost: Array.from(model.cost), siteDemand: Array.from(model.siteDemand!), capacity: Array.from(model.capacity, () => b) });
        const inst = toGapInstance(m, 'min');
        const w = mthgPass(inst, 'weight');
        const rw = mthgPass(inst, 'relative-weight');
        expect(rw && Array.from(rw)).toEqual(w && Array.from(w));
      }),
      { numRuns: 500 },
    );
  });

  it('with equal capacities the passes agree where weights tie in regret (fast-check seed 806881612)', () => {
    // Two sites of capacity 28: clients 3 and 4 have the same weight regret (17 - 13 = 13 - 9),
    // which 17/28 - 13/28 and 13/28 - 9/28 round apart.
    const m = createPlacementModel({
      sites: 2,
      clients: 6,
      cost: [25, 23, 7, 23, 21, 11, 13, 23, 9, 21, 5, 25],
      siteDemand: [7, 5, 13, 13, 9, 1, 17, 13, 5, 17, 13, 5],
      capacity: [28, 28],
    });
    const inst = toGapInstance(m, 'min');
    const w = mthgPass(inst, 'weight');
    expect(w).toBeDefined();
    expect(Array.from(mthgPass(inst, 'relative-weight')!)).toEqual(Array.from(w!));
  });
});
