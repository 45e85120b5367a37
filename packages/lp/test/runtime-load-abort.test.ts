import { afterEach, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { LinearModel, solveLp } from '@emplace/lp';
import { setHighsLoaderForTesting } from '../src/backends/highs.js';
import { loadHighsRuntime } from '../src/backends/platform.js';

/**
 * Issue 13 (the CLI exits within 100 ms of Ctrl-C): an in-thread HiGHS solve stops while the
 * shared runtime is still loading (the first load reads and compiles HiGHS, ~0.4 s) instead of
 * answering only once the load has finished. The load goes on and serves the next solve.
 */

afterEach(() => setHighsLoaderForTesting(undefined));

/** A loader that loads the real runtime only when `release()` is called. */
function heldLoader(): { release: () => void; loaded: () => boolean } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let loaded = false;
  setHighsLoaderForTesting(async () => {
    await gate;
    const highs = (await loadHighsRuntime()) as Highs;
    loaded = true;
    return highs;
  });
  return { release, loaded: () => loaded };
}

function smallLp(): LinearModel {
  const model = new LinearModel('min');
  const x = model.addVariables(2, { lb: 0, ub: 10 });
  model.setObjective(x, 1);
  model.setObjective(x + 1, 2);
  model.addGe([x, x + 1], [1, 1], 3);
  return model;
}

describe('in-thread HiGHS: a stop while the runtime loads (issue 13)', () => {
  it('an abort during the load answers at once (no-solution, aborted); the next solve uses the runtime', async () => {
    const held = heldLoader();
    const ctl = new AbortController();
    const pending = solveLp(smallLp(), { backend: 'highs', signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    const sol = await pending;
    expect(sol.status).toBe('no-solution');
    expect(sol.stoppedBy).toBe('aborted');
    expect(held.loaded()).toBe(false); // answered before the runtime was there
    held.release();
    const next = await solveLp(smallLp(), { backend: 'highs' });
    expect(next.status).toBe('optimal');
    expect(next.objective).toBeCloseTo(3, 9);
  });

  it('a time limit that passes during the load answers time-limit', async () => {
    const held = heldLoader();
    const sol = await solveLp(smallLp(), { backend: 'highs', timeLimitMs: 30 });
    expect(sol.status).toBe('no-solution');
    expect(sol.stoppedBy).toBe('time-limit');
    expect(held.loaded()).toBe(false);
    held.release();
  });

  it('an abort before the solve starts does not wait for the load either', async () => {
    const held = heldLoader();
    const ctl = new AbortController();
    ctl.abort();
    const sol = await solveLp(smallLp(), { backend: 'highs', signal: ctl.signal });
    expect(sol.stoppedBy).toBe('aborted');
    expect(held.loaded()).toBe(false);
    held.release();
  });
});
