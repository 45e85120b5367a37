import { hasSolution, solve } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/register.js';
import { prepareCoverage } from '../src/coverage-instance.js';
import { reduceSteps } from '../src/mclp.js';
import { abortAtRead, drainSteps, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: a stop during mclp's reductions let the site dominance test and the reduced
 * relation run to their end (~50 ms on CPU after an abort at 2000 x 2000). The dominance
 * test now ends at its next checkpoint, keeping the sites not yet tested.
 */
describe('mclp reductions stopped in the dominance test', () => {
  const model = euclideanModel(500, 6);
  const data = prepareCoverage(model, 120, { capacities: false, family: 'mclp' });

  it('pass at most two more checkpoints after the stop, keeping every site the full test keeps', () => {
    const full = drainSteps(reduceSteps(data, 10)).value;
    // Pause 3 is inside the dominance test (after the client merge's pauses).
    let pauses = 0;
    let afterStop = 0;
    const steps = reduceSteps(data, 10, () => pauses >= 3);
    let r = steps.next();
    while (!r.done) {
      if (++pauses > 3) afterStop++;
      r = steps.next();
    }
    // The old code tested every remaining candidate: one checkpoint per 16 sites (20 or more here).
    expect(afterStop).toBeLessThanOrEqual(2);
    const kept = new Set(r.value.sites);
    for (const s of full.sites) expect(kept.has(s)).toBe(true);
    expect(r.value.base).toBe(full.base);
    expect(Array.from(r.value.weight)).toEqual(Array.from(full.weight));
  });

  it('aborted at counted reads through the registry: k sites whose covered demand is the objective, below the bound', async () => {
    for (const reads of [1, 2, 3, 5, 8, 13, 21]) {
      for (const method of ['mclp:exact', 'mclp:greedy']) {
        const r = await solve(model, { method, radius: 120, k: 10, seed: 1, signal: abortAtRead(reads).signal });
        if (!hasSolution(r)) continue;
        const open = Array.from((r.solution as { open: ArrayLike<number> }).open);
        expect(open.length).toBe(10);
        let covered = 0;
        for (let j = 0; j < model.nClients; j++) if (open.some((s) => model.cost[s * model.nClients + j]! <= 120)) covered++;
        expect(r.objective).toBe(covered);
        if (r.bound !== undefined) expect(r.bound).toBeGreaterThanOrEqual(r.objective);
      }
    }
  });
});
