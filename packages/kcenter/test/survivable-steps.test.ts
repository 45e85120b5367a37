import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, solve, type PlacementModel } from '@emplace/core';
import type { SurvivableSolution } from '@emplace/kcenter';
import '@emplace/kcenter';

/**
 * Issue 13: survivable:exact built its multicover rows, ran the client-dominance pass (up to
 * quadratic in 3000 rows) and built the MIP in one synchronous stretch after the swap search
 * (40 ms on CPU on 500 x 500). Those are steps now, and a stop there keeps the heuristic plan.
 * Aborts come after N turns of the event loop (setImmediate), never from a timer.
 */
function euclidean(n: number, seed: number): PlacementModel {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
}

/** Every client has `level` distinct open sites within the radius (an evaluator independent of the solver). */
function survives(model: PlacementModel, open: ArrayLike<number>, radius: number, level: number): boolean {
  const sites = new Set(Array.from(open));
  for (let j = 0; j < model.nClients; j++) {
    let near = 0;
    for (const s of sites) if (model.cost[s * model.nClients + j]! <= radius) near++;
    if (near < level) return false;
  }
  return true;
}

describe('survivable:exact after a stop in the MIP preparation (issue 13)', () => {
  const model = euclidean(300, 4);
  const radius = 200;

  for (const turns of [1, 3, 8, 20, 60, 150]) {
    it(`aborted after ${turns} event-loop turns: stoppedBy aborted, a surviving plan or no-solution`, async () => {
      const ctl = new AbortController();
      const pending = solve(model, { method: 'survivable:exact', radius, signal: ctl.signal });
      let left = turns;
      const turn = (): void => {
        if (--left <= 0) ctl.abort();
        else setImmediate(turn);
      };
      setImmediate(turn);
      const r = await pending;
      if (r.stoppedBy === 'converged') return;
      expect(r.stoppedBy).toBe('aborted');
      if (hasSolution(r)) expect(survives(model, (r.solution as SurvivableSolution).open, radius, 2)).toBe(true);
      else expect(r.status).toBe('no-solution');
    });
  }
});
