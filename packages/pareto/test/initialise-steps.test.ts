import { describe, expect, it } from 'vitest';
import { hasSolution, solve } from '@emplace/core';
import '@emplace/pareto';
import { abortAfterTurns, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: the first population of pareto:auto on a 300 x 300 placement (random permutations
 * and one decode per member) was evaluated in one stretch before the first checkpoint. It now
 * yields between members (without stopping: every later step reads a whole population), so an
 * abort at the first yield lands in it and is answered right after it with the first front.
 */
describe('pareto:auto first population in steps (issue 13)', () => {
  const model = euclideanModel(200, 5);

  it('an abort at its first yields returns the front of the first population, stoppedBy aborted', async () => {
    for (const turns of [1, 2, 4]) {
      const r = await abortAfterTurns(turns, (signal) => solve(model, { method: 'pareto:auto', seed: 2, signal }));
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
