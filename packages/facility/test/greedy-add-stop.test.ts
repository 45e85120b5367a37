import { SolveRun } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { greedyAddSteps } from '../src/greedy.js';
import { Interchange } from '../src/interchange.js';
import { solveMip } from '../src/mip.js';
import { prepareProblem } from '../src/problem.js';
import { euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: the p-median greedy tested its stop only between added sites, and one addition
 * updates the tables of every client it serves better (O(S) each: ~50 ms at 2000 x 2000,
 * where the first additions serve most clients), so an abort inside one ran it to its end.
 */
describe('p-median greedy add stopped inside an addition', () => {
  const model = euclideanModel(400, 5);
  const p = 8;
  const prep = prepareProblem(model, 'pmedian', p);
  if (prep.kind !== 'ok') throw new Error('prepares');
  const pr = prep.problem;

  it('passes at most one more checkpoint after the stop and still opens p usable sites', () => {
    // The first 6 pauses are the table build over the 400 clients (every 64), before any addition.
    for (const after of [1, 3, 7, 9, 12, 16, 25]) {
      const ls = new Interchange(pr);
      let pauses = 0;
      let afterStop = 0;
      const steps = greedyAddSteps(pr, ls, p, () => pauses >= after);
      let r = steps.next();
      while (!r.done) {
        if (++pauses > after) afterStop++;
        r = steps.next();
      }
      // The old code finished the table build or the addition under way: 5-12 more checkpoints here.
      expect(afterStop).toBeLessThanOrEqual(1);
      let open = 0;
      for (let i = 0; i < pr.nSites; i++) open += r.value[i]!;
      expect(open).toBe(p);
    }
  });
});

describe('the facility MIP after a stop', () => {
  it('builds nothing when the run has stopped before it', async () => {
    const model = euclideanModel(60, 2);
    const prep = prepareProblem(model, 'pmedian', 4);
    if (prep.kind !== 'ok') throw new Error('prepares');
    const ctl = new AbortController();
    ctl.abort();
    const out = await solveMip(prep.problem, new SolveRun({ signal: ctl.signal }, 'pmedian:mip', 'min'));
    // The old code reserved the S x C columns and added the first site's row before its first stop test.
    expect(out.variables).toBe(0);
    expect(out.solution).toBeNull();
  });
});
