import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashFill } from '../src/vectors.js';

describe('hashFill (start vectors of the factorization path)', () => {
  it('is in [-1, 1), deterministic per seed, and centred without repeats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 200, max: 2000 }), (seed, n) => {
        const x = new Float64Array(n);
        hashFill(x, seed);
        const y = new Float64Array(n);
        hashFill(y, seed);
        expect(Array.from(y)).toEqual(Array.from(x));
        for (const v of x) expect(v >= -1 && v < 1).toBe(true);
        // Distinct entries (a bijective hash of distinct counters) and a mean near 0 (uniform: sd 1 / sqrt(3n)).
        expect(new Set(x).size).toBe(n);
        const mean = x.reduce((a, b) => a + b, 0) / n;
        expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(3 * n));
      }),
      { numRuns: 50 },
    );
  });
});
