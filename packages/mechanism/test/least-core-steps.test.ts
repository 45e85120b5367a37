import { describe, expect, it } from 'vitest';
import { leastCore } from '../src/core-stability.js';
import { abortAtRead, popcountGame } from '../../core/test/support/steps.js';

/**
 * Issue 13: least-core on 16 players scaled the 2^16 values and built the per-coalition state
 * in one 17-22 ms stretch on CPU after the last value checkpoint; there are now checkpoints
 * between the passes. An abort seen at each of them stops the run there.
 */
describe('least core checkpoints between its 2^n passes', () => {
  const game = popcountGame(12);

  it('an abort seen at the checkpoint after the values, after the scaling or after the state stops there: no-solution, aborted', async () => {
    // 2^12 values: no checkpoint inside the value loop below 4096 coalitions, so the new ones are reads 1, 2 and 3.
    for (const at of [1, 2, 3]) {
      const a = abortAtRead(at);
      const r = await leastCore(game, { signal: a.signal });
      expect(r.status).toBe('no-solution');
      expect(r.stoppedBy).toBe('aborted');
      expect(a.reads()).toBe(at);
    }
  });

  it('with a signal that never fires, the result is the one without a signal', async () => {
    const plain = await leastCore(popcountGame(6), {});
    const watched = await leastCore(popcountGame(6), { signal: abortAtRead(Infinity).signal });
    expect(watched.status).toBe(plain.status);
    expect(watched.objective).toBe(plain.objective);
    expect(plain.status).toBe('optimal');
    expect(Array.from(watched.solution!.values)).toEqual(Array.from(plain.solution!.values));
  });
});
