import { describe, expect, it } from 'vitest';
import { hasSolution, solve } from '@emplace/core';
import { createReplicaModel, generateReplicas } from '../src/index.js';
import '../src/register.js';
import { abortAfterTurns } from '../../core/test/support/steps.js';

/**
 * Issue 13: replicas:exact read back each MIP answer and then checked, certified and explained
 * the final plan in one 20-35 ms stretch on CPU (200 clusters x 50 workloads); it now gives the
 * event loop a turn after each answer from the LP worker and between those phases. The turns
 * change nothing computed, and an abort landing on any of them still returns a plan.
 */
describe('replicas exact: turns of the event loop while reading back and explaining the answer', () => {
  const model = createReplicaModel(generateReplicas({ clusters: 12, workloads: 8, seed: 3, replicas: [2, 6], regions: 3, zonesPerRegion: 2, freeCpu: [4, 16] }));

  it('gives the same plan with a signal that never fires as without a signal', async () => {
    const plain = await solve(model, { method: 'replicas:exact', seed: 1 });
    const watched = await solve(model, { method: 'replicas:exact', seed: 1, signal: new AbortController().signal });
    if (!hasSolution(plain) || !hasSolution(watched)) throw new Error('no solution');
    expect(watched.status).toBe(plain.status);
    expect(watched.objective).toBe(plain.objective);
    expect(watched.solution).toEqual(plain.solution);
  });

  it('an abort at any turn returns a plan (the incumbent) with stoppedBy aborted, or the finished answer', async () => {
    const full = await solve(model, { method: 'replicas:exact', seed: 1 });
    for (const turns of [1, 2, 3, 5, 8, 13, 21, 34]) {
      const r = await abortAfterTurns(turns, (signal) => solve(model, { method: 'replicas:exact', seed: 1, signal }));
      expect(hasSolution(r)).toBe(true);
      if (r.stoppedBy === 'converged') expect(r.objective).toBe(full.objective);
      else expect(r.stoppedBy).toBe('aborted');
    }
  });
});
