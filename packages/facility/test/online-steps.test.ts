import { describe, expect, it } from 'vitest';
import { createPlacementModel, Rng, SolveRun } from '@emplace/core';
import { onlineFacilityLocation, onlineFacilityLocationAsync, onlineSteps } from '../src/online-meyerson.js';
import { drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: online-ufl:meyerson ran every arrival (each O(sites)), the hindsight pass and the
 * guarantee's column scans in one piece (64 ms on CPU at 800 x 8000). Its steps pause by
 * work, and the sync export, the async one and the steps give the same plan per seed.
 */
function model(S: number, C: number, seed: number) {
  const r = new Rng(seed);
  const pts = (n: number) => Array.from({ length: n }, () => [r.next() * 1000, r.next() * 1000] as const);
  const s = pts(S);
  const c = pts(C);
  const cost = new Float64Array(S * C);
  for (let i = 0; i < S; i++) for (let j = 0; j < C; j++) cost[i * C + j] = Math.hypot(s[i]![0] - c[j]![0], s[i]![1] - c[j]![1]);
  return createPlacementModel({ sites: S, clients: C, cost, openingCost: Float64Array.from({ length: S }, (_, i) => 500 + 300 * (i % 5)) });
}

describe('online-ufl:meyerson in steps', () => {
  const m = model(120, 3000, 4);
  it('pauses at least once per 2^16 cost entries of the arrivals and gives the synchronous plan', async () => {
    for (const seed of [1, 2, 3]) {
      const options = { order: 'random' as const, seed };
      const stepped = drainSteps(onlineSteps(m, options, new SolveRun(options, 'online:meyerson', 'min')));
      // Each arrival reads the 120 sites' costs: 360,000 entries, more with the preparation's passes.
      expect(stepped.pauses).toBeGreaterThanOrEqual(Math.floor((120 * 3000) / (1 << 16)));
      const sync = onlineFacilityLocation(m, options);
      const async = await onlineFacilityLocationAsync(m, options);
      for (const r of [stepped.value, async]) {
        expect(r.objective).toBe(sync.objective);
        expect(r.solution).toEqual(sync.solution);
        expect(r.stoppedBy).toBe('converged');
      }
    }
  });

  it('an aborted async run serves the clients that arrived (assignment -1 for the rest), stoppedBy aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await onlineFacilityLocationAsync(m, { order: 'random', seed: 5, signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    if (!('solution' in r) || !r.solution) throw new Error('expected a plan');
    expect(r.solution.assignment.every((a) => a === -1)).toBe(true);
  });
});
