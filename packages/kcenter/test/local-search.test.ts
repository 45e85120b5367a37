import { SolveRun } from '@emplace/core';
import { localSearch } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareInstance } from '../src/instance.js';
import { localSearchAsync, localSearchCore } from '../src/local-search.js';
import { checkApproximation } from './approximation-check.js';
import { smallInstance } from './helpers.js';

describe('local search', () => {
  it('reports the recomputed radius with at most k sites, never a bound above the brute-force optimum', () => {
    checkApproximation('localSearch', localSearch, false);
  });

  it('the async search (yielding between moves) makes the same moves as the synchronous one', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance(), async ({ model, k }) => {
        const prepared = prepareInstance(model, { k });
        if (prepared.kind !== 'ok') return;
        const inst = prepared.problem;
        const start = Array.from(inst.openable.slice(0, k));
        const sync = localSearchCore(inst, new SolveRun({}, 'test'), start);
        const async = await localSearchAsync(inst, new SolveRun({}, 'test'), start);
        expect(Array.from(async.open)).toEqual(Array.from(sync.open));
        expect(async.moves).toBe(sync.moves);
      }),
      { numRuns: 60 },
    );
  });
});
