import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution } from '@emplace/core';
import { solveRobust } from '@emplace/facility';
import { bruteAll, build, close, specArb } from './stochastic-helpers.js';

// ------------------------------------------------------------------ robust

describe('robust facility location', () => {
  it('min-max and min-max regret: the MIP equals the brute force; local search is never better', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 3, 3), async (s) => {
        const set = build(s, false);
        const truth = await bruteAll(s, false);
        if (truth.worst === Infinity) return;
        for (const criterion of ['min-max', 'min-max-regret'] as const) {
          const want = criterion === 'min-max' ? truth.worst : truth.regret;
          const exact = await solveRobust(set, { criterion, method: 'mip' });
          expect(exact.status, criterion).toBe('optimal');
          if (hasSolution(exact)) {
            expect(close(exact.objective, want), `${criterion}: ${exact.objective} vs ${want}`).toBe(true);
            const worst = criterion === 'min-max' ? Math.max(...exact.solution.scenarioCost) : Math.max(...exact.solution.regret!);
            expect(close(worst, exact.objective)).toBe(true);
          }
          const ls = await solveRobust(set, { criterion, method: 'local-search' });
          if (hasSolution(ls)) expect(ls.objective).toBeGreaterThanOrEqual(want - 1e-6);
        }
      }),
      { numRuns: 20, seed: 23 },
    );
  }, 20_000);

  it('capacitated min-max regret: the MIP equals the brute force with an LP per scenario', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(3, 3, 2), async (s) => {
        const set = build(s, true);
        const truth = await bruteAll(s, true);
        const r = await solveRobust(set, { criterion: 'min-max-regret' });
        if (truth.regret === Infinity || Number.isNaN(truth.regret)) {
          expect(hasSolution(r)).toBe(false);
          return;
        }
        expect(r.status).toBe('optimal');
        if (hasSolution(r)) expect(close(r.objective, truth.regret), `${r.objective} vs ${truth.regret}`).toBe(true);
      }),
      { numRuns: 8, seed: 29 },
    );
  }, 20_000);
});

