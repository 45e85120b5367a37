import { describe, expect, it } from 'vitest';
import { SolveRun, YIELD_INTERVAL_MS } from '@emplace/core';

/**
 * Issue 13: once a run had stopped, tick() returned at once without a turn of the event loop,
 * so the answer built after the stop (a partition's quality over 4M edges: 152 ms) was one
 * stretch. It now gives the loop a turn after a stop too, on the same 10 ms clock.
 */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: the work between two checkpoints
  }
}

describe('SolveRun.tick after a stop', () => {
  it('still says stopped, and lets a pending setImmediate run once the interval has passed', async () => {
    const ctl = new AbortController();
    const run = new SolveRun({ signal: ctl.signal }, 'test:tick');
    ctl.abort();
    expect(await run.tick()).toBe(true);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    busy(YIELD_INTERVAL_MS + 2);
    expect(await run.tick()).toBe(true);
    expect(ran).toBe(true);
    expect(run.stoppedBy()).toBe('aborted');
  });
});
