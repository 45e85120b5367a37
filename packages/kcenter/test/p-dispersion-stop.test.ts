import { hasSolution, solve } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import '../src/register.js';
import { dispersionOf, farthestPointSteps, prepareSteps } from '../src/p-dispersion.js';
import { abortAtRead, drainSteps, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: a stop during p-dispersion's setup or its farthest-pair scan (O(n^2) each: 60 and
 * 40 ms at 2000 sites) let them run to their end, ~100 ms on CPU after an abort. With over
 * 2^20 entries / pairs left, the setup is now abandoned (no set) and the scan ends with the
 * pair so far (which then bounds nothing).
 */
describe('p-dispersion stopped in its O(n^2) passes', () => {
  const model = euclideanModel(1600, 3);
  const k = 6;
  const prepared = drainSteps(prepareSteps(model, { k })).value;
  if ('infeasible' in prepared) throw new Error('feasible');
  const inst = prepared;

  it('the farthest-pair scan passes at most one more checkpoint after a stop, and the bound stays above the set', () => {
    const full = drainSteps(farthestPointSteps(inst));
    // Stops with over 2^20 pairs left (the first two checkpoints of 64 rows) end the scan.
    for (const after of [1, 2]) {
      let pauses = 0;
      let afterStop = 0;
      const steps = farthestPointSteps(inst, () => pauses >= after);
      let r = steps.next();
      while (!r.done) {
        if (++pauses > after) afterStop++;
        r = steps.next();
      }
      // The old code scanned on: 24 checkpoints of 64 rows over 1600 sites.
      expect(afterStop).toBeLessThanOrEqual(1);
      expect(r.value.set.length).toBe(k);
      expect(new Set(r.value.set).size).toBe(k);
      // The bound of a stopped scan is no tighter than the full one's and still bounds the optimum from above.
      expect(r.value.upper).toBeGreaterThanOrEqual(full.value.upper);
      expect(r.value.upper).toBeGreaterThanOrEqual(dispersionOf(inst.D, inst.n, r.value.set).value);
    }
  });

  it('aborted at counted reads through the registry: no set, or k distinct sites whose smallest distance is the objective, below the bound', async () => {
    for (const reads of [1, 2, 3, 5, 8, 13, 21]) {
      for (const method of ['pdispersion:greedy', 'pdispersion:exact']) {
        const r = await solve(model, { method, k, seed: 1, signal: abortAtRead(reads).signal });
        expect(r.stoppedBy).toBe('aborted');
        if (!hasSolution(r)) continue;
        const open = Array.from((r.solution as { open: ArrayLike<number> }).open);
        expect(new Set(open).size).toBe(k);
        expect(r.objective).toBe(dispersionOf(inst.D, inst.n, open).value);
        if (r.bound !== undefined) expect(r.bound).toBeGreaterThanOrEqual(r.objective);
      }
    }
  });
});
