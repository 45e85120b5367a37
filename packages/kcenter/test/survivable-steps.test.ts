import { describe, expect, it } from 'vitest';
import { hasSolution, solve, type PlacementModel } from '@emplace/core';
import type { SurvivableSolution } from '@emplace/kcenter';
import '@emplace/kcenter';
import { abortAfterTurns, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: survivable:exact built its multicover rows, ran the client-dominance pass (up to
 * quadratic in 3000 rows) and built the MIP in one synchronous stretch after the swap search
 * (40 ms on CPU on 500 x 500). Those are steps now, and a stop there keeps the heuristic plan.
 * Aborts come after N turns of the event loop (setImmediate), never from a timer.
 */
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
  const model = euclideanModel(300, 4);
  const radius = 200;

  for (const turns of [1, 3, 8, 20, 60, 150]) {
    it(`aborted after ${turns} event-loop turns: stoppedBy aborted, a surviving plan or no-solution`, async () => {
      const r = await abortAfterTurns(turns, (signal) => solve(model, { method: 'survivable:exact', radius, signal }));
      if (r.stoppedBy === 'converged') return;
      expect(r.stoppedBy).toBe('aborted');
      if (hasSolution(r)) expect(survives(model, (r.solution as SurvivableSolution).open, radius, 2)).toBe(true);
      else expect(r.status).toBe('no-solution');
    });
  }
});
