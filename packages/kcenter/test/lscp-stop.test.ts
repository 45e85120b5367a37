import { hasSolution, solve, SolveRun } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/register.js';
import { prepareCoverage } from '../src/coverage-instance.js';
import { greedyUncapacitated } from '../src/lscp.js';
import { abortAtRead, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: a stop during lscp's covering reductions let them, the greedy and the redundancy
 * removal run on (65-80 ms on CPU after an abort at 2000 x 2000). Now the reductions end at
 * their next checkpoint and a one-pass cover is the answer.
 */
describe('lscp greedy stopped during its reductions', () => {
  const model = euclideanModel(300, 11);
  const data = prepareCoverage(model, 150, { capacities: false, family: 'lscp' });

  it('passes at most one more checkpoint after an abort inside the reductions, and covers every client', () => {
    for (const after of [1, 2, 5, 10]) {
      const ctl = new AbortController();
      const run = new SolveRun({ signal: ctl.signal }, 'lscp:greedy', 'min');
      const steps = greedyUncapacitated(data, run);
      let pauses = 0;
      let afterAbort = 0;
      let r = steps.next();
      while (!r.done) {
        if (++pauses === after) ctl.abort();
        else if (pauses > after) afterAbort++;
        r = steps.next();
      }
      // The old code passed every remaining checkpoint of the reductions (dozens at 300 x 300).
      expect(afterAbort).toBeLessThanOrEqual(1);
      const open = r.value.open;
      for (let j = 0; j < model.nClients; j++) expect(open.some((s) => model.cost[s * model.nClients + j]! <= 150)).toBe(true);
      expect(r.value.lowerBound).toBeLessThanOrEqual(open.length);
    }
  });

  it('aborted at counted checkpoints through the registry: a cover of every client, its size the objective, the bound below it', async () => {
    for (const reads of [1, 2, 3, 5, 8, 13, 21, 34, 55]) {
      for (const method of ['lscp:greedy', 'lscp:exact']) {
        const r = await solve(model, { method, radius: 150, seed: 1, signal: abortAtRead(reads).signal });
        if (!hasSolution(r)) continue; // stopped during the setup: no-solution
        const open = Array.from((r.solution as { open: Int32Array }).open);
        for (let j = 0; j < model.nClients; j++) expect(open.some((s) => model.cost[s * model.nClients + j]! <= 150)).toBe(true);
        expect(r.objective).toBe(open.length);
        if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective);
      }
    }
  });
});
