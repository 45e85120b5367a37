import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGame, hasSolution, ModelError } from '@emplace/core';
import { shapleyExact, shapleySampling, createWeightedVotingGame, type SamplingVariant } from '@emplace/mechanism';
import { tableArb, tableGame } from './helpers.js';

const exact = async (g: Parameters<typeof shapleyExact>[0]) => {
  const r = await shapleyExact(g);
  if (!hasSolution(r)) throw new Error('no exact solution');
  return r.solution.values;
};

describe('Shapley sampling', () => {
  it('converges to the exact value (every variant)', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(3, 6), fc.constantFrom<SamplingVariant>('permutation', 'antithetic', 'stratified'), fc.integer({ min: 1, max: 1000 }), async ({ n, table }, variant, seed) => {
        const g = tableGame(n, table);
        const ref = await exact(g);
        const range = 2 * (Math.max(...table) - Math.min(...table));
        const r = await shapleySampling(g, { variant, seed, precision: 0.02 * Math.max(1, range), range, interval: 'normal', maxSamples: 200_000 });
        if (!hasSolution(r)) throw new Error('no solution');
        for (let i = 0; i < n; i++) expect(Math.abs(r.solution.values[i]! - ref[i]!)).toBeLessThan(0.08 * Math.max(1, range));
      }),
      { numRuns: 12 },
    );
  });

  it('permutation estimates are efficient by construction', async () => {
    const g = tableGame(4, [0, 1, 2, 4, 3, 5, 6, 9, 1, 3, 4, 6, 5, 7, 8, 20]);
    const r = await shapleySampling(g, { seed: 5, maxSamples: 200, precision: 1e-6 });
    if (!hasSolution(r)) throw new Error('no solution');
    let sum = 0;
    for (const v of r.solution.values) sum += v;
    expect(sum).toBeCloseTo(20, 9);
    expect(r.stoppedBy).toBe('iteration-limit');
    expect(r.solution.reachedPrecision).toBe(false);
  });

  it('the true value lies in the reported interval at least at the stated rate (many seeds)', async () => {
    // A 6-player game with heterogeneous marginal contributions.
    const n = 6;
    const w = [1, 2, 3, 5, 8, 13];
    const g = createGame({ players: n, value: { mask: (m) => { let s = 0; for (let i = 0; i < n; i++) if (m & (1 << i)) s += w[i]!; return s >= 16 ? s : 0.3 * s; } } });
    const ref = await exact(g);
    const range = 32;
    for (const [variant, interval] of [['permutation', 'bernstein'], ['antithetic', 'normal'], ['stratified', 'hoeffding'], ['permutation', 'normal'], ['stratified', 'normal']] as const) {
      let covered = 0;
      let total = 0;
      for (let seed = 1; seed <= 150; seed++) {
        const r = await shapleySampling(g, { variant, interval, seed, range, confidence: 0.9, precision: 1.5 });
        if (!hasSolution(r)) throw new Error('no solution');
        expect(r.solution.reachedPrecision).toBe(true);
        for (let i = 0; i < n; i++) {
          total++;
          expect(r.solution.halfWidth[i]).toBeLessThanOrEqual(1.5);
          if (r.solution.lower[i]! <= ref[i]! && ref[i]! <= r.solution.upper[i]!) covered++;
        }
      }
      // Stated rate 0.9 per player; allow the binomial noise of 900 trials (3 sd ~ 0.03).
      expect(covered / total).toBeGreaterThanOrEqual(0.87);
    }
  });

  it('stops at the requested precision relative to v(N) (+/- 0.01 v(N) at 95 %)', async () => {
    const g = createWeightedVotingGame({ players: 15, weights: [7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], quota: 39 });
    const r = await shapleySampling(g, { variant: 'stratified', relativePrecision: 0.01, confidence: 0.95, seed: 9 });
    if (!hasSolution(r)) throw new Error('no solution');
    expect(r.solution.reachedPrecision).toBe(true);
    expect(r.solution.interval).toBe('bernstein'); // the range (1) is known for voting games
    for (let i = 0; i < 15; i++) expect(r.solution.halfWidth[i]).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.solution.values[0]! - 421 / 2145)).toBeLessThan(0.01);
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const g = tableGame(5, Array.from({ length: 32 }, (_, m) => (m === 0 ? 0 : (m * 37) % 23)));
    const a = await shapleySampling(g, { seed: 3, maxSamples: 500, precision: 1e-9 });
    const b = await shapleySampling(g, { seed: 3, maxSamples: 500, precision: 1e-9 });
    const c = await shapleySampling(g, { seed: 4, maxSamples: 500, precision: 1e-9 });
    expect(Array.from(a.solution!.values)).toEqual(Array.from(b.solution!.values));
    expect(Array.from(a.solution!.values)).not.toEqual(Array.from(c.solution!.values));
  });

  it('works beyond 30 players through member lists', async () => {
    const n = 40;
    const g = createGame({ players: n, value: (m) => m.reduce((s, i) => s + i, 0) });
    const r = await shapleySampling(g, { seed: 1, maxSamples: 50, precision: 1e-9 });
    if (!hasSolution(r)) throw new Error('no solution');
    // additive game: every marginal contribution is the player's own index
    for (let i = 0; i < n; i++) expect(r.solution.values[i]).toBeCloseTo(i, 9);
  });

  it('bad options name the field', async () => {
    const g = tableGame(2, [0, 1, 1, 3]);
    await expect(shapleySampling(g, { confidence: 1.5 })).rejects.toThrow(ModelError);
    await expect(shapleySampling(g, { confidence: 1.5 })).rejects.toThrow(/options\.confidence/);
    await expect(shapleySampling(g, { interval: 'hoeffding' })).rejects.toThrow(/options\.range/);
    await expect(shapleySampling(g, { precision: -1 })).rejects.toThrow(/options\.precision/);
  });
});
