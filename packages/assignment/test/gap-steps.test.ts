import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { generateGap, toGapInstance } from '../src/index.js';
import { gapAutoSteps, gapPrepare } from '../src/gap.js';
import { gapBranchAndBoundSteps } from '../src/gap-branch-and-bound.js';
import { GapFixing } from '../src/gap-fixing.js';
import { GapLagrangian, initialMultipliers } from '../src/gap-lagrangian.js';
import { mthg } from '../src/mthg.js';
import { gapCost } from '../src/gap-instance.js';
import { abortAtRead } from '../../core/test/support/steps.js';
import { allAssignments, tinyGap } from './gap-test-instances.js';

/**
 * Issue 13: gap:auto held the event loop up to 44-60 ms on CPU on Chu-Beasley D 20 x 200,
 * inside a reduced-cost fixing pass (two knapsack tables per agent, all agents in one go)
 * and in the root (the other MTHG criteria run inside the first relaxation's step). The
 * pass now pauses after each agent and the criteria run at checkpoints of their own; a
 * stop seen at any checkpoint ends the run within a pause or two.
 */

/** Drains steps, stopping them from the `at`-th poll of `stop` on; pauses counted after the first stop. */
function drainWithStop<T>(make: (stop: () => boolean) => Generator<void, T, void>, at: number): { value: T; polls: number; fired: boolean; pausesAfter: number } {
  let polls = 0;
  let fired = false;
  const stop = (): boolean => {
    if (++polls >= at) fired = true;
    return fired;
  };
  const steps = make(stop);
  let pausesAfter = 0;
  let r = steps.next();
  while (!r.done) {
    if (fired) pausesAfter++;
    r = steps.next();
  }
  return { value: r.value, polls, fired, pausesAfter };
}

describe('GAP in steps (issue 13)', () => {
  it('the fixing pass pauses after each agent and, drained, equals the unstepped pass', () => {
    const inst = toGapInstance(generateGap('D', 8, 60, 5), 'min');
    const lag = new GapLagrangian(inst);
    const u = initialMultipliers(inst);
    const plan = mthg(inst)!;
    const cutoff = gapCost(inst, plan) - 1 + 1e-6;
    const run = (stepped: boolean) => {
      const fixed = new Int32Array(inst.n).fill(-1);
      const disallow = new Uint8Array(inst.m * inst.n);
      const bound = lag.evaluate(u, fixed, disallow);
      const fixing = new GapFixing(inst);
      let pauses = 0;
      let changes: number;
      if (stepped) {
        const steps = fixing.passSteps(u, bound, cutoff, fixed, disallow, () => {}, () => {});
        let r = steps.next();
        while (!r.done) {
          pauses++;
          r = steps.next();
        }
        changes = r.value;
      } else changes = fixing.pass(u, bound, cutoff, fixed, disallow, () => {}, () => {});
      return { changes, fixed: Array.from(fixed), disallow: Array.from(disallow), pauses };
    };
    const a = run(true);
    const b = run(false);
    expect(a.pauses).toBe(inst.m - 1);
    expect({ ...a, pauses: 0 }).toEqual({ ...b, pauses: 0 });
  });

  it('a pass stopped after any agent keeps only valid fixings (brute force) and says it was interrupted', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 3 }), ({ inst }, slack, at) => {
        const all = allAssignments(inst);
        if (all.length === 0) return;
        const opt = Math.min(...all.map((s) => s.cost));
        const u = initialMultipliers(inst);
        const fixed = new Int32Array(inst.n).fill(-1);
        const disallow = new Uint8Array(inst.m * inst.n);
        const bound = new GapLagrangian(inst).evaluate(u, fixed, disallow);
        const upper = opt + slack;
        const fixing = new GapFixing(inst);
        let polls = 0;
        const changes = runSteps(fixing.passSteps(u, bound, upper - 1 + 1e-6, fixed, disallow, () => {}, () => {}, () => ++polls >= at));
        expect(fixing.interrupted).toBe(inst.m - 1 >= at && changes >= 0);
        if (changes < 0) return;
        for (const s of all.filter((x) => x.cost <= upper - 1)) {
          for (let j = 0; j < inst.n; j++) {
            const i = s.assignment[j]!;
            expect(disallow[i * inst.n + j]).toBe(0);
            if (fixed[j]! >= 0) expect(fixed[j]).toBe(i);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('branch-and-bound stopped at any checkpoint gives up within one pause, never claiming a complete search', () => {
    const inst = toGapInstance(generateGap('C', 5, 30, 11), 'min');
    const plan = mthg(inst)!;
    const make = (stop: () => boolean) =>
      gapBranchAndBoundSteps(inst, { stop, incumbent: plan, incumbentCost: gapCost(inst, plan), rootU: initialMultipliers(inst), rootIterations: 60 });
    const full = drainWithStop(make, Infinity);
    expect(full.value.complete).toBe(true);
    const total = full.polls;
    expect(total).toBeGreaterThan(50);
    for (let at = 1; at <= total; at += Math.max(1, Math.floor(total / 80))) {
      const r = drainWithStop(make, at);
      if (!r.fired) continue;
      expect(r.pausesAfter).toBeLessThanOrEqual(1);
      if (r.value.complete) expect(r.value.cost).toBe(full.value.cost);
      else if (r.value.assignment) expect(r.value.bound).toBeLessThanOrEqual(full.value.cost + 1e-9);
    }
  });

  it('auto aborted at any checkpoint (root, tabu, search) returns within two pauses, with an honest status', () => {
    const model = generateGap('D', 5, 40, 3);
    const options = { maxNodes: 40, maxIterations: 200, seed: 2 };
    const drain = (at: number) => {
      const a = abortAtRead(at);
      const p = gapPrepare(model, { ...options, signal: a.signal }, 'auto');
      if (!('inst' in p)) throw new Error('unexpected immediate result');
      const steps = gapAutoSteps(p, options);
      let pausesAfter = 0;
      let r = steps.next();
      while (!r.done) {
        if (a.fired()) pausesAfter++;
        r = steps.next();
      }
      return { result: r.value, reads: a.reads(), fired: a.fired(), pausesAfter };
    };
    const full = drain(Infinity);
    // The run passes every phase: the root, the tabu walk and the search.
    expect(full.result.stats).toMatchObject({ tabuIterations: expect.any(Number), nodes: expect.any(Number) });
    expect(Number(full.result.stats.tabuIterations)).toBeGreaterThan(0);
    expect(Number(full.result.stats.nodes)).toBeGreaterThan(0);
    const total = full.reads;
    expect(total).toBeGreaterThan(100);
    const optimum = full.result.status === 'optimal' ? full.result.objective : undefined;
    for (let at = 1; at <= total; at += Math.max(1, Math.floor(total / 30))) {
      const r = drain(at);
      if (!r.fired) continue;
      expect({ at, pauses: r.pausesAfter }).toEqual({ at, pauses: Math.min(2, r.pausesAfter) });
      expect(['feasible', 'optimal', 'no-solution']).toContain(r.result.status);
      if (r.result.status === 'optimal' && optimum !== undefined) expect(r.result.objective).toBe(optimum);
      if (r.result.status !== 'optimal') expect(r.result.stoppedBy).toBe('aborted');
    }
  });
});
