import { describe, expect, it } from 'vitest';
import { createPlacementModel, Rng, SolveRun } from '@emplace/core';
import { ONLINE_UFL_TABLE } from '../src/methods.js';
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

  // Regression (status audit, seed 620x): an abort before the last arrival answered feasible with
  // the rest unassigned (-1), an objective below the UFL optimum (0 for an abort before the first).
  it('an aborted async run is still a plan for every client (the ones not arrived at their nearest open site), stoppedBy aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await onlineFacilityLocationAsync(m, { order: 'random', seed: 5, signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    if (!('solution' in r) || !r.solution) throw new Error('expected a plan');
    const { assignment, openSites, servingCost, openingCost } = r.solution;
    const open = new Set(openSites);
    let serving = 0;
    for (let j = 0; j < m.nClients; j++) {
      const i = assignment[j]!;
      expect(open.has(i)).toBe(true);
      // Nearest open site: no open site serves j for less.
      for (const o of openSites) expect(m.cost[o * m.nClients + j]!).toBeGreaterThanOrEqual(m.cost[i * m.nClients + j]!);
      serving += m.cost[i * m.nClients + j]!;
    }
    let opening = 0;
    for (const i of openSites) opening += m.openingCost[i]!;
    expect(servingCost).toBeCloseTo(serving, 6);
    expect(openingCost).toBeCloseTo(opening, 6);
    expect(r.objective).toBeCloseTo(serving + opening, 6);
  });

  it('a tiny instance aborted before the first arrival costs what its plan costs, not 0', () => {
    const tiny = createPlacementModel({ sites: 2, clients: 3, cost: [[1, 2, 3], [3, 2, 1]] });
    const ctl = new AbortController();
    ctl.abort();
    const r = onlineFacilityLocation(tiny, { signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    if (!('solution' in r) || !r.solution) throw new Error('expected a plan');
    expect(Array.from(r.solution.assignment).every((a) => a >= 0)).toBe(true);
    // The UFL optimum here (opening costs 0: both sites open) is 1 + 2 + 1 = 4; no plan costs less.
    expect(r.objective).toBeGreaterThanOrEqual(4);
  });

  it('the registry runs the stepped version (the synchronous one held the event loop for the whole run)', () => {
    for (const m of ONLINE_UFL_TABLE.methods) expect(m.solve).toBe(onlineFacilityLocationAsync);
  });
});
