import { describe, expect, it } from 'vitest';
import { createGraph, solve } from '@emplace/core';
import { fiedler, solveFiedler } from '../src/index.js';
import '../src/register.js';

function grid(side: number) {
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const a = i * side + j;
    if (j + 1 < side) (u.push(a), v.push(a + 1));
    if (i + 1 < side) (u.push(a), v.push(a + side));
  }
  return createGraph({ n: side * side, edges: { u, v } });
}

describe('fiedler: in-thread abort by a timer (issue 13)', () => {
  it('LOBPCG sees a timer-fired abort and returns its current pair', async () => {
    const g = grid(250);
    const ctl = new AbortController();
    let beats = 0;
    const beat = setInterval(() => beats++, 5);
    setTimeout(() => ctl.abort(), 150);
    const r = await solve(g, { method: 'fiedler:lobpcg', signal: ctl.signal, timeLimitMs: 20_000 });
    clearInterval(beat);
    expect(['aborted', 'converged']).toContain(r.stoppedBy);
    expect(['feasible', 'optimal']).toContain(r.status);
    expect(r.stats.elapsedMs).toBeLessThan(15_000);
    expect(beats).toBeGreaterThan(0);
  });

  it('the sync kernel and the async entry agree', async () => {
    const g = grid(30);
    const a = fiedler(g, { method: 'lobpcg' });
    const b = await solveFiedler(g, { method: 'lobpcg' });
    expect(b.objective).toBe(a.lambda2);
  });
});
