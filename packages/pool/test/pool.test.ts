import { afterAll, describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve } from '@emplace/core';
import '@emplace/facility';
import { createSolverPool } from '../src/index.js';
import { randomCflModel as randomCfl } from './random-cfl.js';

describe('solver pool (worker threads)', () => {
  const pool = createSolverPool({ size: 1 });
  afterAll(() => pool.destroy());

  it('solves like the in-thread registry and moves typed arrays back', async () => {
    const model = randomCfl(8, 30, 1);
    const local = await solve(model, { method: 'cfl' });
    const remote = await pool.solve(model, { method: 'cfl' });
    expect(remote.status).toBe(local.status);
    expect(remote.objective).toBeCloseTo(local.objective!, 6);
    expect(model.cost.length).toBe(8 * 30); // copied, not detached
  });

  it('forwards progress events', async () => {
    // A fixture that always reports one (a small cfl is now solved before its first report).
    const echo = createSolverPool({ size: 1, modules: [new URL('./fixtures/echo-solver.ts', import.meta.url).href] });
    const events: string[] = [];
    await echo.solve(randomCfl(8, 30, 2), { method: 'echo', onProgress: (e) => events.push(e.phase) });
    await echo.destroy();
    expect(events).toContain('echo');
  });

  it('abort stops the worker and returns the incumbent with stoppedBy aborted', async () => {
    const model = randomCfl(60, 400, 3);
    const ctl = new AbortController();
    // Abort at the first reported plan (a timer could fire after the solve has finished on a fast machine).
    const r = await pool.solve(model, { method: 'cfl:branch-and-bound', signal: ctl.signal, onIncumbent: () => ctl.abort() });
    expect(r.stoppedBy).toBe('aborted');
    expect(['feasible', 'optimal']).toContain(r.status);
    // The pool still works after an abort.
    const again = await pool.solve(randomCfl(5, 10, 4), { method: 'ufl' });
    expect(again.status).toBe('optimal');
  });

  it('transfer: true moves the model buffers (zero copy)', async () => {
    const model = randomCfl(5, 10, 5);
    const r = await pool.solve(model, { method: 'ufl', transfer: true });
    expect(r.status).toBe('optimal');
    expect(model.cost.byteLength).toBe(0);
  });

  it('errors keep their class across the thread boundary', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 1], [1, 2, 1]] });
    await expect(pool.solve(g, { method: 'maxflow', source: 0, sink: 0 })).rejects.toThrow(ModelError);
    await expect(pool.solve(g, { method: 'maxflow', source: 0, sink: 0 })).rejects.toThrow(/sink/);
  });
});
