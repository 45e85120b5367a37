import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import type { GapInstance } from '../src/gap-instance.js';
import { bruteOptimum, tinyGap } from './gap-test-instances.js';

/** L(u) by enumeration: each agent's best subset of its free allowed jobs (independent of the knapsack code). */
function bruteL(inst: GapInstance, u: Float64Array, fixed: Int32Array, disallow: Uint8Array): number {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const residual = Float64Array.from(capacity);
  let value = 0;
  for (let j = 0; j < n; j++) {
    if (fixed[j]! >= 0) {
      residual[fixed[j]!]! -= weight[fixed[j]! * n + j]!;
      value += cost[fixed[j]! * n + j]!;
    } else value += u[j]!;
  }
  if (residual.some((r) => r < -1e-9)) return Infinity;
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let s = 0; s < 1 << n; s++) {
      let p = 0;
      let w = 0;
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        if (!(s & (1 << j))) continue;
        const k = i * n + j;
        ok = fixed[j]! < 0 && Boolean(feasible[k]) && !disallow[k];
        p += u[j]! - cost[k]!;
        w += weight[k]!;
      }
      if (ok && w <= residual[i]! + 1e-9 && p > best) best = p;
    }
    value -= best;
  }
  return value;
}

describe('GAP Lagrangian relaxation (gap-lagrangian.ts)', () => {
  it('L(u) never crosses the optimum, for any multipliers and any consistent fixing', () => {
    fc.assert(
      fc.property(tinyGap, fc.array(fc.double({ min: -20, max: 60, noNaN: true }), { minLength: 7, maxLength: 7 }), ({ inst }, us) => {
        const opt = bruteOptimum(inst);
        if (opt === undefined) return;
        const u = Float64Array.from({ length: inst.n }, (_, j) => us[j]!);
        const lag = new GapLagrangian(inst);
        expect(lag.evaluate(u, new Int32Array(inst.n).fill(-1))).toBeLessThanOrEqual(opt + 1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('the subgradient bound never crosses the optimum and is deterministic', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const opt = bruteOptimum(inst);
        const run = () =>
          runSteps(gapSubgradientSteps(new GapLagrangian(inst), initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => opt ?? Infinity, maxIterations: 200 }));
        const a = run();
        const b = run();
        expect(a.bound).toBe(b.bound);
        if (opt !== undefined) expect(a.bound).toBeLessThanOrEqual(opt + 1e-6);
      }),
      { numRuns: 150 },
    );
  });

  it('an evaluation over listPairs equals the full scan (value, x and g), for any fixing and disallowed pairs', () => {
    fc.assert(
      fc.property(
        tinyGap,
        fc.array(fc.double({ min: -20, max: 60, noNaN: true }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.boolean(), { minLength: 21, maxLength: 21 }),
        ({ inst }, us, fx, dis) => {
          const { m, n } = inst;
          const u = Float64Array.from({ length: n }, (_, j) => us[j]!);
          const fixed = Int32Array.from({ length: n }, (_, j) => (fx[j]! < m ? fx[j]! : -1));
          const disallow = Uint8Array.from({ length: m * n }, (_, k) => (dis[k]! ? 1 : 0));
          const a = new GapLagrangian(inst);
          const b = new GapLagrangian(inst);
          const va = a.evaluate(u, fixed, disallow);
          // A list made for another fixing first: listPairs must replace it whole.
          b.listPairs(new Int32Array(n).fill(-1), undefined);
          b.listPairs(fixed, disallow);
          const vb = runSteps(b.evaluateSteps(u, fixed, disallow, true));
          expect(vb).toBe(va);
          expect(va).toBeCloseTo(bruteL(inst, u, fixed, disallow), 9);
          if (va === Infinity) return;
          expect(Array.from(b.x)).toEqual(Array.from(a.x));
          expect(Array.from(b.g)).toEqual(Array.from(a.g));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops at the target bound', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const r = runSteps(gapSubgradientSteps(new GapLagrangian(inst), initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => Infinity, maxIterations: 500, target: -Infinity }));
        expect(r.iterations).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });
});
