import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, solve, type PlacementModel } from '@emplace/core';
import '@emplace/pareto';

/**
 * Issue 13: the first population of pareto:auto on a 300 x 300 placement (random permutations
 * and one decode per member) was evaluated in one stretch before the first checkpoint. It now
 * yields between members (without stopping: every later step reads a whole population), so an
 * abort at the first yield lands in it and is answered right after it with the first front.
 */
function euclidean(n: number, seed: number): PlacementModel {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
}

describe('pareto:auto first population in steps (issue 13)', () => {
  const model = euclidean(200, 5);

  it('an abort at its first yields returns the front of the first population, stoppedBy aborted', async () => {
    for (const turns of [1, 2, 4]) {
      const ctl = new AbortController();
      const pending = solve(model, { method: 'pareto:auto', seed: 2, signal: ctl.signal });
      let left = turns;
      const turn = (): void => {
        if (--left <= 0) ctl.abort();
        else setImmediate(turn);
      };
      setImmediate(turn);
      const r = await pending;
      expect(r.stoppedBy).toBe('aborted');
      expect(hasSolution(r)).toBe(true);
    }
  });

  it('the same seed gives the same front (the yields draw nothing)', async () => {
    const a = await solve(model, { method: 'pareto:auto', seed: 2, maxEvaluations: 600 });
    const b = await solve(model, { method: 'pareto:auto', seed: 2, maxEvaluations: 600 });
    expect(b.objective).toBe(a.objective);
    expect(JSON.stringify(b.solution)).toBe(JSON.stringify(a.solution));
  });
});
