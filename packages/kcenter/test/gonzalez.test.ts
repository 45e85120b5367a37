import { gonzalez, hochbaumShmoys, localSearch } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkApproximation } from './approximation-check.js';
import { smallInstance, solved } from './helpers.js';

describe('gonzalez', () => {
  it('reports the recomputed radius within its ratio of the brute-force optimum, with a lower bound', () => {
    checkApproximation('gonzalez', gonzalez, true);
  });

  it('the approximations are deterministic per seed and do not mutate the model', () => {
    fc.assert(
      fc.property(smallInstance(), fc.integer({ min: 1, max: 1000 }), ({ model, k }, seed) => {
        const cost = Float64Array.from(model.cost);
        const a = solved(gonzalez(model, { k, seed }));
        const b = solved(gonzalez(model, { k, seed }));
        expect(Array.from(a.solution.open)).toEqual(Array.from(b.solution.open));
        localSearch(model, { k, seed });
        hochbaumShmoys(model, { k });
        expect(Array.from(model.cost)).toEqual(Array.from(cost));
      }),
      { numRuns: 30 },
    );
  });
});
