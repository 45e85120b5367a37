import { hasSolution, runSteps, SolveRun, solve } from '@emplace/core';
import '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { gonzalezCore } from '../src/gonzalez.js';
import { bottleneckSteps } from '../src/hochbaum-shmoys.js';
import { prepareInstance, type KCenterInstance } from '../src/instance.js';
import { candidateRadii, pickOrder, radiusLadder, radiusLadderSteps, thresholdPick, thresholdPickSteps } from '../src/threshold.js';
import { abortAfterTurns, abortAtRead, drainSteps, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: the Hochbaum-Shmoys search inside kcenter:exact (and kcenter:auto) was one
 * stretch without a checkpoint: 50-110 ms on 1000 x 1000 (the sweep at --scale 2), growing
 * with the matrix: its radius ladder scans every distance and each threshold test marks a
 * row of clients per site within the radius. It is steps now; the steps compute what the
 * synchronous versions compute, and an abort on any turn returns a valid set of centres.
 */
function instance(n: number, k: number): KCenterInstance {
  const prepared = prepareInstance(euclideanModel(n, 3), { k });
  if (prepared.kind === 'infeasible') throw new Error('unexpected');
  return prepared.problem;
}

/** The largest distance from a client to its nearest open site, recomputed from the model. */
function radiusOf(model: ReturnType<typeof euclideanModel>, open: ArrayLike<number>): number {
  let worst = 0;
  for (let j = 0; j < model.nClients; j++) {
    let best = Infinity;
    for (let a = 0; a < open.length; a++) best = Math.min(best, model.cost[open[a]! * model.nClients + j]!);
    worst = Math.max(worst, best);
  }
  return worst;
}

describe('the bottleneck search in steps', () => {
  const inst = instance(300, 6);

  it('the threshold test and the radius ladder yield and give what their synchronous versions give', () => {
    const order = pickOrder(inst);
    const all = candidateRadii(inst);
    for (const r of [all[0]!, all[Math.floor(all.length / 3)]!, all[all.length - 1]!]) {
      const steps = drainSteps(thresholdPickSteps(inst, r, 5, order));
      expect(steps.value).toEqual(thresholdPick(inst, r, 5, order));
    }
    // 90,000 distances, a checkpoint every 2^18: one per scan at least.
    const ladder = drainSteps(radiusLadderSteps(inst, all[10]!, all[all.length - 10]!, 1000));
    expect(ladder.pauses).toBeGreaterThanOrEqual(2);
    expect(ladder.value).toEqual(radiusLadder(inst, all[10]!, all[all.length - 10]!, 1000));
  });

  it('yields many times, and drained in steps finds what it finds in one go', () => {
    const run = () => new SolveRun({ seed: 1 }, 'kcenter:test');
    const g = gonzalezCore(inst, run());
    const gRadius = radiusOf(inst.model, g.open);
    const stepped = drainSteps(bottleneckSteps(inst, run(), g.bound, gRadius));
    const whole = runSteps(bottleneckSteps(inst, run(), g.bound, gRadius));
    expect(stepped.pauses).toBeGreaterThanOrEqual(10);
    expect(stepped.value).toEqual(whole);
    expect(stepped.value.bound).toBeLessThanOrEqual(stepped.value.solution.radius);
  });

  it('kcenter:exact and kcenter:auto aborted on any turn return k centres whose radius is the one reported', async () => {
    const model = euclideanModel(300, 5);
    for (const method of ['kcenter:exact', 'kcenter:auto']) {
      for (const turns of [1, 2, 3, 4, 6, 9, 13, 20]) {
        const r = await abortAfterTurns(turns, (signal) => solve(model, { method, k: 6, seed: 1, signal }));
        expect(hasSolution(r)).toBe(true);
        if (!hasSolution(r)) continue;
        const open = (r.solution as { open: Int32Array }).open;
        expect(open.length).toBeLessThanOrEqual(6);
        expect(r.objective).toBe(radiusOf(model, open));
        if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective);
      }
    }
  });
});

describe('kcenter:hochbaum-shmoys and kcenter:local through the registry yield (issue 13: one 90-210 ms stretch on 2000 x 2000)', () => {
  const model = euclideanModel(300, 9);
  for (const method of ['kcenter:hochbaum-shmoys', 'kcenter:local']) {
    it(`${method}: aborted on any turn, k centres whose radius is the one reported; unaborted, the synchronous answer`, async () => {
      const { hochbaumShmoys, localSearch } = await import('@emplace/kcenter');
      const sync = (method === 'kcenter:local' ? localSearch : hochbaumShmoys)(model, { k: 6, seed: 1 });
      const whole = await solve(model, { method, k: 6, seed: 1, signal: new AbortController().signal });
      expect(whole.objective).toBe(sync.objective);
      let aborted = 0;
      // The abort lands on the n-th checkpoint that reads the signal (the same on any machine).
      for (const reads of [1, 2, 3, 5, 8, 13, 21]) {
        const r = await solve(model, { method, k: 6, seed: 1, signal: abortAtRead(reads).signal });
        expect(hasSolution(r)).toBe(true);
        if (!hasSolution(r)) continue;
        if (r.stoppedBy === 'aborted') aborted++;
        const open = (r.solution as { open: Int32Array }).open;
        expect(open.length).toBeLessThanOrEqual(6);
        expect(r.objective).toBe(radiusOf(model, open));
      }
      expect(aborted).toBeGreaterThan(0);
    });
  }
});

describe('the k-center instance is prepared in steps (issue 13: 35-80 ms on 2000 x 2000 before every method)', () => {
  it('yields on 600 x 600 and builds what prepareInstance builds; an abort during it still returns centres', async () => {
    const { prepareInstanceSteps } = await import('../src/instance.js');
    const model = euclideanModel(600, 4);
    const stepped = drainSteps(prepareInstanceSteps(model, { k: 5 }));
    expect(stepped.pauses).toBeGreaterThanOrEqual(2);
    const whole = prepareInstance(model, { k: 5 });
    if (stepped.value.kind !== 'ok' || whole.kind !== 'ok') throw new Error('unexpected');
    expect(stepped.value.problem.colocated).toBe(whole.problem.colocated);
    expect(stepped.value.problem.hasInfinity).toBe(whole.problem.hasInfinity);
    expect(stepped.value.problem.d).toEqual(whole.problem.d);
    const r = await solve(model, { method: 'kcenter:exact', k: 5, signal: abortAtRead(1).signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
  });
});

describe('the Charikar outlier test in steps (issue 13: 45-75 ms a test on 2000 x 2000)', () => {
  it('yields on 600 x 600 and opens what the synchronous test opens', async () => {
    const { charikarTest, charikarTestSteps } = await import('../src/outliers.js');
    const inst = instance(600, 5);
    const all = candidateRadii(inst);
    for (const r of [all[Math.floor(all.length / 10)]!, all[Math.floor(all.length / 2)]!]) {
      const stepped = drainSteps(charikarTestSteps(inst, r, 3));
      expect(stepped.pauses).toBeGreaterThanOrEqual(1);
      expect(stepped.value).toEqual(charikarTest(inst, r, 3));
    }
  });
});

describe('kcenter:capacitated stopped part way: the bound proven so far, not the rest of its bisection (issue 13: 164 ms after the limit on 2000 x 2000)', () => {
  it('an abort at any checkpoint returns centres and a bound no larger than their radius', async () => {
    const base = euclideanModel(200, 6);
    const { createPlacementModel } = await import('@emplace/core');
    const model = createPlacementModel({ sites: Array.from({ length: 200 }, () => ({ capacity: 30 })), clients: 200, cost: base.cost });
    const full = await solve(model, { method: 'kcenter:capacitated', k: 10, seed: 1 });
    if (!hasSolution(full)) throw new Error('no solution');
    for (const reads of [1, 2, 4, 8, 16, 32, 64]) {
      const r = await solve(model, { method: 'kcenter:capacitated', k: 10, seed: 1, signal: abortAtRead(reads).signal });
      if (!hasSolution(r)) continue;
      if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective);
      if (r.bound !== undefined && full.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(full.objective);
    }
  });
});

describe('pdispersion candidate radii through the radix argsort in steps (issue 13: the native sort of 2M distances was a 142 ms stretch)', () => {
  it('lists the distinct pairwise distances in (lower, upper], sorted, as a native sort does', async () => {
    const { candidateRadiiSteps: dispersionRadii, prepareSteps } = await import('../src/p-dispersion.js');
    const inst = drainSteps(prepareSteps(euclideanModel(250, 8), { k: 6 })).value;
    if ('infeasible' in inst) throw new Error('unexpected');
    const { value } = drainSteps(dispersionRadii(inst, 100, 700));
    const ref: number[] = [];
    for (let a = 0; a < inst.openable.length; a++) {
      for (let b = a + 1; b < inst.openable.length; b++) {
        const v = inst.D[inst.openable[a]! * inst.n + inst.openable[b]!]!;
        if (v > 100 && v <= 700) ref.push(v);
      }
    }
    const distinct = [...new Set(ref)].sort((x, y) => x - y);
    expect(Array.from(value.cand.subarray(0, value.uniq))).toEqual(distinct);
  });
});

describe('survivable: the covering relation in steps through the registry (issue 13: 67 ms on 2000 x 2000)', () => {
  it('survivable:greedy and survivable:exact aborted at any checkpoint: a plan covering every client twice, or no-solution', async () => {
    const model = euclideanModel(300, 2);
    for (const method of ['survivable:greedy', 'survivable:exact']) {
      for (const reads of [1, 2, 3, 5, 8, 13]) {
        const r = await solve(model, { method, radius: 250, seed: 1, signal: abortAtRead(reads).signal });
        if (!hasSolution(r)) {
          expect(r.status).toBe('no-solution');
          continue;
        }
        const open = (r.solution as { open: Int32Array }).open;
        for (let j = 0; j < model.nClients; j++) {
          let within = 0;
          for (let a = 0; a < open.length; a++) if (model.cost[open[a]! * model.nClients + j]! <= 250) within++;
          expect(within).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });
});

describe('kcenter:outliers stopped part way (issue 13: a test and the bound ran on after an abort, 50-70 ms on 2000 x 2000)', () => {
  it('an abort at any checkpoint returns centres whose radius ignoring z clients is the one reported, and a bound below it', async () => {
    const model = euclideanModel(300, 11);
    for (const reads of [1, 2, 3, 5, 8, 13, 21, 34]) {
      const r = await solve(model, { method: 'kcenter:outliers', k: 5, outliers: 6, seed: 1, signal: abortAtRead(reads).signal });
      if (!hasSolution(r)) throw new Error('no solution');
      const open = (r.solution as { open: Int32Array }).open;
      const nearest = Array.from({ length: model.nClients }, (_, j) => Math.min(...Array.from(open, (s) => model.cost[s * model.nClients + j]!)));
      nearest.sort((x, y) => y - x);
      expect(r.objective).toBe(nearest[6]);
      if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(r.objective);
    }
  });
});
