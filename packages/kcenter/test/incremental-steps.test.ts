import { SolveRun, solve } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/register.js';
import { incrementalKCenter, incrementalKCenterAsync, incrementalSteps } from '../src/incremental.js';
import { abortAtRead, drainSteps, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: kcenter:incremental ran synchronously: the instance scans, the co-located site
 * search (S x C) and every arrival in one piece, a 50 ms stretch on CPU at 2000 x 2000.
 */
describe('incremental k-center in steps', () => {
  const model = euclideanModel(600, 9);

  it('pauses inside the scans and between arrivals, and gives the synchronous answer', async () => {
    const r = drainSteps(incrementalSteps(model, { k: 12, order: 'random', seed: 4 }, new SolveRun({ seed: 4 }, 'kcenter:incremental', 'min')));
    // The instance scans (2^18 entries each), 437 rows per co-located checkpoint, every 256 arrivals: the old code had none.
    expect(r.pauses).toBeGreaterThanOrEqual(4);
    const sync = incrementalKCenter(model, { k: 12, order: 'random', seed: 4 });
    expect(r.value.objective).toBe(sync.objective);
    expect(r.value.solution).toEqual(sync.solution);
    const viaRegistry = await solve(model, { method: 'kcenter:incremental', k: 12, order: 'random', seed: 4 });
    expect(viaRegistry.solution).toEqual(sync.solution);
  });

  it('stopped at counted reads: stoppedBy aborted and, once a client has arrived, every client at an open centre', async () => {
    for (const reads of [1, 2, 3, 5]) {
      const r = await incrementalKCenterAsync(model, { k: 12, signal: abortAtRead(reads).signal });
      expect(r.stoppedBy).toBe('aborted');
      const sol = r.solution!;
      // (Stopped before the first arrival: no centre yet, as in the synchronous run.)
      if (sol.open.length === 0) continue;
      for (let j = 0; j < model.nClients; j++) expect(Array.from(sol.open)).toContain(sol.assignment[j]);
    }
  });
});
