/**
 * The HiGHS worker lost to an abort is replaced a moment later, not at once (issue 13, CLI
 * signal latency): a process that aborts in order to exit was held 100-250 ms at exit by V8
 * compiling HiGHS for a replacement started right away. Its own file: no timer of another
 * test's abort is pending here.
 */
import { expect, it } from 'vitest';
import { closeHighsWorkers, solveLp, warmHighsWorker } from '@emplace/lp';
import { hasIdleHighsWorker, highsWorkersStarted } from '../src/backends/highs-offload.js';
import { marketSplit } from './market-split.js';

it('after an abort the replacement worker starts a moment later, then is ready for the next solve', async () => {
  await warmHighsWorker(); // the one worker the solve below takes (and loses to the abort)
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const sol = await solveLp(marketSplit(5, 40, 6).model, { signal: controller.signal, offload: 'worker' });
  expect(sol.stoppedBy).toBe('aborted');
  expect(sol.stats.ranIn).toBe('worker');
  const before = highsWorkersStarted();
  expect(hasIdleHighsWorker()).toBe(false);
  await new Promise((r) => setTimeout(r, 50));
  expect(highsWorkersStarted()).toBe(before);
  for (let t = 0; t < 200 && !hasIdleHighsWorker(); t++) await new Promise((r) => setTimeout(r, 50));
  expect(highsWorkersStarted()).toBe(before + 1);
  expect(hasIdleHighsWorker()).toBe(true);
  expect((await solveLp(marketSplit(2, 8, 1).model, { offload: 'worker' })).status).toBe('optimal');
  closeHighsWorkers();
});
