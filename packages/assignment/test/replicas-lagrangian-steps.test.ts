import { describe, expect, it } from 'vitest';
import { hasSolution, SolveRun, solve } from '@emplace/core';
import { createReplicaModel, generateReplicas } from '../src/index.js';
import '../src/register.js';
import { greedyPlace } from '../src/replicas/greedy.js';
import { replicaLagrangianSteps } from '../src/replicas/lagrangian.js';
import { replicaCriteria, replicaObjective } from '../src/replicas/metrics.js';
import { abortAtRead } from '../../core/test/support/steps.js';

/**
 * Issue 13: replicas:exact on a batch too big for the MIP (pairs > maxMipPairs) ran its shift
 * search and Lagrangian relaxation as one stretch to the deadline: 550-800 ms on 800 clusters
 * x 50 workloads, and a timer-fired abort could not even fire. Both are steps now. The steps
 * change nothing computed; an abort landing on any checkpoint returns a plan.
 */
describe('replicas exact: the Lagrangian path in steps', () => {
  const model = createReplicaModel(generateReplicas({ clusters: 60, workloads: 12, seed: 4, replicas: [4, 12], regions: 4, zonesPerRegion: 2, freeCpu: [4, 24] }));
  const options = { method: 'replicas:exact', seed: 1, maxMipPairs: 10, timeLimitMs: 60_000 };

  it('takes the Lagrangian path, and a signal that never fires changes nothing', async () => {
    const plain = await solve(model, options);
    const watched = await solve(model, { ...options, signal: new AbortController().signal });
    if (!hasSolution(plain) || !hasSolution(watched)) throw new Error('no solution');
    expect(plain.stats['provenBy']).toBe('lagrangian bound');
    expect(watched.objective).toBe(plain.objective);
    expect(watched.bound).toBe(plain.bound);
    expect(watched.solution).toEqual(plain.solution);
  });

  // (An abort at the first checkpoints lands in the greedy start, before any plan: no-solution, as before.)
  it('an abort at any checkpoint after the greedy start returns a plan no worse than it, with a bound below it', async () => {
    const greedy = await solve(model, { method: 'replicas:greedy', seed: 1 });
    if (!hasSolution(greedy)) throw new Error('no greedy plan');
    let aborted = 0;
    for (const reads of [3, 5, 8, 13, 21, 34, 55, 89, 144]) {
      const r = await solve(model, { ...options, signal: abortAtRead(reads).signal });
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      if (r.stoppedBy === 'aborted') aborted++;
      expect(r.objective).toBeLessThanOrEqual(greedy.objective + 1e-9);
      if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective + 1e-9);
    }
    expect(aborted).toBeGreaterThan(0);
  });
});

/**
 * Issue 13: one subgradient iteration solves a subproblem per workload (an insertion sort of
 * its clusters by price): 36 ms on CPU over 800 clusters x 50 workloads, with no pause inside.
 */
describe('replicas Lagrangian: pauses inside an iteration', () => {
  it('yields more than once per iteration on 400 clusters x 40 workloads, with the same bound and plan', () => {
    const m = createReplicaModel(generateReplicas({ clusters: 400, workloads: 40, seed: 4, replicas: [4, 12], regions: 4, zonesPerRegion: 2, freeCpu: [4, 24] }));
    const drive = (): { pauses: number; value: ReturnType<typeof replicaLagrangianSteps> extends Generator<void, infer T, void> ? T : never } => {
      const run = new SolveRun({ seed: 1 }, 'replicas:exact', 'min');
      const g = greedyPlace(m, run);
      const active = Int32Array.from(Array.from(g.status.keys()).filter((w) => g.status[w] === 0));
      const steps = replicaLagrangianSteps(m, active, run, { counts: g.counts, value: replicaObjective(m, replicaCriteria(m, g.counts)) }, { maxIterations: 4 });
      let pauses = 0;
      let r = steps.next();
      while (!r.done) {
        pauses++;
        r = steps.next();
      }
      return { pauses, value: r.value };
    };
    const a = drive();
    // Four iterations: one pause after each in the old code.
    expect(a.pauses).toBeGreaterThan(4);
    const b = drive();
    expect(b.value?.bound).toBe(a.value?.bound);
    expect(b.value?.counts).toEqual(a.value?.counts);
  });
});
