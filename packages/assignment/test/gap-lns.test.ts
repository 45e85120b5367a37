import { describe, expect, it } from 'vitest';
import { Rng, runSteps } from '@emplace/core';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import { gapLns, type GapLnsOptions, type GapLnsResult } from '../src/gap-lns.js';
import { toGapInstance, type GapInstance } from '../src/gap-instance.js';
import { mthg } from '../src/mthg.js';
import { generateGap } from '../src/generate-gap.js';
import { evaluate } from './gap-test-instances.js';

/**
 * The LNS for `rounds` rounds from `start`, every improvement checked by the independent
 * evaluator (feasible, at its reported cost) and recorded; the end plan checked the same way
 * and never worse than the start, the recorded costs strictly decreasing.
 */
function checkedLns(inst: GapInstance, start: Int32Array, rounds: number, options: Omit<GapLnsOptions, 'stop' | 'onImprove'>): { r: GapLnsResult; seen: number[] } {
  let done = 0;
  const seen: number[] = [];
  const r = gapLns(inst, start, {
    ...options,
    stop: () => ++done > rounds,
    onImprove: (c, a) => {
      const e = evaluate(inst, a);
      expect(e.feasible).toBe(true);
      expect(e.cost).toBeCloseTo(c, 9);
      seen.push(c);
    },
  });
  const e = evaluate(inst, r.assignment);
  expect(e.feasible).toBe(true);
  expect(e.cost).toBeCloseTo(r.cost, 9);
  expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
  for (let t = 1; t < seen.length; t++) expect(seen[t]!).toBeLessThan(seen[t - 1]!);
  return { r, seen };
}

describe('GAP large-neighbourhood search (gap-lns.ts)', () => {
  for (const type of ['C', 'D', 'E'] as const) {
    it(`type ${type}: every improvement is feasible, strictly better and reported at its true cost`, () => {
      const inst = toGapInstance(generateGap(type, 6, 40, 11), 'min');
      const start = mthg(inst)!;
      checkedLns(inst, start, 400, { rng: new Rng(3) });
    });
  }
});

describe('GAP LNS kicks (iterated LNS)', () => {
  it('kicked walks stay feasible, never report a worse plan, and repeat per seed (work-bounded)', () => {
    // 4 agents x 30 jobs: the 2-agent neighbourhood stalls within a few rounds, so the
    // walk is kicked many times in 600 rounds.
    const inst = toGapInstance(generateGap('D', 4, 30, 5), 'min');
    const start = mthg(inst)!;
    const a = checkedLns(inst, start, 600, { rng: new Rng(7) });
    const b = checkedLns(inst, start, 600, { rng: new Rng(7) });
    expect(Array.from(b.r.assignment)).toEqual(Array.from(a.r.assignment));
    expect(b.seen).toEqual(a.seen);
  });

  it('agent sets already proven optimal for the current plan are not re-solved (few agents)', () => {
    // 3 agents have 3 pairs: between kicks the walk draws proven pairs again.
    const inst = toGapInstance(generateGap('D', 3, 24, 9), 'min');
    const start = mthg(inst)!;
    let calls = 0;
    const r = gapLns(inst, start, { rng: new Rng(1), stop: () => ++calls > 20_000 });
    expect(r.skipped).toBeGreaterThan(0);
    expect(r.solved + r.skipped).toBeLessThanOrEqual(r.rounds);
    expect(evaluate(inst, r.assignment).feasible).toBe(true);
    expect(r.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
  });

  it('sub-problems are work-bounded: the same seed repeats the walk whatever the clock (no time caps)', () => {
    const inst = toGapInstance(generateGap('D', 5, 60, 21), 'min');
    const start = mthg(inst)!;
    const run = () => {
      let calls = 0;
      return gapLns(inst, start, { rng: new Rng(2), stop: () => ++calls > 3000, evaluationsPerJob: 2 });
    };
    const a = run();
    const b = run();
    expect(a.rounds).toBeGreaterThan(0);
    expect(a.solved).toBeLessThanOrEqual(a.rounds);
    expect(b.cost).toBe(a.cost);
    expect(b.rounds).toBe(a.rounds);
    expect(b.solved).toBe(a.solved);
  });
});

describe('GAP LNS with related agents (multipliers given)', () => {
  it('draws sub-problems by affinity: feasible improvements, never worse than the start, repeatable per seed', () => {
    const inst = toGapInstance(generateGap('D', 8, 60, 21), 'min');
    const start = mthg(inst)!;
    const lag = new GapLagrangian(inst);
    const u = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => evaluate(inst, start).cost, maxIterations: 100 })).u;
    for (const related of [true, false]) {
      const a = checkedLns(inst, start, 300, { rng: new Rng(5), u, related });
      const b = checkedLns(inst, start, 300, { rng: new Rng(5), u, related });
      expect(Array.from(b.r.assignment)).toEqual(Array.from(a.r.assignment));
    }
  });
});

describe('GAP LNS job-subset neighbourhoods', () => {
  // A job-subset sub-problem frees only some jobs of its agents: the capacity left to each
  // agent must count the jobs it keeps (an error there shows up as an infeasible plan).
  for (const neighbourhood of ['jobs', 'mixed'] as const) {
    it(`${neighbourhood}: feasible strictly improving reports, never worse than the start, repeatable per seed`, () => {
      const inst = toGapInstance(generateGap('D', 5, 80, 31), 'min');
      const start = mthg(inst)!;
      const lag = new GapLagrangian(inst);
      const u = runSteps(gapSubgradientSteps(lag, initialMultipliers(inst), new Int32Array(inst.n).fill(-1), { upper: () => evaluate(inst, start).cost, maxIterations: 100 })).u;
      const a = checkedLns(inst, start, 2000, { rng: new Rng(4), u, neighbourhood });
      const b = checkedLns(inst, start, 2000, { rng: new Rng(4), u, neighbourhood });
      expect(Array.from(b.r.assignment)).toEqual(Array.from(a.r.assignment));
      expect(b.seen).toEqual(a.seen);
    });
  }
});
