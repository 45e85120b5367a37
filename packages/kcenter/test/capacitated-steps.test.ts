import { createPlacementModel, Rng, SolveRun } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { capacitatedHeuristicSearch } from '../src/capacitated.js';
import { prepareInstance } from '../src/instance.js';
import { drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: kcenter:capacitated opened all k sites of a radius (k scans of every site's row)
 * and computed its packing bound (a binary search of threshold picks) without a checkpoint:
 * 15-37 ms stretches on 500 x 500. The greedy opening now yields after each site.
 */
describe('kcenter:capacitated works in steps', () => {
  it('the radius search yields after every opened site, not only between radii', () => {
    const n = 120;
    const rng = new Rng(3);
    const x = Float64Array.from({ length: n }, () => rng.next() * 100);
    const y = Float64Array.from({ length: n }, () => rng.next() * 100);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
    const model = createPlacementModel({ sites: Array.from({ length: n }, () => ({ capacity: 20 })), clients: n, cost });
    const prepared = prepareInstance(model, { k: 8, capacitated: true });
    if (prepared.kind !== 'ok') throw new Error('expected an instance');
    const steps = capacitatedHeuristicSearch(prepared.problem, new SolveRun({}, 'test'));
    const r = drainSteps(steps);
    const yields = r.pauses;
    const { solution, tests } = r.value;
    expect(solution).toBeDefined();
    // At least one checkpoint per opened site of each tested radius (8 sites per radius here).
    expect(yields).toBeGreaterThanOrEqual(4 * tests);
  });
});

describe('kcenter:capacitated stopped inside its first radius test (issue 13: its k openings ran on, ~100 ms on CPU at 2000 x 2000)', () => {
  it('passes at most one more checkpoint after the stop and returns k centres serving every client within their radius', () => {
    const n = 300;
    const rng = new Rng(5);
    const x = Float64Array.from({ length: n }, () => rng.next() * 100);
    const y = Float64Array.from({ length: n }, () => rng.next() * 100);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
    const model = createPlacementModel({ sites: Array.from({ length: n }, (_, i) => ({ capacity: 20 + (i % 7) })), clients: n, cost });
    const prepared = prepareInstance(model, { k: 16, capacitated: true });
    if (prepared.kind !== 'ok') throw new Error('expected an instance');
    for (const after of [1, 3, 6]) {
      const ctl = new AbortController();
      const steps = capacitatedHeuristicSearch(prepared.problem, new SolveRun({ signal: ctl.signal }, 'test'));
      let pauses = 0;
      let afterStop = 0;
      let r = steps.next();
      while (!r.done) {
        if (++pauses === after) ctl.abort();
        else if (pauses > after) afterStop++;
        r = steps.next();
      }
      // The old code opened the remaining sites of the first test: one checkpoint each (8-15 here).
      expect(afterStop).toBeLessThanOrEqual(1);
      const sol = r.value.solution;
      if (!sol) throw new Error('the first test gives centres');
      expect(new Set(sol.open).size).toBe(16);
      // Each client's site is open and within the reported radius.
      for (let j = 0; j < n; j++) {
        const s = sol.assignment[j]!;
        expect(Array.from(sol.open)).toContain(s);
        expect(cost[s * n + j]!).toBeLessThanOrEqual(sol.radius);
      }
    }
  });
});
