import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, runSteps } from '@emplace/core';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import { toGapInstance, type GapInstance } from '../src/gap-instance.js';
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

  it('a run of evaluations on one object (knapsacks kept from the last) matches enumeration at each step: value, and x an optimal plan of it', () => {
    // Steps move a few multipliers, fix a job or ban a pair, so some agents keep their knapsack and some do not.
    const step = fc.record({ j: fc.integer({ min: 0, max: 6 }), du: fc.constantFrom(0, 0, 0.5, -3, -40, 7), i: fc.integer({ min: -1, max: 2 }), ban: fc.boolean() });
    fc.assert(
      fc.property(tinyGap, fc.array(fc.double({ min: -20, max: 60, noNaN: true }), { minLength: 7, maxLength: 7 }), fc.array(step, { minLength: 1, maxLength: 20 }), ({ inst }, us, steps) => {
        const { m, n, cost, weight, capacity } = inst;
        const u = Float64Array.from({ length: n }, (_, j) => us[j]!);
        const fixed = new Int32Array(n).fill(-1);
        const disallow = new Uint8Array(m * n);
        const lag = new GapLagrangian(inst);
        for (const s of steps) {
          const j = s.j % n;
          u[j]! += s.du;
          if (s.i >= 0 && s.i < m) {
            if (s.ban) disallow[s.i * n + j] = 1;
            else if (fixed[j]! < 0 && inst.feasible[s.i * n + j]) fixed[j] = s.i;
          }
          const v = runSteps(lag.evaluateSteps(u, fixed, disallow));
          const want = bruteL(inst, u, fixed, disallow);
          if (want === Infinity) {
            expect(v).toBe(Infinity);
            continue;
          }
          expect(v).toBeCloseTo(want, 9);
          // x is a plan of each agent's knapsack worth exactly L, and g is 1 - its column sums.
          let fromX = 0;
          const load = Float64Array.from(capacity);
          for (let q = 0; q < n; q++) {
            if (fixed[q]! >= 0) {
              fromX += cost[fixed[q]! * n + q]!;
              load[fixed[q]!]! -= weight[fixed[q]! * n + q]!;
              continue;
            }
            fromX += u[q]!;
            let col = 0;
            for (let a = 0; a < m; a++) {
              const x = lag.x[a * n + q]!;
              expect(x === 0 || x === 1).toBe(true);
              if (x === 0) continue;
              expect(inst.feasible[a * n + q] && !disallow[a * n + q]).toBeTruthy();
              fromX -= u[q]! - cost[a * n + q]!;
              load[a]! -= weight[a * n + q]!;
              col++;
            }
            expect(lag.g[q]).toBe(1 - col);
          }
          for (let a = 0; a < m; a++) expect(load[a]!).toBeGreaterThanOrEqual(-1e-9);
          expect(fromX).toBeCloseTo(v, 9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an agent whose items stay but whose capacity shrinks (a job fixed to it) solves its knapsack again', () => {
    // One agent of capacity 10, jobs 0, 2, 3 of weight 3 worth 10 each and job 1 (weight 3) worth nothing: fixing job 1 leaves room for two.
    const model = createPlacementModel({ sites: 1, clients: 4, cost: [0, 50, 0, 0], siteDemand: [3, 3, 3, 3], capacity: [10] });
    const inst = toGapInstance(model, 'min');
    const lag = new GapLagrangian(inst);
    const u = Float64Array.from([10, 0, 10, 10]);
    const fixed = new Int32Array(4).fill(-1);
    expect(lag.evaluate(u, fixed)).toBe(0);
    fixed[1] = 0;
    expect(lag.evaluate(u, fixed)).toBe(50 + 30 - 20);
    expect(lag.x[0]! + lag.x[2]! + lag.x[3]!).toBe(2);
  });

  it('a kept table row is reused only where it was filled: a new item after it needs the row lower down', () => {
    // Capacity 10; jobs of weight 4, 4, 6, 6. First A, B, C are items (C's row is filled at capacity 10 only); then D joins and takes A with it.
    const model = createPlacementModel({ sites: 1, clients: 4, cost: [0, 0, 0, 0], siteDemand: [4, 4, 6, 6], capacity: [10] });
    const inst = toGapInstance(model, 'min');
    const lag = new GapLagrangian(inst);
    const fixed = new Int32Array(4).fill(-1);
    expect(lag.evaluate(Float64Array.from([10, 10, 12, -1]), fixed)).toBe(31 - 22);
    expect(lag.evaluate(Float64Array.from([10, 10, 12, 15]), fixed)).toBe(47 - 25);
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
