import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSteps, runStepsAsync, runStepsUnlessStopped, SolveRun, stepsUnlessStopped, type Steps } from '@emplace/core';

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

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('with a grace, goes on after the stop until that much time has passed (a clock advanced 3 ms a step), then abandons', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const ctl = new AbortController();
    const run = new SolveRun({ signal: ctl.signal }, 'test:m', 'min');
    let afterStop = 0;
    function* slow(n: number): Steps<string> {
      for (let k = 0; k < n; k++) {
        if (k === 4) ctl.abort();
        if (ctl.signal.aborted) afterStop++;
        clock += 3;
        yield;
      }
      return 'done';
    }
    // 20 ms of grace at 3 ms a step: the stop seen at step 4, then 7 more steps, then abandoned.
    expect(await runStepsUnlessStopped(slow(100), run, 20)).toBeUndefined();
    expect(afterStop).toBe(8);
    // A setup that ends within its grace is finished and its value returned.
    afterStop = 0;
    expect(await runStepsUnlessStopped(slow(6), new SolveRun({ signal: ctl.signal }, 'test:m', 'min'), 20)).toBe('done');
  });
});


describe('stepsUnlessStopped (the same inside other steps)', () => {
  it('passes the checkpoints through and returns the value when nothing stops', () => {
    const seen = { count: 0 };
    let outer = 0;
    const steps = stepsUnlessStopped(counting(20, seen), () => false);
    let r = steps.next();
    while (!r.done) {
      outer++;
      r = steps.next();
    }
    expect(r.value).toBe(20);
    expect(outer).toBe(20);
  });

  it('abandons the steps at the first checkpoint after the stop', () => {
    for (const stopAfter of [0, 1, 9]) {
      const seen = { count: 0 };
      const value = runSteps(stepsUnlessStopped(counting(100, seen), () => seen.count > stopAfter));
      expect(value).toBeUndefined();
      expect(seen.count).toBe(stopAfter + 1);
    }
  });
});
