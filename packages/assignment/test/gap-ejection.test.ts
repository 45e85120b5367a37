import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { gapEjection } from '../src/gap-ejection.js';
import { toGapInstance } from '../src/gap-instance.js';
import { mthg } from '../src/mthg.js';
import { generateGap } from '../src/generate-gap.js';
import { bruteOptimum, evaluate, expectSoundPlan, tinyGap } from './gap-test-instances.js';
import { abortAfterTurns } from '../../core/test/support/steps.js';

describe('GAP ejection-chain search (gap-ejection.ts)', () => {
  it('returns a feasible assignment whose cost it reports exactly, never worse than the start nor below the optimum', () => {
    fc.assert(
      fc.property(tinyGap, fc.integer({ min: 0, max: 1000 }), ({ inst }, seed) => {
        const start = mthg(inst);
        if (!start) return;
        expectSoundPlan(inst, start, gapEjection(inst, start, { rng: new Rng(seed), stop: () => false, maxRounds: 60 }));
      }),
      { numRuns: 200 },
    );
  });

  it('reaches the brute-force optimum of most tiny instances', () => {
    let hit = 0;
    let total = 0;
    fc.assert(
      fc.property(tinyGap, ({ inst }) => {
        const start = mthg(inst);
        if (!start) return;
        total++;
        const r = gapEjection(inst, start, { rng: new Rng(1), stop: () => false, maxRounds: 200 });
        if (r.cost === bruteOptimum(inst)) hit++;
      }),
      { numRuns: 100, seed: 17 },
    );
    expect(hit).toBeGreaterThanOrEqual(0.9 * total);
  });

  it('starts from an over-capacity assignment and finds a feasible one', () => {
    const inst = toGapInstance(generateGap('D', 5, 60, 3), 'min');
    // Every job on its cheapest agent: far over capacity on type D.
    const start = new Int32Array(inst.n);
    for (let j = 0; j < inst.n; j++) {
      let a = 0;
      for (let i = 1; i < inst.m; i++) if (inst.cost[i * inst.n + j]! < inst.cost[a * inst.n + j]!) a = i;
      start[j] = a;
    }
    expect(evaluate(inst, start).feasible).toBe(false);
    const r = gapEjection(inst, start, { rng: new Rng(2), stop: () => false, maxRounds: 300 });
    expect(r.cost).toBeLessThan(Infinity);
    expect(evaluate(inst, r.assignment).feasible).toBe(true);
    expect(evaluate(inst, r.assignment).cost).toBe(r.cost);
  });

  it('is deterministic per seed, stops at the lower bound, after maxStaleRounds and when stopped', () => {
    const inst = toGapInstance(generateGap('D', 5, 60, 4), 'min');
    const start = mthg(inst)!;
    const a = gapEjection(inst, start, { rng: new Rng(7), stop: () => false, maxRounds: 300 });
    const b = gapEjection(inst, start, { rng: new Rng(7), stop: () => false, maxRounds: 300 });
    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment));
    expect(a.cost).toBeLessThanOrEqual(evaluate(inst, start).cost);
    const atBound = gapEjection(inst, start, { rng: new Rng(7), stop: () => false, lowerBound: Infinity });
    expect(atBound.rounds).toBe(0);
    const stale = gapEjection(inst, start, { rng: new Rng(7), stop: () => false, maxStaleRounds: 20 });
    expect(Number.isFinite(stale.rounds)).toBe(true);
    const stopped = gapEjection(inst, start, { rng: new Rng(7), stop: () => true });
    expect(stopped.rounds).toBe(0);
    expect(stopped.cost).toBe(evaluate(inst, start).cost);
  });
});

describe('gap:ejection-chain (the registered method)', () => {
  it('returns a feasible plan priced exactly, within the brute-force optimum and above the Lagrangian bound, the same per seed', async () => {
    const { solveGap } = await import('../src/methods.js');
    await fc.assert(
      fc.asyncProperty(tinyGap, fc.integer({ min: 0, max: 1000 }), async ({ model, inst }, seed) => {
        const opt = bruteOptimum(inst);
        const a = await solveGap(model, { method: 'ejection-chain', maxIterations: 40, seed });
        const b = await solveGap(model, { method: 'ejection-chain', maxIterations: 40, seed });
        if (opt === undefined) {
          expect(a.status).not.toBe('optimal');
          expect(a.status).not.toBe('feasible');
          return;
        }
        expect(a.status === 'feasible' || a.status === 'optimal').toBe(true);
        if (a.status !== 'feasible' && a.status !== 'optimal') return;
        const e = evaluate(inst, a.solution.assignment);
        expect(e.feasible).toBe(true);
        expect(a.objective).toBeCloseTo(e.cost, 9);
        expect(a.objective).toBeGreaterThanOrEqual(opt - 1e-9);
        if (a.bound !== undefined) expect(a.bound).toBeLessThanOrEqual(opt + 1e-9);
        expect(b.status === 'feasible' || b.status === 'optimal' ? b.solution.assignment : undefined).toEqual(a.solution.assignment);
      }),
      { numRuns: 60 },
    );
  });

  it('an abort returns the incumbent (or no-solution), stoppedBy aborted', async () => {
    const { solveGap } = await import('../src/methods.js');
    const model = generateGap('D', 20, 200, 5);
    const r = await abortAfterTurns(5, (signal) => solveGap(model, { method: 'ejection-chain', signal }));
    expect(r.stoppedBy).toBe('aborted');
    expect(['feasible', 'no-solution']).toContain(r.status);
  });
});
