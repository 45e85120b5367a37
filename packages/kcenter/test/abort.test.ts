import { describe, expect, it } from 'vitest';
import { createPlacementModel, Rng, solve } from '@emplace/core';
import '../src/register.js';

describe('kcenter exact: in-thread abort by a timer (issue 13)', () => {
  it('returns the incumbent with stoppedBy aborted (or finishes first)', async () => {
    const n = 400;
    const rng = new Rng(3);
    const x = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const y = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
    const model = createPlacementModel({ sites: n, clients: n, cost });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 300);
    const r = await solve(model, { method: 'kcenter:exact', k: 12, signal: ctl.signal, timeLimitMs: 60_000 });
    expect(['aborted', 'converged']).toContain(r.stoppedBy);
    if (r.stoppedBy === 'aborted') expect(['feasible', 'optimal']).toContain(r.status);
    expect(r.stats.elapsedMs).toBeLessThan(30_000);
  });
});
