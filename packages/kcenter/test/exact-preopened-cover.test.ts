import { createPlacementModel } from '@emplace/core';
import { exact } from '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { bruteForce, radiusFromAssignment, solved } from './helpers.js';

/**
 * Regression (found by the weighted property of exact.test.ts, fast-check seed 346): the cover
 * problem at a radius leaves out the pre-opened sites, and the bisection offered a cover
 * without them. That plan was no better than the incumbent, so a "yes" did not shrink the
 * interval and the same radius was tested forever (283,126 radii in 3 s, the test timed out).
 */
describe('kcenter exact with a pre-opened site whose clients are covered by it', () => {
  const cost = [
    [0, 75.66, 53.6, 26.08, 9.06, 5.39, 50.25, 53.85, 63.41],
    [75.66, 0, 45.01, 62.17, 70.29, 80.62, 49.09, 34.13, 15.3],
    [53.6, 45.01, 0, 57.87, 44.91, 56.52, 63.78, 53.41, 44.27],
    [26.08, 62.17, 57.87, 0, 29.15, 31, 25, 32.56, 47.51],
    [9.06, 70.29, 44.91, 29.15, 0, 11.7, 51.16, 52.17, 59.17],
    [5.39, 80.62, 56.52, 31, 11.7, 0, 55.44, 59.24, 68.6],
    [50.25, 49.09, 63.78, 25, 51.16, 55.44, 0, 15, 34],
    [53.85, 34.13, 53.41, 32.56, 52.17, 59.24, 15, 0, 19],
    [63.41, 15.3, 44.27, 47.51, 59.17, 68.6, 34, 19, 0],
  ];
  const allowedRows = ['011000001', '111000000', '001001101', '110110111', '111111111', '010110110', '100010000', '000001010', '010011110'];
  const model = createPlacementModel({
    sites: cost.map((_, s) => ({ mustOpen: s === 4 })),
    clients: 9,
    cost,
    weight: [2, 4, 2, 2, 1, 1, 1, 2, 1],
    allowed: (s: number, j: number) => allowedRows[s]![j] === '1',
  });

  it('proves the brute-force optimum, the pre-opened site among the open ones', async () => {
    const opt = bruteForce(model, 3);
    const r = solved(await exact(model, { k: 3, timeLimitMs: 10_000 }));
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(opt, 9);
    expect(Array.from(r.solution.open)).toContain(4);
    expect(radiusFromAssignment(model, r.solution.assignment)).toBeCloseTo(opt, 9);
  });
});
