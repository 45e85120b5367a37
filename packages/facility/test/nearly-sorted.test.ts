import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { insertionSortDescending } from '../src/nearly-sorted.js';

/** Pairs (id, key) in the order the arrays hold them. */
const pairs = (ids: Int32Array, key: Float64Array, n: number): string[] => Array.from({ length: n }, (_, t) => `${ids[t]}:${key[t]}`);

describe('insertionSortDescending', () => {
  it('sorts by key decreasing, ties by id, or gives up with the pairs intact', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }), fc.boolean(), (raw, nearly) => {
        const n = raw.length;
        // Distinct ids, keys with ties; `nearly`: keys already almost in order (the intended use).
        const keys = nearly ? raw.map((k, t) => -t + k / 10) : raw;
        const ids = Int32Array.from(raw.map((_, t) => (t * 7919) % 1009));
        const key = Float64Array.from(keys);
        const before = pairs(ids, key, n).sort();
        const done = insertionSortDescending(ids, key, n);
        expect(pairs(ids, key, n).sort()).toEqual(before);
        if (!done) return;
        for (let t = 1; t < n; t++) {
          const ordered = key[t - 1]! > key[t]! || (key[t - 1] === key[t] && ids[t - 1]! < ids[t]!);
          expect(ordered).toBe(true);
        }
      }),
    );
  });

  it('finishes a nearly sorted list within its budget and gives up on a reversed one', () => {
    const n = 200;
    const near = Float64Array.from({ length: n }, (_, t) => n - t + (t % 3 === 0 ? 1.5 : 0));
    expect(insertionSortDescending(Int32Array.from({ length: n }, (_, t) => t), near, n)).toBe(true);
    const reversed = Float64Array.from({ length: n }, (_, t) => t);
    expect(insertionSortDescending(Int32Array.from({ length: n }, (_, t) => t), reversed, n)).toBe(false);
  });
});
