import { isMainThread } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { closeHighsWorkers, LinearModel, resetHighsRuntime } from '@emplace/lp';
import { solveLpOffMainThread } from '../src/lp-offload.js';

/**
 * Issue 13 (SteinLib c18): the cut MIP's small LPs ran in the caller's thread whenever no
 * HiGHS worker was idle (right after an abort terminated it), loading HiGHS there again:
 * a 450-700 ms blocked event loop. On the main thread they go to a worker now.
 */
describe('cut-MIP LPs off the main thread', () => {
  afterAll(() => {
    closeHighsWorkers();
    resetHighsRuntime();
  });

  it('a small LP with no idle worker runs in a worker on the main thread (in-thread inside a worker)', async () => {
    closeHighsWorkers(); // no idle worker: offload 'auto' would run this LP in-thread
    const m = new LinearModel('min');
    m.addVariable({ lb: 0, ub: 1, obj: 1 });
    m.addVariable({ lb: 0, ub: 1, obj: 2 });
    m.addConstraint([0, 1], [1, 1], 1, Infinity);
    const r = await solveLpOffMainThread(m, { timeLimitMs: 10_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(1, 9);
    expect(r.stats.ranIn).toBe(isMainThread ? 'worker' : 'thread');
  });
});
