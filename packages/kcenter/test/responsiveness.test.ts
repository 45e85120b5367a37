import { describe, expect, it } from 'vitest';
import { abortAtRead } from '../../core/test/support/steps.js';
import { createPlacementModel, hasSolution, Rng, solve, type PlacementModel, type Result } from '@emplace/core';
import '@emplace/kcenter';

/**
 * Issue 13: p-dispersion's swap search and clique-cover MIP build and the capacitated
 * and outlier k-center radius searches, and the LSCP / survivable / MCLP covering greedy
 * and swap searches ran without yielding, so a timer-fired abort waited for them
 * (seconds on 500 x 500). These tests abort at the solver's FIRST yield to the event loop
 * (a setImmediate queued right after the call), never on a timer.
 */
function euclidean(n: number, seed: number, capacitated = true): PlacementModel {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: capacitated ? Array.from({ length: n }, () => ({ capacity: 30 })) : n, clients: n, cost });
}

async function abortAtFirstYield(model: PlacementModel, options: Record<string, unknown>): Promise<Result<unknown>> {
  const ctl = new AbortController();
  const pending = solve(model, { ...options, signal: ctl.signal });
  setImmediate(() => ctl.abort());
  return pending;
}

describe('kcenter-family methods see an abort at their first yield (issue 13)', () => {
  const model = euclidean(400, 3);
  // Uncapacitated, 1200 x 1200: the work before the first checkpoint outlasts one 10 ms slice by a wide margin.
  const big = euclidean(1200, 5, false);

  for (const method of ['pdispersion:exact']) {
    it(`${method} stops with stoppedBy aborted and returns its incumbent`, async () => {
      const r = await abortAtFirstYield(model, { method, k: 25 });
      expect(r.stoppedBy).toBe('aborted');
      expect(hasSolution(r)).toBe(true);
    });
  }

  it('kcenter:outliers stops with stoppedBy aborted and returns the best centres of the radii tried', async () => {
    const r = await abortAtFirstYield(big, { method: 'kcenter:outliers', k: 10, outliers: 20 });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
  });

  it('kcenter:capacitated stops with stoppedBy aborted and returns the best plan of the radii tried', async () => {
    const r = await abortAtFirstYield(model, { method: 'kcenter:capacitated', k: 20 });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
  });

  for (const [method, options] of [['lscp:greedy', { radius: 100 }], ['survivable:greedy', { radius: 130, level: 2 }], ['mclp:greedy', { radius: 100, k: 40 }]] as const) {
    it(`${method} stops with stoppedBy aborted`, async () => {
      const r = await abortAtFirstYield(big, { method, ...options });
      expect(r.stoppedBy).toBe('aborted');
    });
  }

  // Both ran synchronously in the registry (the instance scans and the run in one piece: 50 ms on
  // CPU at 2000 x 2000). A signal that reads as aborted from its first read: the steps' first
  // checkpoint reads it, whether or not the 10 ms slice is over (a timer-free test).
  for (const [method, options] of [['kcenter:gonzalez', { k: 10 }], ['kcenter:incremental', { k: 10 }]] as const) {
    it(`${method} sees the abort during its instance scans`, async () => {
      const r = await solve(big, { method, seed: 1, ...options, signal: abortAtRead(1).signal });
      expect(r.stoppedBy).toBe('aborted');
      // Gonzalez still opens its k centres (the scans are finished after a stop, as in every kcenter method).
      if (method === 'kcenter:gonzalez') expect(hasSolution(r)).toBe(true);
    });
  }
});
