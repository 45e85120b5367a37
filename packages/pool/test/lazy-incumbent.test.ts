import { afterAll, describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng } from '@emplace/core';
import { createSolverPool } from '../src/index.js';
import type { StubbornSolution } from './fixtures/stubborn-solver.js';

const fixture = new URL('./fixtures/stubborn-solver.ts', import.meta.url).href;

/*
 * Issue 13: the host no longer decodes every incumbent as it arrives (a Fiedler vector's
 * node ids are 90,000 strings every 100 ms); it keeps the latest one as received and
 * decodes it only when the host must answer without the worker. The answer must be the same.
 */
describe('incumbents are decoded on the host only when needed', () => {
  const pool = createSolverPool({ size: 1, graceMs: 50, modules: [fixture] });
  afterAll(() => pool.destroy());

  it('a worker that does not answer, without an onIncumbent listener, still answers with its last incumbent, packed lists put back', async () => {
    const rng = new Rng(4);
    const sites = 12;
    const clients = 600;
    const model = createPlacementModel({
      sites,
      clients,
      cost: Float64Array.from({ length: sites * clients }, () => Math.floor(rng.next() * 100)),
      demand: new Float64Array(clients).fill(1),
      openingCost: Float64Array.from({ length: sites }, () => 100 + Math.floor(rng.next() * 400)),
    });
    await pool.ready();
    const ctl = new AbortController();
    // The stubborn solver reports its incumbents within milliseconds of the model's arrival, then spins.
    setTimeout(() => ctl.abort(), 1500);
    const r = await pool.solve<StubbornSolution>(model, { method: 'stubborn', signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.stats.workerAnswered).toBe(false);
    if (!hasSolution(r)) throw new Error(`no solution: ${r.warnings?.join(' ')}`);
    const site = r.solution.open[0]!;
    let best = Infinity;
    let bestSite = -1;
    for (let i = 0; i < sites; i++) {
      let v = model.openingCost[i]!;
      for (let j = 0; j < clients; j++) v += model.cost[i * clients + j]!;
      if (v < best) (best = v), (bestSite = i);
    }
    expect(site).toBe(bestSite);
    expect(r.objective).toBe(best);
    expect(Array.from(r.solution.assign)).toEqual(new Array(clients).fill(bestSite));
    expect(r.solution.labels).toHaveLength(clients);
    expect(r.solution.labels[0]).toBe(`client 0 at site ${bestSite}`);
    expect(r.solution.labels[clients - 1]).toBe(`client ${clients - 1} at site ${bestSite}`);
    expect(r.solution.clients).toBe(model.clientIds);
  });
});
