import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KnapsackSolver } from '@emplace/assignment';

/** The best profit within `cap` by enumerating every subset. */
function bruteKnapsack(items: { p: number; w: number }[], cap: number): number {
  let best = 0;
  for (let mask = 0; mask < 1 << items.length; mask++) {
    let p = 0;
    let w = 0;
    for (let t = 0; t < items.length; t++) {
      if (!(mask & (1 << t))) continue;
      p += items[t]!.p;
      w += items[t]!.w;
    }
    if (w <= cap && p > best) best = p;
  }
  return best;
}

describe('0-1 knapsack (knapsack.ts)', () => {
  it('DP equals brute force', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.integer({ min: 1, max: 50 }), w: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 90 }), (items, cap) => {
        const k = new KnapsackSolver(items.length);
        const x = new Float64Array(items.length);
        const r = k.solve(items.length, Float64Array.from(items, (i) => i.p), Float64Array.from(items, (i) => i.w), cap, true, x);
        const best = bruteKnapsack(items, cap);
        expect(r.value).toBe(best);
        let p = 0;
        let w = 0;
        items.forEach((it, t) => {
          p += x[t]! * it.p;
          w += x[t]! * it.w;
        });
        expect(p).toBe(best);
        expect(w).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 400 },
    );
  });

  it('the fractional fallback (non-integer data) is an upper bound on the optimum', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.double({ min: 0.1, max: 50, noNaN: true }), w: fc.double({ min: 0.5, max: 20, noNaN: true }) }), { minLength: 1, maxLength: 10 }), fc.double({ min: 0, max: 60, noNaN: true }), (items, cap) => {
        const x = new Float64Array(items.length);
        const r = new KnapsackSolver(items.length).solve(items.length, Float64Array.from(items, (i) => i.p), Float64Array.from(items, (i) => i.w), cap, false, x);
        const best = bruteKnapsack(items, cap);
        expect(r.value).toBeGreaterThanOrEqual(best - 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
