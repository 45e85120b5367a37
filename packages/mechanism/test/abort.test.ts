import { describe, expect, it } from 'vitest';
import { createGame, solve } from '@emplace/core';
import { shapleyExact, solveShapley } from '../src/index.js';
import '../src/register.js';

/** A game whose characteristic function is slow enough that 2^22 coalitions take seconds. */
function slowGame(n: number) {
  return createGame({
    players: n,
    value: {
      mask: (m: number) => {
        let s = 0;
        for (let r = m; r !== 0; r &= r - 1) s += Math.sqrt(1 + (31 - Math.clz32(r & -r)));
        return s * s;
      },
    },
  });
}

describe('Shapley: in-thread abort by a timer (issue 13)', () => {
  for (const method of ['shapley:exact', 'shapley', 'shapley:sampling']) {
    it(`${method} sees a timer-fired abort`, async () => {
      const ctl = new AbortController();
      let beats = 0;
      const beat = setInterval(() => beats++, 5);
      setTimeout(() => ctl.abort(), 200);
      const r = await solve(slowGame(method === 'shapley:sampling' ? 30 : 24), { method, signal: ctl.signal, timeLimitMs: 20_000, ...(method === 'shapley:sampling' ? { relativePrecision: 1e-9 } : {}) });
      clearInterval(beat);
      expect(['aborted', 'converged']).toContain(r.stoppedBy);
      // Exact enumeration stopped early has no solution; sampling returns its estimate so far.
      if (r.stoppedBy === 'aborted') expect(method === 'shapley:sampling' ? 'feasible' : 'no-solution').toBe(r.status);
      expect(r.stats.elapsedMs).toBeLessThan(15_000);
      expect(beats).toBeGreaterThan(0);
    });
  }

  it('the per-method function and the uniform entry agree', async () => {
    const g = slowGame(10);
    const a = await shapleyExact(g);
    const b = await solveShapley(g, { method: 'exact' });
    expect(Array.from((b.solution as { values: Float64Array }).values)).toEqual(Array.from((a.solution as { values: Float64Array }).values));
  });
});
