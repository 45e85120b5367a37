import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import { bruteOptimum, tinyGap } from './gap-test-instances.js';

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
