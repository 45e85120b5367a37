import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortStable, argsortStableSteps } from '@emplace/core';
import { RADIX_MIN_KEYS } from '../src/argsort.js';

/**
 * core's radix argsort (moved from graph: facility's JMS greedy sorts each site's clients with
 * it from 16,384 clients on, where it replaced a comparator sort that ran between two yields)
 * gives the comparator's order exactly: by key, ties by index, infinite keys (pairs a client
 * may not use) last.
 */
describe('argsortStable', () => {
  it('equals the comparator sort (ties by index) on keys with ties, negative zero and Infinity', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Infinity), fc.constant(-0), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 300 }), (values) => {
        const keys = Float64Array.from(values);
        const expected = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || a - b);
        expect(Array.from(argsortStable(keys))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the radix passes (from RADIX_MIN_KEYS keys on; a comparator sort below) give the comparator order too', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Infinity), fc.constant(-0), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 64, maxLength: 64 }), fc.nat(40), (pool, extra) => {
        const keys = Float64Array.from({ length: RADIX_MIN_KEYS + extra }, (_, i) => pool[(i * 7919) % pool.length]!);
        const expected = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || a - b);
        expect(Array.from(argsortStable(keys))).toEqual(expected);
        // One key fewer: the comparator path, the same order.
        const fewer = keys.subarray(0, RADIX_MIN_KEYS - 1);
        expect(Array.from(argsortStable(fewer))).toEqual(expected.filter((i) => i < RADIX_MIN_KEYS - 1));
      }),
      { numRuns: 15 },
    );
  });

  it('on 100,000 keys of a cost row (a subarray view) it gives the same order and pauses at least once per 65,536 keys of each pass', () => {
    const n = 100_000;
    const all = new Float64Array(3 * n);
    for (let k = 0; k < all.length; k++) all[k] = k % 7 === 0 ? Infinity : (k * 7919) % 1013;
    const row = all.subarray(n, 2 * n);
    const steps = argsortStableSteps(row);
    let pauses = 0;
    let r = steps.next();
    while (!r.done) {
      pauses++;
      r = steps.next();
    }
    const expected = Array.from(row.keys()).sort((a, b) => row[a]! - row[b]! || a - b);
    expect(Array.from(r.value)).toEqual(expected);
    expect(pauses).toBeGreaterThanOrEqual(4 * Math.floor(n / 65_536));
  });
});
