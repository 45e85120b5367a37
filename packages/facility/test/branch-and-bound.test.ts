import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution } from '@emplace/core';
import { solvePMedian, solveUfl } from '@emplace/facility';
import { build, bruteUncapacitated, expectValid, snapshot, specArb, tol } from './helpers.js';

// Lagrangian branch-and-bound (branch-and-bound.ts) with the UFL and p-median relaxations (lagrangian.ts) against brute force.

describe('UFL', () => {
  it('exact methods equal brute force; every method feasible; bounds never cross the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(6, 7, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const before = snapshot(m);
        const opt = bruteUncapacitated(m);
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'auto'] as const) {
          const r = await solveUfl(m, { method });
          if (opt === Infinity) {
            expect(r.status).toBe('infeasible');
            continue;
          }
          expect(hasSolution(r)).toBe(true);
          expectValid(m, 'ufl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound' || method === 'auto') {
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 6);
          }
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 40 },
    );
  });
});

describe('p-median', () => {
  it('exact methods equal brute force; heuristics feasible; bound below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(7, 8, { allowed: true, flags: true }), fc.integer({ min: 1, max: 7 }), async (spec, pRaw) => {
        const m = build(spec);
        const p = Math.min(pRaw, spec.nS);
        const before = snapshot(m);
        const nMust = Array.from(m.mustOpen).reduce((a, b) => a + b, 0);
        const nUsable = Array.from(m.forbidden).filter((x) => !x).length;
        const opt = bruteUncapacitated(m, p);
        for (const method of ['greedy', 'interchange', 'lagrangian', 'branch-and-bound'] as const) {
          const r = await solvePMedian(m, { method, p });
          if (nMust > p || nUsable < p || opt === Infinity) {
            expect(r.status).not.toBe('optimal');
            if (r.status === 'infeasible') expect(r.certificate?.reason).toBeTruthy();
            continue;
          }
          expectValid(m, 'pmedian', r, p);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound') expect(r.objective!).toBeCloseTo(opt, 6);
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 40 },
    );
  });
});
