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

  it('penalties give L of each child exactly: L(u) + penIn_ij + the other agents\' penOut_kj', () => {
    fc.assert(
      fc.property(tinyGap, fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 7, maxLength: 7 }), fc.integer({ min: -1, max: 6 }), ({ inst }, shift, fixJob) => {
        const { m, n } = inst;
        const u = initialMultipliers(inst);
        for (let j = 0; j < n; j++) u[j]! += shift[j]!;
        const fixed = new Int32Array(n).fill(-1);
        // Sometimes a node: one job fixed to its first feasible agent that fits.
        if (fixJob >= 0 && fixJob < n) for (let i = 0; i < m && fixed[fixJob]! < 0; i++) if (inst.feasible[i * n + fixJob] && inst.weight[i * n + fixJob]! <= inst.capacity[i]!) fixed[fixJob] = i;
        const disallow = new Uint8Array(m * n);
        const lag = new GapLagrangian(inst);
        const v = lag.evaluate(u, fixed, disallow);
        if (v === Infinity) return;
        const fixing = new GapFixing(inst);
        fixing.pass(u, v, Infinity, fixed, disallow, () => {}, () => {});
        expect(fixing.tabled).toBe(true);
        const residual = Float64Array.from(inst.capacity);
        for (let j = 0; j < n; j++) if (fixed[j]! >= 0) residual[fixed[j]!]! -= inst.weight[fixed[j]! * n + j]!;
        for (let j = 0; j < n; j++) {
          if (fixed[j]! >= 0) continue;
          let sOut = 0;
          for (let i = 0; i < m; i++) if (inst.feasible[i * n + j] && !disallow[i * n + j]) sOut += fixing.penOut[i * n + j]!;
          for (let i = 0; i < m; i++) {
            const k = i * n + j;
            if (!inst.feasible[k] || disallow[k] || inst.weight[k]! > residual[i]!) continue;
            fixed[j] = i;
            const child = new GapLagrangian(inst).evaluate(u, fixed, disallow);
            fixed[j] = -1;
            expect(v + fixing.penIn[k]! + sOut - fixing.penOut[k]!).toBeCloseTo(child, 6);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('passes on one object (tables kept for unchanged agents) fix and price exactly as a fresh object, over a run of nodes', () => {
    // Each step moves a multiplier or not, fixes a job or bans a pair, then runs a pass on the kept object and on a fresh one.
    const step = fc.record({ j: fc.integer({ min: 0, max: 6 }), du: fc.constantFrom(0, 0, 0, 2, -5), i: fc.integer({ min: -1, max: 2 }), ban: fc.boolean(), slack: fc.integer({ min: 0, max: 8 }) });
    fc.assert(
      fc.property(tinyGap, fc.array(step, { minLength: 1, maxLength: 10 }), ({ inst }, steps) => {
        const { m, n } = inst;
        const u = initialMultipliers(inst);
        const fixed = new Int32Array(n).fill(-1);
        const disallow = new Uint8Array(m * n);
        const kept = new GapFixing(inst);
        const lag = new GapLagrangian(inst);
        for (const s of steps) {
          const j = s.j % n;
          u[j]! += s.du;
          if (s.i >= 0 && s.i < m && inst.feasible[s.i * n + j]) {
            if (s.ban) disallow[s.i * n + j] = 1;
            else if (fixed[j]! < 0) fixed[j] = s.i;
          }
          const v = lag.evaluate(u, fixed, disallow);
          if (v === Infinity) return;
          const cutoff = v + s.slack;
          const fixedB = Int32Array.from(fixed);
          const disallowB = Uint8Array.from(disallow);
          const fresh = new GapFixing(inst);
          const a = kept.pass(u, v, cutoff, fixed, disallow, () => {}, () => {});
          const b = fresh.pass(u, v, cutoff, fixedB, disallowB, () => {}, () => {});
          expect(a).toBe(b);
          if (a < 0) return;
          expect(Array.from(fixed)).toEqual(Array.from(fixedB));
          expect(Array.from(disallow)).toEqual(Array.from(disallowB));
          for (let k = 0; k < m * n; k++) {
            if (fixed[k % n]! >= 0 || !inst.feasible[k] || disallow[k]) continue;
            expect(kept.penIn[k]).toBe(fresh.penIn[k]);
            expect(kept.penOut[k]).toBe(fresh.penOut[k]);
          }
        }
      }),
      { numRuns: 300 },
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
