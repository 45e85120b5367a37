import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { regretAssign } from '../src/sscfl-assign.js';
import { SingleSourcePairExchange } from '../src/sscfl-pair-exchange.js';
import { cornuejols } from './sscfl-instances.js';

/** The cheapest split of the clients of sites a and b between them within capacities, by enumeration. */
function bruteForcePair(c: Float64Array, d: Float64Array, cap: Float64Array, C: number, a: number, b: number, clients: number[]): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << clients.length; mask++) {
    let la = 0;
    let lb = 0;
    let cost = 0;
    clients.forEach((j, t) => {
      if (mask & (1 << t)) {
        la += d[j]!;
        cost += c[a * C + j]!;
      } else {
        lb += d[j]!;
        cost += c[b * C + j]!;
      }
    });
    if (la <= cap[a]! && lb <= cap[b]! && cost < best) best = cost;
  }
  return best;
}

describe('single-source pair exchange (exact split of two sites\' clients)', () => {
  it('leaves every pair of open sites at its brute-force optimal split, feasible, never worse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 14 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (S, C, ratio, seed) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const start = regretAssign(pr, new Uint8Array(S).fill(1));
        if (!start) return;
        const open = new Uint8Array(S).fill(1);
        const assign = Int32Array.from(start.solution.assign);
        const room = Float64Array.from(pr.cap);
        for (let j = 0; j < C; j++) room[assign[j]!]! -= pr.d[j]!;
        const before = assign.reduce((s, i, j) => s + pr.c[i * C + j]!, 0);
        const px = new SingleSourcePairExchange(pr);
        expect(px.applicable).toBe(true);
        const saved = runSteps(px.improve(open, assign, room, () => false, 50));
        const after = assign.reduce((s, i, j) => s + pr.c[i * C + j]!, 0);
        expect(after).toBeCloseTo(before - saved, 6);
        for (let i = 0; i < S; i++) {
          let load = 0;
          for (let j = 0; j < C; j++) if (assign[j] === i) load += pr.d[j]!;
          expect(load).toBeLessThanOrEqual(pr.cap[i]! + 1e-9);
          expect(room[i]!).toBeCloseTo(pr.cap[i]! - load, 6);
        }
        // Every pair (S <= 5 keeps every site a partner of every other) is split optimally.
        for (let a = 0; a < S; a++) {
          for (let b = a + 1; b < S; b++) {
            const clients: number[] = [];
            let cur = 0;
            for (let j = 0; j < C; j++) {
              if (assign[j] === a || assign[j] === b) {
                clients.push(j);
                cur += pr.c[assign[j]! * C + j]!;
              }
            }
            expect(cur).toBeLessThanOrEqual(bruteForcePair(pr.c, pr.d, pr.cap, C, a, b, clients) + 1e-9);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('is not applicable with fractional demands', () => {
    const model = cornuejols(3, 5, 3, 1);
    const prep = prepareProblem({ ...model, demand: model.demand.map((x, j) => (j === 0 ? x + 0.5 : x)) } as typeof model, 'sscfl');
    if (prep.kind !== 'ok') return;
    expect(new SingleSourcePairExchange(prep.problem).applicable).toBe(false);
  });
});
