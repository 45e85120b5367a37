import { createPlacementModel, solve } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

/**
 * An exact capacitated search stopped inside its MIP before any capacity-respecting plan was
 * found answered `no-solution` with stoppedBy `converged`, which says no limit was hit (the
 * envelope forbids it). Found by the status audit (statuses.ts --seed 6204 --only kcenter
 * --cases 60, case 15, aborted at a seeded moment).
 */
describe('capacitated k-center exact, stopped before any plan', () => {
  // k = 1 and no single site holds the demand 7: infeasible, proven only when the MIP finishes.
  const model = createPlacementModel({
    sites: [7, 3, 1, 4].map((capacity, i) => ({ id: `s${i}`, capacity })),
    clients: [0, 3, 4].map((demand, j) => ({ id: `c${j}`, demand })),
    cost: [
      [21, 3, 9],
      [29, 19, 18],
      [9, 15, 29],
      [6, 6, 18],
    ],
    allowed: [
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 1],
      [0, 1, 1],
    ],
  });

  /** A signal that turns aborted at its `reads`-th read of `aborted` (deterministic, unlike a timer). */
  function abortAtRead(reads: number): AbortSignal {
    const controller = new AbortController();
    let seen = 0;
    Object.defineProperty(controller.signal, 'aborted', {
      get: () => {
        if (++seen > reads && !controller.signal.reason) controller.abort();
        return seen > reads;
      },
    });
    return controller.signal;
  }

  it('runs to infeasible when not stopped', async () => {
    expect((await solve(model, { method: 'kcenter:exact', k: 1 })).status).toBe('infeasible');
  });

  it('a stop at any read of the signal gives no-solution with the stop named, or the proof', async () => {
    let insideMip = 0;
    for (let reads = 0; reads < 80; reads++) {
      const r = await solve(model, { method: 'kcenter:exact', k: 1, signal: abortAtRead(reads) });
      expect(['infeasible', 'no-solution']).toContain(r.status);
      if (r.status === 'no-solution') expect(r.stoppedBy, `stop at read ${reads}`).toBe('aborted');
      if (r.warnings?.some((w) => w.includes('before any capacity-respecting assignment'))) insideMip++;
    }
    // The stop landed inside the MIP (the path of the defect) for some of the reads.
    expect(insideMip).toBeGreaterThan(0);
  });
});
