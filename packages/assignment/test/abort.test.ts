import { describe, expect, it } from 'vitest';
import { solve } from '@emplace/core';
import { gapTabuSearch, gapTabuSearchAsync, generateGap } from '../src/index.js';
import '../src/register.js';

describe('GAP: in-thread abort by a timer (issue 13)', () => {
  const model = generateGap('D', 20, 200, 1);

  for (const method of ['gap:tabu', 'gap:auto', 'gap:lagrangian']) {
    it(`${method} sees a timer-fired abort and returns its incumbent`, async () => {
      const ctl = new AbortController();
      let beats = 0;
      const beat = setInterval(() => beats++, 5);
      setTimeout(() => ctl.abort(), 300);
      const r = await solve(model, { method, signal: ctl.signal, timeLimitMs: 20_000 });
      clearInterval(beat);
      expect(['aborted', 'converged']).toContain(r.stoppedBy);
      if (r.stoppedBy === 'aborted') expect(['feasible', 'optimal']).toContain(r.status);
      expect(r.stats.elapsedMs).toBeLessThan(15_000);
      expect(beats).toBeGreaterThan(0);
    });
  }

  it('the sync and async drivers give the same answer for a seed', async () => {
    const a = await gapTabuSearch(model, { maxIterations: 300, seed: 4 });
    const b = await gapTabuSearchAsync(model, { maxIterations: 300, seed: 4 });
    expect(b.objective).toBe(a.objective);
    expect(JSON.stringify(b.solution)).toBe(JSON.stringify(a.solution));
  });
});
