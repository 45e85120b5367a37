/**
 * HiGHS in a worker (issue 13): a timer-fired abort reaches a solve that holds no thread of
 * the caller's, the caller gets the last improved solution back, a worker whose runtime
 * failed loads a fresh one, and `offload: 'auto'` runs small LPs in-thread only while no worker is idle
 * (one HiGHS runtime per process once a worker exists).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ModelError } from '@emplace/core';
import { closeHighsWorkers, LinearModel, solveLp, warmHighsWorker, SMALL_LP_NONZEROS } from '@emplace/lp';
import { marketSplit } from './market-split.js';

function smallLp(): LinearModel {
  const lp = new LinearModel('min');
  const a = lp.addVariable({ obj: 1 });
  const b = lp.addVariable({ obj: 1 });
  lp.addGe([a, b], [1, 2], 3);
  lp.addGe([a, b], [2, 1], 3);
  return lp;
}

describe('HiGHS worker', () => {
  beforeAll(() => warmHighsWorker());

  it('an abort fired by a timer stops a worker solve and returns its last improved solution', async () => {
    const model = marketSplit(5, 40, 4).model;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const sol = await solveLp(model, { signal: controller.signal, offload: 'worker' });
    expect(sol.stoppedBy).toBe('aborted');
    expect(sol.stats.ranIn).toBe('worker');
    expect(['feasible', 'no-solution']).toContain(sol.status);
    if (sol.status === 'feasible') {
      // The incumbent is checked against the model, not trusted.
      expect(sol.solution.maxViolation).toBeLessThan(1e-6);
      expect(sol.objective).toBeCloseTo(model.evaluate(sol.solution.x), 9);
    }
    // The next solve gets a fresh worker.
    const next = await solveLp(marketSplit(2, 8, 1).model, { offload: 'worker' });
    expect(next.status).toBe('optimal');
  });

  it('honours the time limit inside HiGHS and keeps its incumbent', async () => {
    const sol = await solveLp(marketSplit(5, 40, 5).model, { timeLimitMs: 300, offload: 'worker' });
    expect(sol.stoppedBy).toBe('time-limit');
    expect(['feasible', 'no-solution']).toContain(sol.status);
  });

  it('gives the same optimum in a worker and in-thread, with duals for LPs', async () => {
    const mip = marketSplit(2, 10, 9).model;
    const [w, t] = await Promise.all([solveLp(mip, { offload: 'worker' }), solveLp(mip, { offload: 'thread' })]);
    expect(w.status).toBe('optimal');
    expect(w.objective).toBe(t.objective);
    const lp = await solveLp(smallLp(), { offload: 'worker' });
    expect(lp.status).toBe('optimal');
    expect(lp.objective).toBeCloseTo(2, 9);
    expect(lp.solution?.duals?.length).toBe(2);
  });

  it('a runtime failure in the worker is a BackendError, and the next solve works', async () => {
    const bad = new LinearModel('max');
    const x = bad.addVariable({ type: 'binary', obj: 1 });
    const y = bad.addVariable({ type: 'binary', obj: 1 });
    bad.addLe([x, y], [1e16, 1], 1); // HiGHS refuses matrix values >= 1e15
    await expect(solveLp(bad, { offload: 'worker' })).rejects.toThrow(BackendError);
    expect((await solveLp(marketSplit(2, 8, 2).model, { offload: 'worker' })).status).toBe('optimal');
  });

  it("offload 'auto' solves small LPs in-thread while no worker is idle, then in the idle worker; MIPs in a worker; a bad value is a ModelError", async () => {
    expect(SMALL_LP_NONZEROS).toBeGreaterThan(4);
    closeHighsWorkers();
    expect((await solveLp(smallLp())).stats.ranIn).toBe('thread');
    expect((await solveLp(marketSplit(2, 8, 3).model)).stats.ranIn).toBe('worker');
    // The MIP's worker is idle now: the small LP goes to it (the in-thread runtime was dropped).
    const small = await solveLp(smallLp());
    expect(small.stats.ranIn).toBe('worker');
    expect(small.status).toBe('optimal');
    expect(small.objective).toBeCloseTo(2, 9);
    await expect(solveLp(smallLp(), { offload: 'elsewhere' as never })).rejects.toThrow(ModelError);
  });
});
