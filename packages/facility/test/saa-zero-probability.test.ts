import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, solve } from '@emplace/core';
import { createScenarioSet, type SaaSolution } from '@emplace/facility';

/**
 * A listed scenario of probability 0 that no open set can serve (here both sites with
 * capacity failed) does not make the expected-cost problem infeasible. SAA stopped before its
 * first sample problem fell back on the set of every allowed site and judged that set by its
 * worst scenario: it answered `infeasible` (status audit, scripts/audit/statuses.ts --seed
 * 6061, stochastic:saa case 12; the optimum is 175). Checked at every abort moment from the
 * start: counted turns of the event loop, not a timer.
 */
function zeroProbabilityUnservable() {
  const model = createPlacementModel({
    sites: [
      { id: 's0', openingCost: 28, capacity: 0 },
      { id: 's1', openingCost: 50, capacity: 10, mustOpen: true },
      { id: 's2', openingCost: 55, capacity: 10 },
    ],
    clients: [
      { id: 'c0', demand: 0 },
      { id: 'c1', demand: 5 },
    ],
    cost: [40, 10, 5, 12, 21, 9],
  });
  return createScenarioSet(
    model,
    [
      { name: 'a', probability: 0, demand: [2, 1], costScale: 3, failed: [], cost: [19, 16, 39, 23, 22, 4] },
      { name: 'b', probability: 2, demand: [0, 2], costScale: 1, failed: [1], cost: [2, 1, 35, 23, 30, 35] },
      // Probability 0, and only the site of capacity 0 survives: no set serves it.
      { name: 'c', probability: 0, demand: [0, 0.5], costScale: 1, failed: [1, 2] },
    ],
    { capacitated: true },
  );
}

describe('SAA and scenarios of probability 0', () => {
  it('an unstopped run finds the optimum 175', async () => {
    const r = await solve(zeroProbabilityUnservable(), { method: 'stochastic:saa', seed: 1 });
    expect(r.status).toBe('feasible');
    expect(r.objective).toBeCloseTo(175, 9);
  });

  it('a run aborted at any turn of the event loop is never `infeasible`, and has a plan from the first turn on', async () => {
    const set = zeroProbabilityUnservable();
    for (let turns = 0; turns < 12; turns++) {
      const ctl = new AbortController();
      let left = turns;
      if (left === 0) ctl.abort();
      const tick = (): void => {
        if (--left === 0) ctl.abort();
        else if (left > 0) setImmediate(tick);
      };
      if (left > 0) setImmediate(tick);
      const r = await solve(set, { method: 'stochastic:saa', seed: 1, signal: ctl.signal });
      expect(r.status, `aborted after ${turns} turns`).not.toBe('infeasible');
      // Aborted before it starts, no plan is owed; from the first turn on there is one.
      if (turns > 0) expect(hasSolution(r), `aborted after ${turns} turns`).toBe(true);
      if (hasSolution(r)) {
        // The must-open site is in every plan.
        expect((r.solution as SaaSolution).open).toContain('s1');
        expect(Number.isFinite(r.objective)).toBe(true);
        expect(r.objective).toBeGreaterThanOrEqual(175 - 1e-9);
      }
    }
  });
});
