import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { solveSscfl } from '@emplace/facility';

/**
 * Audit seed 6711 (scripts/audit/statuses.ts, sscfl case 11; optimum 75 by HiGHS): the split
 * (CFL) relaxation's search reported its own plans' costs as incumbents (71), below every
 * single-source plan. A progress incumbent is read as a plan of the answer's problem; the split
 * search's bound stays valid (CFL relaxes SSCFL).
 */
describe('sscfl progress', () => {
  it('no progress incumbent below the answer, no optimal bound above it', async () => {
    const model = createPlacementModel({
      sites: [
        { openingCost: 8, capacity: 3 },
        { openingCost: 4, capacity: 15, forbidden: true },
        { openingCost: 15, capacity: 12 },
        { openingCost: 9, capacity: 3 },
      ],
      clients: 5,
      demand: [4, 4, 3, 2, 2],
      cost: [
        [0, 12, 22, 6, 2],
        [23, 1, 7, 28, 20],
        [3, 10, 24, 28, 8],
        [8, 29, 20, 4, 18],
      ],
      allowed: [
        [0, 1, 0, 1, 1],
        [1, 0, 0, 0, 1],
        [1, 1, 1, 1, 1],
        [1, 0, 1, 1, 1],
      ],
    });
    for (const method of ['auto', 'lagrangian', 'branch-and-bound'] as const) {
      const events: { phase: string; incumbent?: number | undefined; bound?: number | undefined }[] = [];
      const r = await solveSscfl(model, { method, progressIntervalMs: 0, onProgress: (e) => events.push(e) });
      expect(hasSolution(r)).toBe(true);
      expect(r.objective).toBe(75);
      for (const e of events) {
        if (e.incumbent !== undefined) expect(e.incumbent, `${method} ${e.phase}`).toBeGreaterThanOrEqual(75);
        if (e.bound !== undefined && r.status === 'optimal') expect(e.bound, `${method} ${e.phase}`).toBeLessThanOrEqual(75);
      }
    }
  });
});
