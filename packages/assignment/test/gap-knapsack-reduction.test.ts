import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KnapsackSolver, sortByRatio } from '../src/knapsack.js';

/** The 0-1 knapsack optimum by a plain DP over the capacity (independent of knapsack.ts). */
function plainDp(p: number[], w: number[], cap: number): number {
  const best = new Float64Array(cap + 1);
  for (let k = 0; k < p.length; k++) for (let c = cap; c >= w[k]!; c--) best[c] = Math.max(best[c]!, best[c - w[k]!]! + p[k]!);
  return best[cap]!;
}

/** The optimum by enumerating every subset (up to 14 items). */
function brute(p: number[], w: number[], cap: number): number {
  let best = 0;
  for (let mask = 0; mask < 1 << p.length; mask++) {
    let sp = 0;
    let sw = 0;
    for (let k = 0; k < p.length; k++) {
      if (!(mask & (1 << k))) continue;
      sp += p[k]!;
      sw += w[k]!;
    }
    if (sw <= cap && sp > best) best = sp;
  }
  return best;
}

/**
 * Knapsacks shaped like those of the GAP Lagrangian on Chu-Beasley D: integer weights,
 * profit u_j - c_ij with c_ij about 111 - w_ij (so profit correlates with weight, with
 * an offset per job), fractional multipliers, capacity about half the total weight.
 */
const gapLikeKnapsack = (maxItems: number) =>
  fc.record({
    items: fc.array(fc.record({ w: fc.integer({ min: 1, max: 100 }), offset: fc.double({ min: -20, max: 15, noNaN: true }), noise: fc.integer({ min: -10, max: 10 }) }), { minLength: 1, maxLength: maxItems }),
    fill: fc.double({ min: 0.05, max: 1.1, noNaN: true }),
  }).map(({ items, fill }) => {
    const p: number[] = [];
    const w: number[] = [];
    for (const it of items) {
      const v = it.w + it.offset + it.noise;
      if (v <= 0) continue;
      p.push(v);
      w.push(it.w);
    }
    const total = w.reduce((a, b) => a + b, 0);
    return { p, w, cap: Math.floor(fill * total) };
  });

/** Solves with KnapsackSolver (integral mode); checks x is a feasible 0-1 solution worth the returned value. */
function solveChecked(p: number[], w: number[], cap: number, solver = new KnapsackSolver(Math.max(1, p.length))): number {
  const x = new Float64Array(p.length);
  const r = solver.solve(p.length, Float64Array.from(p), Float64Array.from(w), cap, true, x);
  expect(r.exact).toBe(true);
  let sp = 0;
  let sw = 0;
  for (let k = 0; k < p.length; k++) {
    expect(x[k] === 0 || x[k] === 1).toBe(true);
    sp += x[k]! * p[k]!;
    sw += x[k]! * w[k]!;
  }
  expect(sw).toBeLessThanOrEqual(cap);
  expect(sp).toBeCloseTo(r.value, 7);
  return r.value;
}

describe('knapsack: Dembo-Hammer reduction before the DP (knapsack.ts)', () => {
  it('equals enumeration on small GAP-like knapsacks (fractional profits)', () => {
    fc.assert(
      fc.property(gapLikeKnapsack(14), ({ p, w, cap }) => {
        expect(solveChecked(p, w, cap)).toBeCloseTo(brute(p, w, cap), 7);
      }),
      { numRuns: 500 },
    );
  });

  it('equals a plain DP on GAP-sized knapsacks (up to 80 items), one solver reused across calls', () => {
    const solver = new KnapsackSolver(80);
    fc.assert(
      fc.property(gapLikeKnapsack(80), ({ p, w, cap }) => {
        expect(solveChecked(p, w, cap, solver)).toBeCloseTo(plainDp(p, w, cap), 7);
      }),
      { numRuns: 300 },
    );
  });

  it('ties and equal ratios (integer profit = weight) keep the optimum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 300 }), (w, cap) => {
        const p = w.map((x) => 2 * x);
        expect(solveChecked(p, w, cap)).toBe(plainDp(p, w, cap));
      }),
      { numRuns: 200 },
    );
  });
});

describe('sortByRatio (the reduction\'s order)', () => {
  // The reduction's critical item and greedy bound read this order; ties are frequent in the
  // GAP knapsacks (equal reduced profits and weights), and zero weights give infinite ratios.
  it('gives the permutation of a comparator sort (ratio descending, index ascending), from any start order', () => {
    const ratioValue = fc.oneof(fc.constantFrom(0, 0.5, 1, 2, Infinity), fc.double({ min: 0, max: 50, noNaN: true }));
    fc.assert(
      fc.property(fc.array(ratioValue, { maxLength: 150, size: 'max' }), fc.integer({ min: 0, max: 1000 }), (ratios, shuffleSeed) => {
        const count = ratios.length;
        const ratio = Float64Array.from(ratios);
        // The input order is a permutation (the solver passes 0..count-1; any start must do).
        const idx = Int32Array.from({ length: count }, (_, k) => k);
        for (let t = count - 1, s = shuffleSeed; t > 0; t--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const q = s % (t + 1);
          const tmp = idx[t]!;
          idx[t] = idx[q]!;
          idx[q] = tmp;
        }
        const expected = Array.from({ length: count }, (_, k) => k).sort((a, b) => (ratio[a]! === ratio[b]! ? a - b : ratio[b]! > ratio[a]! ? 1 : -1));
        // A longer array than count: the sort must touch only the first count entries.
        const padded = new Int32Array(count + 3).fill(-7);
        padded.set(idx);
        sortByRatio(padded, new Int32Array(count + 3), ratio, count);
        expect(Array.from(padded.subarray(0, count))).toEqual(expected);
        expect(Array.from(padded.subarray(count))).toEqual([-7, -7, -7]);
      }),
      { numRuns: 300 },
    );
  });
});
