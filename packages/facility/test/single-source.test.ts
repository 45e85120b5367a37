import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution } from '@emplace/core';
import { checkSolution, solveSscfl } from '@emplace/facility';
import { build, bruteSingleSource, expectValid, specArb, tol } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';

describe('single-source Lagrangian branch-and-bound', () => {
  it('proves the MIP optimum on random Cornuejols-style instances; plan feasible; bound below', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 8, max: 16 }), fc.integer({ min: 0, max: 2 }), fc.nat(), async (S, C, r, seed) => {
        const m = cornuejols(S, C, 2 + r, seed);
        const mip = await solveSscfl(m, { method: 'mip' });
        for (const method of ['branch-and-bound', 'auto'] as const) {
          const res = await solveSscfl(m, { method });
          expect(res.status, method).toBe(mip.status);
          if (!hasSolution(res) || !hasSolution(mip)) continue;
          const check = checkSolution(m, 'sscfl', res.solution);
          expect(check.violations).toEqual([]);
          expect(res.objective).toBeCloseTo(check.objective, 6);
          expect(res.objective).toBeCloseTo(mip.objective, 6);
        }
        const lag = await solveSscfl(m, { method: 'lagrangian' });
        if (hasSolution(mip) && lag.bound !== undefined) expect(lag.bound).toBeLessThanOrEqual(mip.objective + 1e-6);
      }),
      { numRuns: 15 },
    );
  });

  it('is deterministic for a seed and stops at an abort with the incumbent it has', async () => {
    const m = cornuejols(20, 60, 3, 7);
    const a = await solveSscfl(m, { method: 'branch-and-bound', seed: 3, timeLimitMs: 60_000 });
    const b = await solveSscfl(m, { method: 'branch-and-bound', seed: 3, timeLimitMs: 60_000 });
    expect(b.objective).toBe(a.objective);
    expect(b.stats['nodes']).toBe(a.stats['nodes']);
    const ctrl = new AbortController();
    // Aborted from its own first incumbent report, not a timer (same meaning on a loaded machine).
    const r = await solveSscfl(cornuejols(40, 120, 3, 8), { method: 'auto', signal: ctrl.signal, onIncumbent: () => ctrl.abort() });
    expect(r.stoppedBy).toBe('aborted');
    if (hasSolution(r)) expect(checkSolution(cornuejols(40, 120, 3, 8), 'sscfl', r.solution).violations).toEqual([]);
  });
});

describe('single-source CFL', () => {
  it('auto equals brute force on tiny instances; heuristics feasible; bound below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 6, { allowed: true }), async (spec) => {
        const m = build(spec);
        const opt = bruteSingleSource(m);
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'auto'] as const) {
          const r = await solveSscfl(m, { method });
          if (opt === Infinity) {
            expect(r.status).not.toBe('optimal');
            expect(r.status).not.toBe('feasible');
            if (method === 'auto' || method === 'branch-and-bound') expect(r.status).toBe('infeasible');
            continue;
          }
          expectValid(m, 'sscfl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'auto' || method === 'branch-and-bound') {
            // Exact methods end proven on these tiny instances (never no-solution + converged).
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 6);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
