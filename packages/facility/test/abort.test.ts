import { describe, expect, it } from 'vitest';
import { createPlacementModel, Rng, solve } from '@emplace/core';
import '../src/register.js';
import { checkSolution, type FacilitySolution } from '../src/index.js';

/** A capacitated instance large enough that branch-and-bound runs for many seconds. */
function cfl(sites: number, clients: number, seed: number) {
  const rng = new Rng(seed);
  const sx = Float64Array.from({ length: sites }, () => rng.uniform(0, 100));
  const sy = Float64Array.from({ length: sites }, () => rng.uniform(0, 100));
  const cx = Float64Array.from({ length: clients }, () => rng.uniform(0, 100));
  const cy = Float64Array.from({ length: clients }, () => rng.uniform(0, 100));
  const demand = Float64Array.from({ length: clients }, () => 1 + rng.int(800));
  const cost = new Float64Array(sites * clients);
  for (let i = 0; i < sites; i++) for (let j = 0; j < clients; j++) cost[i * clients + j] = Math.round((demand[j]! * Math.hypot(sx[i]! - cx[j]!, sy[i]! - cy[j]!)) / 10);
  return createPlacementModel({ sites, clients, cost, demand, openingCost: Float64Array.from({ length: sites }, () => Math.round(rng.uniform(50_000, 150_000))), capacity: new Float64Array(sites).fill(5000) });
}

describe('in-thread abort by a timer (issue 13)', () => {
  const model = cfl(60, 600, 2);
  for (const method of ['cfl:branch-and-bound', 'cfl:lagrangian', 'ufl:branch-and-bound']) {
    it(`${method}: a timer-fired abort is seen and the incumbent returned`, async () => {
      const ctl = new AbortController();
      let ticks = 0;
      const beat = setInterval(() => ticks++, 5);
      setTimeout(() => ctl.abort(), 400);
      const r = await solve(model, { method, signal: ctl.signal, timeLimitMs: 60_000 });
      clearInterval(beat);
      // Either it finished first (converged) or the abort was honoured; never ignored until the 60 s limit.
      expect(['aborted', 'converged']).toContain(r.stoppedBy);
      if (r.stoppedBy === 'aborted') expect(['feasible', 'optimal']).toContain(r.status);
      expect(r.stats.elapsedMs).toBeLessThan(30_000);
      // The host's own timers kept running while the solver computed.
      expect(ticks).toBeGreaterThan(0);
    });
  }
});

describe('a stop during setup says nothing about feasibility (regression)', () => {
  it('cfl with a tiny time limit is no-solution or feasible, never infeasible', async () => {
    const model = cfl(60, 600, 5);
    for (const method of ['cfl:auto', 'cfl:branch-and-bound', 'cfl:greedy']) {
      for (const timeLimitMs of [0, 1, 5]) {
        const r = await solve(model, { method, timeLimitMs });
        expect(['no-solution', 'feasible', 'optimal'], `${method} ${timeLimitMs} ms`).toContain(r.status);
        if (r.status === 'no-solution') expect(r.stoppedBy).toBe('time-limit');
      }
    }
  });
});

describe('cfl:auto has a plan before its first heavy phase (issue 13)', () => {
  it('an early abort or a 1 ms limit returns a feasible plan, and it was reported through onIncumbent', async () => {
    const model = cfl(100, 1000, 3);
    for (const stop of ['abort', 'limit'] as const) {
      const ctl = new AbortController();
      const reports: number[] = [];
      if (stop === 'abort') setTimeout(() => ctl.abort(), 1);
      const r = await solve(model, {
        method: 'cfl:auto',
        ...(stop === 'abort' ? { signal: ctl.signal } : { timeLimitMs: 1 }),
        onIncumbent: (_s: unknown, objective: number) => reports.push(objective),
      });
      expect(r.status, stop).toBe('feasible');
      expect(r.stoppedBy).toBe(stop === 'abort' ? 'aborted' : 'time-limit');
      expect(reports.length).toBeGreaterThan(0);
      const check = checkSolution(model, 'cfl', r.solution as FacilitySolution);
      expect(check.violations).toEqual([]);
    }
  });
});
