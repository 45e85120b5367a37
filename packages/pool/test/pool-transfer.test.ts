import { afterAll, describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, ModelError, Rng, type PlacementModel } from '@emplace/core';
import { createSolverPool } from '../src/index.js';
import type { EchoSolution } from './fixtures/echo-solver.js';

const fixture = new URL('./fixtures/echo-solver.ts', import.meta.url).href;

/** A model big enough for every path: 2,000 client ids (packed), a 40 x 2,000 cost matrix (640 kB, copied a slice at a time). */
function bigModel(seed: number): PlacementModel {
  const rng = new Rng(seed);
  const sites = 40;
  const clients = 2000;
  return createPlacementModel({
    sites,
    clients: Array.from({ length: clients }, (_, j) => ({ id: `workload-${j}-ü` })),
    cost: Float64Array.from({ length: sites * clients }, () => Math.floor(rng.next() * 1000)),
  });
}

describe('pool transfer modes (issue 13: typed arrays without copies, no host stall)', () => {
  const pool = createSolverPool({ size: 1, modules: [fixture] });
  afterAll(() => pool.destroy());

  it("default 'copy': the worker sees the model, the caller's arrays stay intact, result and incumbent come back decoded", async () => {
    const model = bigModel(1);
    const cost = Float64Array.from(model.cost);
    const incumbents: EchoSolution[] = [];
    const r = await pool.solve<EchoSolution>(model, { method: 'echo', onIncumbent: (s) => incumbents.push(s as EchoSolution) });
    if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
    expect(model.cost).toEqual(cost);
    expect(r.solution.ids).toEqual(model.clientIds);
    expect(r.solution.cost).toEqual(cost);
    const rowSums = Array.from({ length: model.nSites }, (_, i) => cost.subarray(i * model.nClients, (i + 1) * model.nClients).reduce((a, b) => a + b, 0));
    expect(r.solution.rowSums).toEqual(rowSums);
    expect(incumbents).toHaveLength(1);
    expect(incumbents[0]!.ids).toEqual(model.clientIds);
    expect(incumbents[0]!.cost).toEqual(cost);
  });

  it("lists of the model in a result or incumbent come back as the caller's own lists (nothing re-sent); 'clone' gives equal copies", async () => {
    const model = bigModel(6);
    const incumbents: EchoSolution[] = [];
    const r = await pool.solve<EchoSolution>(model, { method: 'echo', onIncumbent: (s) => incumbents.push(s as EchoSolution) });
    if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
    expect(r.solution.modelIds).toBe(model.clientIds);
    expect(incumbents[0]!.modelIds).toBe(model.clientIds);
    // The copy the solver made is a list of its own: equal, not the caller's.
    expect(r.solution.ids).not.toBe(model.clientIds);
    expect(r.solution.ids).toEqual(model.clientIds);
    const many = createPlacementModel({
      sites: Array.from({ length: 1500 }, (_, i) => ({ id: `s${i}`, labels: { zone: `z${i % 7}` } })),
      clients: 3,
      cost: new Float64Array(1500 * 3).fill(1),
    });
    const parts = await pool.solve<EchoSolution>(many, { method: 'echo' });
    if (!hasSolution(parts)) throw new Error(`no solution: ${parts.status}`);
    expect(parts.solution.modelLabels).toBe(many.siteLabels);
    const cloned = await pool.solve<EchoSolution>(model, { method: 'echo', transfer: 'clone' });
    if (!hasSolution(cloned)) throw new Error(`no solution: ${cloned.status}`);
    expect(cloned.solution.modelIds).toEqual(model.clientIds);
  });

  it("'move' detaches the caller's arrays; 'clone' copies at once; both solve the same", async () => {
    const moved = bigModel(2);
    const cloned = bigModel(2);
    const a = await pool.solve<EchoSolution>(moved, { method: 'echo', transfer: 'move' });
    const b = await pool.solve<EchoSolution>(cloned, { method: 'echo', transfer: 'clone' });
    expect(moved.cost.length).toBe(0);
    expect(cloned.cost.length).toBe(40 * 2000);
    if (!hasSolution(a) || !hasSolution(b)) throw new Error('no solution');
    expect(a.solution.rowSums).toEqual(b.solution.rowSums);
    expect(a.solution.ids).toEqual(cloned.clientIds);
  });

  it('a long list of objects (site labels of 1,500 sites) goes to the worker and back in parts', async () => {
    const sites = 1500;
    const model = createPlacementModel({
      sites: Array.from({ length: sites }, (_, i) => ({ id: `s${i}`, labels: { zone: `z${i % 7}`, region: i % 2 ? 'eu' : 'us' } })),
      clients: 3,
      cost: Float64Array.from({ length: sites * 3 }, (_, k) => k % 11),
    });
    const r = await pool.solve<EchoSolution>(model, { method: 'echo' });
    if (!hasSolution(r)) throw new Error(`no solution: ${r.status}`);
    expect(r.solution.siteLabels).toEqual(model.siteLabels);
    expect(r.solution.rowSums).toHaveLength(sites);
  });

  it('an unknown transfer mode is a ModelError naming the option', async () => {
    await expect(pool.solve(bigModel(3), { method: 'echo', transfer: 'share' as never })).rejects.toThrow(ModelError);
    await expect(pool.solve(bigModel(3), { method: 'echo', transfer: 'share' as never })).rejects.toThrow('options.transfer');
  });

  it('an abort while the model is still being copied answers at once and the pool keeps working', async () => {
    await pool.ready();
    const ctl = new AbortController();
    const p = pool.solve(bigModel(4), { method: 'echo', signal: ctl.signal });
    ctl.abort();
    const r = await p;
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('no-solution');
    expect(r.warnings?.join(' ')).toMatch(/before the model reached the worker/);
    expect((await pool.solve(bigModel(5), { method: 'echo' })).status).toBe('feasible');
  });
});
