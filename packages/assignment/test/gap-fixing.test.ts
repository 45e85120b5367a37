import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GapFixing } from '../src/gap-fixing.js';
import { GapLagrangian, initialMultipliers } from '../src/gap-lagrangian.js';
import { allAssignments, tinyGap } from './gap-test-instances.js';

describe('reduced-cost fixing (gap-fixing.ts)', () => {
  it('never removes an assignment that beats the cutoff, for any multipliers', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 7, maxLength: 7 }), ({ inst }, slack, shift) => {
        const all = allAssignments(inst);
        if (all.length === 0) return;
        const opt = Math.min(...all.map((s) => s.cost));
        const u = initialMultipliers(inst);
        for (let j = 0; j < inst.n; j++) u[j]! += shift[j]!;
        const fixed = new Int32Array(inst.n).fill(-1);
        const disallow = new Uint8Array(inst.m * inst.n);
        const lag = new GapLagrangian(inst);
        const bound = lag.evaluate(u, fixed, disallow);
        expect(bound).toBeLessThanOrEqual(opt + 1e-9);
        // Incumbent opt + slack: every assignment costing at most incumbent - 1 must survive.
        const upper = opt + slack;
        const changes = new GapFixing(inst).pass(u, bound, upper - 1 + 1e-6, fixed, disallow, () => {}, () => {});
        const survivors = all.filter((s) => s.cost <= upper - 1);
        if (survivors.length > 0) expect(changes).toBeGreaterThanOrEqual(0);
        if (changes < 0) return;
        for (const s of survivors) {
          for (let j = 0; j < inst.n; j++) {
            const i = s.assignment[j]!;
            expect(disallow[i * inst.n + j]).toBe(0);
            if (fixed[j]! >= 0) expect(fixed[j]).toBe(i);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('fixes nothing when there is no incumbent', () => {
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const u = initialMultipliers(inst);
        const fixed = new Int32Array(inst.n).fill(-1);
        const disallow = new Uint8Array(inst.m * inst.n);
        const bound = new GapLagrangian(inst).evaluate(u, fixed, disallow);
        let removed = 0;
        new GapFixing(inst).pass(u, bound, Infinity, fixed, disallow, () => removed++, () => removed++);
        // Only pairs that cannot fit at all may go.
        for (let k = 0; k < inst.m * inst.n; k++) if (disallow[k]) expect(inst.weight[k]!).toBeGreaterThan(inst.capacity[Math.floor(k / inst.n)]!);
        expect(fixed.every((a) => a === -1)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
