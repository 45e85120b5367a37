import { describe, expect, it } from 'vitest';
import { runStepsAsync, runStepsUnlessStopped, SolveRun, type Steps } from '@emplace/core';

/** Steps that count how many of their checkpoints ran and return that count. */
function* counting(n: number, seen: { count: number }): Steps<number> {
  for (let k = 0; k < n; k++) {
    seen.count++;
    yield;
  }
  return seen.count;
}

describe('runStepsUnlessStopped (setup abandoned after a stop)', () => {
  it('runs to the end and returns the value when nothing stops the run', async () => {
    const seen = { count: 0 };
    expect(await runStepsUnlessStopped(counting(50, seen), new SolveRun({}, 'test:m', 'min'))).toBe(50);
  });

  it('abandons the steps at the first checkpoint after an abort, where runStepsAsync runs them all', async () => {
    for (const abortAfter of [0, 1, 7, 30]) {
      const ctl = new AbortController();
      const run = new SolveRun({ signal: ctl.signal }, 'test:m', 'min');
      const seen = { count: 0 };
      function* stopping(): Steps<number> {
        for (let k = 0; k < 100; k++) {
          if (k === abortAfter) ctl.abort();
          seen.count++;
          yield;
        }
        return seen.count;
      }
      expect(await runStepsUnlessStopped(stopping(), run)).toBeUndefined();
      expect(seen.count).toBe(abortAfter + 1);
      const all = { count: 0 };
      expect(await runStepsAsync(counting(100, all), run)).toBe(100);
    }
  });
});
