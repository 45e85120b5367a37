import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { solveCfl, solveUfl } from '@emplace/facility';
import { firstFitSplitPlan } from '../src/capacitated.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem } from '../src/problem.js';
import { build, expectValid, snapshot, specArb, tol, type Spec } from './helpers.js';

// Split-demand CFL: transportation evaluation, site local search and branch-and-bound against the MIP.

describe('CFL (split demand)', () => {
  it('branch-and-bound equals the MIP optimum; every method feasible; bound below it', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(5, 7, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const before = snapshot(m);
        const mip = await solveCfl(m, { method: 'mip' });
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound'] as const) {
          const r = await solveCfl(m, { method });
          if (!hasSolution(mip)) {
            expect(hasSolution(r)).toBe(false);
            continue;
          }
          const opt = mip.objective;
          expectValid(m, 'cfl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound') {
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 5);
          }
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 25 },
    );
  });

  it('an uncapacitated model solved as CFL gives the UFL optimum', async () => {
    const m = createPlacementModel({ sites: [{ openingCost: 50 }, { openingCost: 60 }, { openingCost: 70 }], clients: 4, cost: [1, 9, 9, 9, 9, 1, 9, 9, 9, 9, 1, 1] });
    const a = await solveCfl(m);
    const b = await solveUfl(m);
    expect(a.status).toBe('optimal');
    expect(a.objective).toBeCloseTo(b.objective!, 9);
  });

  it('total demand above total capacity is infeasible with a certificate', async () => {
    const m = createPlacementModel({ sites: [{ capacity: 5 }, { capacity: 4 }], clients: [{ demand: 6 }, { demand: 4 }], cost: [1, 1, 1, 1] });
    const r = await solveCfl(m);
    expect(r.status).toBe('infeasible');
    expect(r.status === 'infeasible' ? r.certificate?.reason : '').toMatch(/exceeds the total capacity/);
  });
});

describe('firstFitSplitPlan', () => {
  it('walks the cost order to the same plan as its scan of every site (random instances, forbidden pairs, zero demands, ties)', () => {
    fc.assert(
      fc.property(specArb(10, 14, { allowed: true, flags: true }), (spec: Spec) => {
        const prep = prepareProblem(build(spec), 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const scan = firstFitSplitPlan(pr);
        const walk = firstFitSplitPlan(pr, new LagrangianRelaxation(pr).costOrder());
        expect(walk).toEqual(scan);
      }),
      { numRuns: 300 },
    );
  });
});
