import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import type { Incumbent } from '../src/branch-and-bound.js';
import { SingleSourceElitePool } from '../src/sscfl-elite.js';

const plan = (open: number[], value: number): Incumbent => ({ value, solution: { open: Uint8Array.from(open) } }) as Incumbent;

describe('single-source elite pool (guides of merge regions)', () => {
  it('keeps distinct open sets within 1 % of the best, at most 12, and picks one other than the given plan', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 6, maxLength: 6 }), fc.integer({ min: 1000, max: 1100 })), { maxLength: 60 }), fc.nat(), (offers, seed) => {
        const pool = new SingleSourceElitePool();
        for (const [open, value] of offers) pool.add(plan(open, value));
        const best = Math.min(Infinity, ...offers.map(([, v]) => v));
        const distinct = new Set(offers.filter(([, v]) => v <= best * 1.01).map(([o]) => o.join('')));
        expect(pool.size).toBe(Math.min(12, distinct.size));
        if (offers.length === 0) return;
        const own = Uint8Array.from(offers[0]![0]);
        const picked = pool.pick(own, new Rng(seed));
        if (picked) expect(Array.from(picked)).not.toEqual(Array.from(own));
        else expect(pool.size <= 1).toBe(true);
        // The same seed picks the same plan.
        const again = pool.pick(own, new Rng(seed));
        expect(again && Array.from(again)).toEqual(picked && Array.from(picked));
      }),
      { numRuns: 100 },
    );
  });

  it('a copy of the open set is kept (the caller may reuse its buffer)', () => {
    const pool = new SingleSourceElitePool();
    const open = Uint8Array.from([1, 0, 1]);
    pool.add(plan(Array.from(open), 10));
    open[1] = 1;
    expect(Array.from(pool.pick(Uint8Array.from([0, 0, 0]), new Rng(1))!)).toEqual([1, 0, 1]);
  });
});
