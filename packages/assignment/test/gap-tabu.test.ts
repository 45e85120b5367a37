import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { gapTabu } from '../src/gap-tabu.js';
import { toGapInstance } from '../src/gap-instance.js';
import { mthg } from '../src/mthg.js';
import { generateGap } from '../src/generate-gap.js';
import { expectSoundPlan, tinyGap } from './gap-test-instances.js';

describe('GAP tabu search (gap-tabu.ts)', () => {
  it('returns a feasible assignment whose cost it reports exactly, never below the optimum', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 0, max: 1000 }), ({ inst }, seed) => {
        const start = mthg(inst);
        if (!start) return;
        expectSoundPlan(inst, start, gapTabu(inst, start, { rng: new Rng(seed), stop: () => false, maxIterations: 300 }));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic per seed, stops at the lower bound and after maxStale idle iterations', () => {
    const inst = toGapInstance(generateGap('D', 5, 60, 4), 'min');
    const start = mthg(inst)!;
    const a = gapTabu(inst, start, { rng: new Rng(7), stop: () => false, maxIterations: 2000 });
    const b = gapTabu(inst, start, { rng: new Rng(7), stop: () => false, maxIterations: 2000 });
    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment));
    const atBound = gapTabu(inst, start, { rng: new Rng(7), stop: () => false, maxIterations: 2000, lowerBound: Infinity });
    expect(atBound.iterations).toBe(0);
    const stale = gapTabu(inst, start, { rng: new Rng(7), stop: () => false, maxIterations: 100_000, maxStale: 50 });
    expect(stale.iterations).toBeLessThan(100_000);
  });
});
