/**
 * A worker solve that must wait for a HiGHS worker (none idle: one is starting, or draining an
 * overrun solve) waits no longer than its own deadline (issue 13 sweep: vcg:clarke took 6.5 s
 * under a 1 s limit, nucleolus:lp 3.9 s, their solves queued behind worker restarts). Own file:
 * no worker may exist before the first solve.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeHighsWorkers, LinearModel, solveLp } from '@emplace/lp';

function smallLp(): LinearModel {
  const lp = new LinearModel('min');
  const a = lp.addVariable({ obj: 1 });
  const b = lp.addVariable({ obj: 1 });
  lp.addGe([a, b], [1, 2], 3);
  lp.addGe([a, b], [2, 1], 3);
  return lp;
}

describe('HiGHS worker acquisition honours the deadline', () => {
  afterAll(() => closeHighsWorkers());

  it('a solve whose limit passes while its worker starts stops at the limit; the worker is kept for the next solve', async () => {
    // Starting a worker (a thread, then the WebAssembly load) takes far longer than 1 ms.
    const limited = await solveLp(smallLp(), { timeLimitMs: 1, offload: 'worker' });
    expect(limited.status).toBe('no-solution');
    expect(limited.stoppedBy).toBe('time-limit');
    const next = await solveLp(smallLp(), { offload: 'worker' });
    expect(next.status).toBe('optimal');
    expect(next.stats.ranIn).toBe('worker');
    if (next.status === 'optimal') expect(next.objective).toBeCloseTo(2, 9);
  });
});
