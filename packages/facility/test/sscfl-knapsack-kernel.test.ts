import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { RatioKnapsack } from '../src/sscfl-knapsack.js';
import { bruteLagrangian, cornuejols, expectKnapsacksFit, freeNode, multipliersNearCosts, randomBans } from './sscfl-instances.js';

/** The 0-1 knapsack optimum by enumeration of every subset. */
function bruteKnapsack(p: number[], w: number[], room: number): number {
  let best = 0;
  for (let mask = 0; mask < 1 << p.length; mask++) {
    let pw = 0;
    let pp = 0;
    for (let t = 0; t < p.length; t++) {
      if (mask & (1 << t)) {
        pw += w[t]!;
        pp += p[t]!;
      }
    }
    if (pw <= room && pp > best) best = pp;
  }
  return best;
}

const item = fc.record({ p: fc.double({ min: 0.5, max: 100, noNaN: true }), w: fc.integer({ min: 1, max: 40 }), frac: fc.boolean() });

/** Loads items (ratio order) into the kernel; returns them sorted. */
function load(ks: RatioKnapsack, raw: { p: number; w: number; frac: boolean }[]): { p: number[]; w: number[] } {
  const items = raw.map(({ p, w, frac }) => ({ p, w: frac ? w + 0.37 : w })).sort((a, b) => b.p / b.w - a.p / a.w);
  items.forEach(({ p, w }, t) => {
    ks.profit[t] = p;
    ks.weight[t] = w;
  });
  ks.setItems(items.length);
  return { p: items.map((x) => x.p), w: items.map((x) => x.w) };
}

function takenFits(ks: RatioKnapsack, w: number[], room: number): boolean {
  let sum = 0;
  for (let t = 0; t < w.length; t++) if (ks.take[t]) sum += w[t]!;
  return sum <= room + 1e-9;
}

describe('RatioKnapsack (reduction + depth-first search from a start)', () => {
  it('criticalRatio prices the LP: sum (p - r w)+ + r room equals the Dantzig bound, and any other price gives more', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 13 }), fc.integer({ min: 0, max: 150 }), fc.double({ min: 0, max: 20, noNaN: true }), (raw, room, other) => {
        const ks = new RatioKnapsack(16);
        const { p, w } = load(ks, raw);
        const dual = (r: number): number => p.reduce((sum, pt, t) => sum + Math.max(0, pt - r * w[t]!), 0) + r * room;
        const lp = ks.dantzig(0, room);
        expect(dual(ks.criticalRatio(room))).toBeCloseTo(lp, 9);
        expect(dual(other)).toBeGreaterThanOrEqual(lp - 1e-9);
        expect(lp).toBeGreaterThanOrEqual(bruteKnapsack(p, w, room) - 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the enumerated optimum from the greedy start and from any feasible start', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 13 }), fc.integer({ min: 0, max: 150 }), fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }), (raw, room, startMask) => {
        const ks = new RatioKnapsack(16);
        const { p, w } = load(ks, raw);
        const want = bruteKnapsack(p, w, room);
        // From the greedy.
        const g = ks.greedy(room);
        expect(takenFits(ks, w, room)).toBe(true);
        const got = ks.search(room, g, 1e9);
        expect(got).toBeCloseTo(want, 9);
        expect(takenFits(ks, w, room)).toBe(true);
        expect(ks.takenProfit()).toBe(got);
        // From an arbitrary feasible start (a mask, trimmed until it fits): a warm start.
        let used = 0;
        for (let t = 0; t < p.length; t++) {
          ks.take[t] = startMask[t] && used + w[t]! <= room ? 1 : 0;
          if (ks.take[t]) used += w[t]!;
        }
        const start = ks.takenProfit();
        const got2 = ks.search(room, start, 1e9);
        expect(got2).toBeCloseTo(want, 9);
        expect(got2).toBeGreaterThanOrEqual(start);
        expect(takenFits(ks, w, room)).toBe(true);
        expect(ks.takenProfit()).toBe(got2);
      }),
      { numRuns: 400 },
    );
  });

  it('with the optimum as start returns it; a node budget leaves a feasible solution no worse than the start', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 13 }), fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 5 }), (raw, room, budget) => {
        const ks = new RatioKnapsack(16);
        const { p, w } = load(ks, raw);
        const want = bruteKnapsack(p, w, room);
        const opt = ks.search(room, ks.greedy(room), 1e9);
        const again = ks.search(room, opt, 1e9);
        expect(again).toBe(opt);
        expect(again).toBeCloseTo(want, 9);
        const g = ks.greedy(room);
        const cut = ks.search(room, g, budget);
        expect(cut).toBeGreaterThanOrEqual(g);
        expect(cut).toBeLessThanOrEqual(want + 1e-9);
        expect(takenFits(ks, w, room)).toBe(true);
        expect(ks.takenProfit()).toBe(cut);
      }),
      { numRuns: 300 },
    );
  });

  it('the Dantzig bound is at least the optimum, with and without an item left out', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 11 }), fc.integer({ min: 0, max: 150 }), fc.nat(), (raw, room, s) => {
        const ks = new RatioKnapsack(16);
        const { p, w } = load(ks, raw);
        expect(ks.dantzig(0, room)).toBeGreaterThanOrEqual(bruteKnapsack(p, w, room) - 1e-9);
        const skip = s % p.length;
        const without = bruteKnapsack(
          p.filter((_, t) => t !== skip),
          w.filter((_, t) => t !== skip),
          room,
        );
        expect(ks.dantzig(0, room, skip)).toBeGreaterThanOrEqual(without - 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('single-source relaxation with warm-started knapsacks', () => {
  it('a walk of multipliers gives the enumerated Lagrangian at every step (warm starts from the step before)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 5, max: 10 }), fc.double({ min: 1.1, max: 3, noNaN: true }), fc.nat(), fc.boolean(), (S, C, ratio, seed, lazy) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed);
        const v = multipliersNearCosts(pr, rng);
        const banned = randomBans(pr, rng, 0.1);
        const node = freeNode(pr, banned);
        const lr = new SingleSourceRelaxation(pr);
        for (let step = 0; step < 8; step++) {
          const L = lr.evaluate(v, node, lazy);
          expect(lr.approx).toBe(false);
          expect(L).toBeCloseTo(bruteLagrangian(pr, v, banned), 6);
          expectKnapsacksFit(lr, pr, banned);
          // Small moves (most optima stay) and the odd large one.
          const scale = step % 3 === 2 ? 60 : 4;
          for (let j = 0; j < C; j++) v[j] = v[j]! + rng.uniform(-scale, scale);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('at 12 x 40 along a walk of multipliers: the same L and rho as dynamic programming on every knapsack', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.3, max: 5, noNaN: true }), fc.nat(), (ratio, seed) => {
        const prep = prepareProblem(cornuejols(12, 40, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const S = pr.nSites;
        const C = pr.nClients;
        const rng = new Rng(seed);
        const v = multipliersNearCosts(pr, rng);
        const banned = randomBans(pr, rng, 0.1);
        const node = freeNode(pr, banned);
        const lr = new SingleSourceRelaxation(pr);
        const dp = new SingleSourceRelaxation(pr, 0);
        for (let step = 0; step < 10; step++) {
          const L = lr.evaluate(v, node);
          const want = dp.evaluate(v, node);
          expect(lr.approx).toBe(false);
          expect(dp.approx).toBe(false);
          expect(L).toBeCloseTo(want, 6);
          for (let i = 0; i < S; i++) expect(lr.rho[i]).toBeCloseTo(dp.rho[i]!, 6);
          expectKnapsacksFit(lr, pr, banned);
          const scale = step % 4 === 3 ? 50 : 3;
          for (let j = 0; j < C; j++) v[j] = v[j]! + rng.uniform(-scale, scale);
        }
      }),
      { numRuns: 25 },
    );
  });
});
