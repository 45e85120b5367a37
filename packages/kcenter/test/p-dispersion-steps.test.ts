import { createPlacementModel, Rng, solve } from '@emplace/core';
import '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { candidateRadiiSteps, conflictGraphSteps, prepareSteps } from '../src/p-dispersion.js';

/** n random points in the plane, cost = rounded Euclidean distances (sites are the clients). */
function euclidean(n: number, seed: number) {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
}

function drain<T>(steps: Generator<void, T, void>): { value: T; steps: number } {
  let count = 0;
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return { value: r.value, steps: count };
    count++;
  }
}

/**
 * Issue 13: pdispersion's setup, candidate radii and conflict graph were single stretches of
 * 20-170 ms on 500 sites (an abort at such a moment waited for all of it). They are steps now.
 */
describe('p-dispersion works in steps', () => {
  const model = euclidean(400, 7);
  it('the setup, the candidate radii and the conflict graph each yield several times on 400 sites', () => {
    const prepared = drain(prepareSteps(model, { k: 8 }));
    expect(prepared.steps).toBeGreaterThanOrEqual(8);
    const inst = prepared.value;
    if ('infeasible' in inst) throw new Error('unexpected');
    const radii = drain(candidateRadiiSteps(inst, 0, Infinity));
    expect(radii.steps).toBeGreaterThanOrEqual(6);
    // Sorted, distinct.
    for (let t = 1; t < radii.value.uniq; t++) expect(radii.value.cand[t]!).toBeGreaterThan(radii.value.cand[t - 1]!);
    const free = Array.from(inst.openable);
    const graph = drain(conflictGraphSteps(inst, free, radii.value.cand[Math.floor(radii.value.uniq / 2)]!));
    expect(graph.steps).toBeGreaterThanOrEqual(6);
    expect(graph.value.deg.length).toBe(free.length);
  });

  it('pdispersion:exact reports the greedy set as its first incumbent; aborted there, it returns that set with stoppedBy aborted', async () => {
    const ctl = new AbortController();
    let first: number | undefined;
    const r = await solve(model, {
      method: 'pdispersion:exact',
      k: 8,
      signal: ctl.signal,
      onIncumbent: (_s, objective) => {
        first ??= objective;
        ctl.abort();
      },
    });
    expect(first).toBeDefined();
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    expect(r.objective).toBe(first);
    expect(new Set((r.solution as { open: Int32Array }).open).size).toBe(8);
  });
});
