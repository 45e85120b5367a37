import { hochbaumShmoys } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkApproximation } from './approximation-check.js';
import { bruteForce, radiusFromAssignment, smallInstance, solved } from './helpers.js';

describe('hochbaum-shmoys', () => {
  it('reports the recomputed radius within its ratio of the brute-force optimum, with a lower bound', () => {
    checkApproximation('hochbaumShmoys', hochbaumShmoys, true);
  });

  it('keeps its ratio with client weights', () => {
    fc.assert(
      fc.property(smallInstance({ weighted: true, colocated: true }), ({ model, k }) => {
        const opt = bruteForce(model, k);
        const r = solved(hochbaumShmoys(model, { k }));
        expect(r.objective).toBeLessThanOrEqual(2 * opt + 1e-9);
        expect(r.bound!).toBeLessThanOrEqual(opt + 1e-9);
        expect(r.objective).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
      }),
      { numRuns: 40 },
    );
  });
});
