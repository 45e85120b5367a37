import { describe, expect, it } from 'vitest';
import { hasSolution } from '@emplace/core';
import { checkSolution, solveSscfl, SSCFL_METHODS } from '@emplace/facility';
import { cornuejols } from './sscfl-instances.js';

/**
 * Issue 13: every sscfl method stops at an abort and returns what it has. The abort fires
 * from the solve's own first report (an incumbent, else a progress event), never from a
 * wall-clock timer, so the test means the same on a loaded machine; latency is measured by
 * `benchmarks/facility/sscfl.ts --abort`.
 */
describe('sscfl abort at the first report (100 x 400)', () => {
  const model = cornuejols(100, 400, 4, 17);

  /** Solves with an abort fired by the first event that `fire` accepts; returns the result and the best objective reported before it. */
  async function abortAt(method: (typeof SSCFL_METHODS)[number], on: 'incumbent' | 'progress') {
    const ctrl = new AbortController();
    let reported = Infinity;
    const res = await solveSscfl(model, {
      method,
      signal: ctrl.signal,
      timeLimitMs: 120_000,
      onIncumbent: (_s, objective) => {
        reported = Math.min(reported, objective);
        if (on === 'incumbent') ctrl.abort();
      },
      onProgress: () => {
        if (on === 'progress') ctrl.abort();
      },
    });
    return { res, reported, aborted: ctrl.signal.aborted };
  }

  // The methods that report incumbents as they go (mip reports none before HiGHS ends): the abort comes with a plan in hand.
  for (const method of ['auto', 'lagrangian', 'branch-and-bound'] as const) {
    it(`${method}, aborted at its first incumbent, returns a feasible plan no worse than it`, async () => {
      const { res, reported, aborted } = await abortAt(method, 'incumbent');
      expect(aborted).toBe(true);
      expect(res.stoppedBy).toBe('aborted');
      expect(res.status).toBe('feasible');
      if (!hasSolution(res)) throw new Error('a plan was reported before the abort');
      expect(checkSolution(model, 'sscfl', res.solution).violations).toEqual([]);
      expect(res.objective).toBeLessThanOrEqual(reported + 1e-9 * Math.abs(res.objective));
    });
  }

  for (const method of SSCFL_METHODS) {
    it(`${method}, aborted at its first progress event, stops with what it has`, async () => {
      const { res, aborted } = await abortAt(method, 'progress');
      expect(aborted).toBe(true);
      expect(res.stoppedBy).toBe('aborted');
      if (hasSolution(res)) {
        expect(checkSolution(model, 'sscfl', res.solution).violations).toEqual([]);
        expect(res.status).not.toBe('optimal');
      } else expect(res.status).toBe('no-solution');
    });
  }
});

describe('sscfl stopped inside the branch-and-bound', () => {
  // A stop inside a node now skips its polish, fixing and branching (they ran 200-500 ms past
  // the limit): the node stays open, so the result is never 'optimal' from an abandoned node.
  for (const seed of [3, 4]) {
    it(`aborted at its first branch-and-bound progress event (seed ${seed}) keeps a valid bound and says feasible`, async () => {
      const model = cornuejols(40, 160, 4, seed);
      const ctrl = new AbortController();
      const res = await solveSscfl(model, {
        method: 'branch-and-bound',
        signal: ctrl.signal,
        onProgress: (p) => {
          if ((p as { phase?: unknown }).phase === 'branch-and-bound') ctrl.abort();
        },
      });
      if (!hasSolution(res)) throw new Error('an incumbent exists before the branch-and-bound');
      expect(checkSolution(model, 'sscfl', res.solution).violations).toEqual([]);
      expect(ctrl.signal.aborted).toBe(true);
      expect(res.stoppedBy).toBe('aborted');
      expect(res.status).toBe('feasible');
      if (res.bound !== undefined) expect(res.bound).toBeLessThanOrEqual(res.objective + 1e-9 * Math.abs(res.objective));
    });
  }
});
