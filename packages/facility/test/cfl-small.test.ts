import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution, Rng, SolveRun, type PlacementModel } from '@emplace/core';
import { solveCfl } from '@emplace/facility';
import { smallCflSearch } from '../src/cfl-small.js';
import { prepareProblem } from '../src/problem.js';
import { build, expectValid, snapshot, specArb, tol } from './helpers.js';

// The small split-demand CFL search (cfl-small.ts, `auto` up to SMALL_CFL_CELLS) against the
// exact MIP, with the independent solution check, and its behaviour when stopped.

/** A Cornuejols-like instance (unit square, capacity `ratio` x total demand), big enough that the search takes a while. */
function cornuejolsLike(nS: number, nC: number, ratio: number, seed: number): PlacementModel {
  const rng = new Rng(seed);
  const pt = (): [number, number] => [rng.uniform(0, 1), rng.uniform(0, 1)];
  const sites = Array.from({ length: nS }, pt);
  const clients = Array.from({ length: nC }, pt);
  const demand = clients.map(() => 5 + rng.int(31));
  const raw = sites.map(() => 10 + rng.int(151));
  const scale = (ratio * demand.reduce((a, b) => a + b, 0)) / raw.reduce((a, b) => a + b, 0);
  const capacity = raw.map((c) => c * scale);
  const cost: number[] = [];
  for (const [sx, sy] of sites) for (let j = 0; j < nC; j++) cost.push(Math.round(10 * demand[j]! * Math.hypot(sx - clients[j]![0], sy - clients[j]![1])));
  return createPlacementModel({
    sites: capacity.map((c) => ({ capacity: c, openingCost: Math.round(rng.uniform(0, 90) + rng.uniform(100, 110) * Math.sqrt(c)) })),
    clients: demand.map((d) => ({ demand: d })),
    cost,
  });
}

describe('small split-demand CFL search', () => {
  it('auto equals the MIP optimum on random small instances (allowed pairs, pre-opened and forbidden sites); plans pass the independent check', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(7, 9, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const before = snapshot(m);
        const mip = await solveCfl(m, { method: 'mip' });
        const r = await solveCfl(m);
        expect(snapshot(m)).toBe(before);
        if (!hasSolution(mip)) {
          expect(hasSolution(r)).toBe(false);
          return;
        }
        expect(r.status).toBe('optimal');
        expectValid(m, 'cfl', r);
        expect(r.objective!).toBeCloseTo(mip.objective, 5);
        expect(r.bound!).toBeLessThanOrEqual(mip.objective + tol(mip.objective));
      }),
      { numRuns: 40 },
    );
  });

  it('the search alone proves the MIP optimum on random tight instances (equal and unequal capacities)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 4, max: 20 }), fc.double({ min: 1.2, max: 4, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), async (nS, nC, ratio, seed) => {
        const m = cornuejolsLike(nS, nC, ratio, seed);
        const prep = prepareProblem(m, 'cfl');
        if (prep.kind !== 'ok') return;
        const mip = await solveCfl(m, { method: 'mip' });
        const run = new SolveRun({}, 'cfl:auto', 'min');
        const res = await smallCflSearch(prep.problem, run);
        if (!hasSolution(mip)) return;
        expect(res).not.toBeNull();
        expect(res!.complete).toBe(true);
        expect(res!.incumbent!.value).toBeCloseTo(mip.objective, 5);
        expect(res!.bound).toBeLessThanOrEqual(mip.objective + tol(mip.objective));
      }),
      { numRuns: 40 },
    );
  });

  it('a pre-aborted run returns the first-fit plan as feasible, not optimal', async () => {
    const m = cornuejolsLike(30, 120, 3, 7);
    const r = await solveCfl(m, { signal: AbortSignal.abort() });
    expect(r.status).toBe('feasible');
    expect(r.stoppedBy).toBe('aborted');
    expectValid(m, 'cfl', r);
  });

  it('an abort mid-search (at the second plan found) returns the best plan so far', async () => {
    const m = cornuejolsLike(50, 200, 2, 11);
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await solveCfl(m, {
      signal: controller.signal,
      incumbentIntervalMs: 0,
      onIncumbent: (_s, objective) => {
        seen.push(objective);
        if (seen.length === 2) controller.abort();
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(r.status).toBe('feasible');
    expect(r.stoppedBy).toBe('aborted');
    expectValid(m, 'cfl', r);
    expect(r.objective!).toBeCloseTo(Math.min(...seen), 6);
    if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective! + tol(r.objective!));
  });

  it('a time limit is honoured and the answer is deterministic without one', async () => {
    const m = cornuejolsLike(50, 200, 2, 13);
    const limited = await solveCfl(m, { timeLimitMs: 50 });
    expect(hasSolution(limited)).toBe(true);
    expectValid(m, 'cfl', limited);
    const small = cornuejolsLike(12, 40, 2.5, 5);
    const a = await solveCfl(small, { seed: 3 });
    const b = await solveCfl(small, { seed: 3 });
    expect(a.status).toBe('optimal');
    expect(b.objective).toBe(a.objective);
    expect(b.stats.iterations).toBe(a.stats.iterations);
  });
});
