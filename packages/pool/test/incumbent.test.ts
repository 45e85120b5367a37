import { afterAll, describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, type PlacementModel } from '@emplace/core';
import { checkSolution, type FacilitySolution } from '@emplace/facility';
import { createSolverPool } from '../src/index.js';
import type { StubbornSolution } from './fixtures/stubborn-solver.js';
import { randomCflModel } from './random-cfl.js';

const fixture = new URL('./fixtures/stubborn-solver.ts', import.meta.url).href;

function randomUfl(sites: number, clients: number, seed: number): PlacementModel {
  const rng = new Rng(seed);
  return createPlacementModel({
    sites,
    clients,
    cost: Float64Array.from({ length: sites * clients }, () => Math.floor(rng.next() * 100)),
    demand: new Float64Array(clients).fill(1),
    openingCost: Float64Array.from({ length: sites }, () => 100 + Math.floor(rng.next() * 400)),
  });
}

/** Independent check: every client on an open site, objective = opening + assignment cost. */
function uflCost(m: PlacementModel, s: StubbornSolution): number {
  const open = new Set(s.open);
  let total = 0;
  for (const i of open) total += m.openingCost[i]!;
  expect(s.assign.length).toBe(m.nClients);
  for (let j = 0; j < m.nClients; j++) {
    const i = s.assign[j]!;
    expect(open.has(i)).toBe(true);
    total += m.cost[i * m.nClients + j]!;
  }
  return total;
}

describe('abort through the pool keeps the worker-reported incumbent (issue 13)', () => {
  const pool = createSolverPool({ size: 1, graceMs: 100, modules: [fixture] });
  afterAll(() => pool.destroy());

  it('a worker that ignores the abort: the call returns its incumbent after graceMs, the worker is replaced later', async () => {
    const model = randomUfl(30, 80, 1);
    const reported: number[] = [];
    const ctl = new AbortController();
    const p = pool.solve<StubbornSolution>(model, {
      method: 'stubborn',
      signal: ctl.signal,
      onIncumbent: (_s, v) => {
        reported.push(v);
        // The first report means the solver has reached its non-polling step soon after.
        if (reported.length === 1) setTimeout(() => ctl.abort(), 200);
      },
    });
    const r = await p;
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    expect(r.stats.workerAnswered).toBe(false);
    expect(r.warnings?.join(' ')).toMatch(/did not answer within 100 ms of the abort/);
    if (!hasSolution(r)) throw new Error('no solution');
    // The solution is the best single-site one, and an independent evaluation agrees.
    expect(uflCost(model, r.solution)).toBe(r.objective);
    let best = Infinity;
    for (let i = 0; i < model.nSites; i++) {
      let v = model.openingCost[i]!;
      for (let j = 0; j < model.nClients; j++) v += model.cost[i * model.nClients + j]!;
      best = Math.min(best, v);
    }
    expect(r.objective).toBe(best);
    expect(reported.at(-1)).toBe(best);
    // The worker is terminated and replaced (it never stops on its own): the next solve runs on a new worker.
    const ctl2 = new AbortController();
    const again = pool.solve<StubbornSolution>(randomUfl(5, 10, 2), { method: 'stubborn', signal: ctl2.signal, onIncumbent: () => ctl2.abort() });
    const r2 = await again;
    expect(r2.stoppedBy).toBe('aborted');
    if (!hasSolution(r2)) throw new Error('no solution');
    expect(r2.solution.solves).toBe(1);
  });

  it('a real solve (cfl:auto) answered at once after the abort returns a valid feasible incumbent', async () => {
    // graceMs 0: the host answers at the first turn of its loop after the abort, normally
    // before the solver can, so the result is built from the reported incumbent.
    const killer = createSolverPool({ size: 1, graceMs: 0 });
    try {
      const model = randomCflModel(60, 800, 11);
      const ctl = new AbortController();
      let reports = 0;
      const r = await killer.solve<FacilitySolution>(model, {
        method: 'cfl:auto',
        signal: ctl.signal,
        onIncumbent: () => {
          if (++reports === 1) ctl.abort();
        },
      });
      expect(reports).toBeGreaterThan(0);
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      // Almost always the host's answer (the worker cannot poll, build and post its answer
      // within one turn of the host's loop); either way the answer must be a valid solution.
      if (r.stats.workerAnswered === false) expect(r.warnings?.join(' ')).toMatch(/did not answer within 0 ms/);
      if (!hasSolution(r)) throw new Error('no solution');
      const check = checkSolution(model, 'cfl', r.solution);
      expect(check.violations).toEqual([]);
      expect(check.objective).toBeCloseTo(r.objective, 6);
    } finally {
      await killer.destroy();
    }
  });

  it('a worker that answers an abort late keeps its slot: the call returns its incumbent at once, the next solve runs on the same worker', async () => {
    const patient = createSolverPool({ size: 1, graceMs: 0, modules: [fixture] });
    try {
      const runOnce = async (seed: number) => {
        const model = randomUfl(20, 50, seed);
        const ctl = new AbortController();
        const r = await patient.solve<StubbornSolution>(model, { method: 'stubborn:polite', signal: ctl.signal, onIncumbent: () => ctl.abort() });
        expect(r.stoppedBy).toBe('aborted');
        expect(r.stats.workerAnswered).toBe(false);
        if (!hasSolution(r)) throw new Error('no solution');
        expect(uflCost(model, r.solution)).toBe(r.objective);
        return r.solution.solves;
      };
      expect(await runOnce(3)).toBe(1);
      // Queued behind the worker that is still finishing its late answer, then run by it.
      expect(await runOnce(4)).toBe(2);
      await patient.ready();
      expect(await runOnce(5)).toBe(3);
    } finally {
      await patient.destroy();
    }
  });

  it('destroy() while a worker is still stopping: the queued solve rejects, ready() settles, nothing is left running', async () => {
    const doomed = createSolverPool({ size: 1, graceMs: 0, modules: [fixture] });
    const ctl = new AbortController();
    const first = await doomed.solve<StubbornSolution>(randomUfl(10, 20, 6), { method: 'stubborn', signal: ctl.signal, onIncumbent: () => ctl.abort() });
    expect(first.stats.workerAnswered).toBe(false);
    // The stubborn worker spins: the slot is still its own, so this one waits in the queue.
    const queued = doomed.solve(randomUfl(5, 10, 7), { method: 'stubborn' });
    const ready = doomed.ready();
    await doomed.destroy();
    await expect(queued).rejects.toThrow(/destroyed/);
    await ready;
  });
});

