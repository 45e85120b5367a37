import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { solveUfl } from '@emplace/facility';
import { bruteUncapacitated } from './helpers.js';
import { jmsGreedy, jmsGreedySteps } from '../src/greedy.js';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';

describe('JMS greedy', () => {
  it('greedy (JMS) stays within 1.61 of the optimum on metric instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 7, maxLength: 7 }),
        async (nS, nC, pts, f) => {
          // Sites and clients are points; costs are Euclidean distances (a metric).
          const cost: number[] = [];
          for (let i = 0; i < nS; i++) for (let j = 0; j < nC; j++) cost.push(Math.hypot(pts[i]![0] - pts[8 + (j % 8)]![0], pts[i]![1] - pts[8 + (j % 8)]![1]));
          const m = createPlacementModel({ sites: f.slice(0, nS).map((x) => ({ openingCost: x })), clients: nC, cost });
          const opt = bruteUncapacitated(m);
          const r = await solveUfl(m, { method: 'greedy' });
          expect(hasSolution(r)).toBe(true);
          expect(r.objective!).toBeLessThanOrEqual(1.61 * opt + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/**
 * The greedy before connectRest read by rows (issue 13), kept as the oracle: after a stop it
 * connects the rest client by client, each to its cheapest open site (lowest index among
 * equals), opening the cheapest c + f site when none is open.
 */
function referenceJms(pr: FacilityProblem, shouldStop: () => boolean): Uint8Array {
  const { nSites: S, nClients: C, c, f } = pr;
  const open = new Uint8Array(S);
  const fEff = Float64Array.from(f);
  for (let i = 0; i < S; i++) if (pr.mustOpen[i]) (open[i] = 1), (fEff[i] = 0);
  const order = new Int32Array(S * C);
  const connected = new Uint8Array(C);
  const cur = new Float64Array(C).fill(Infinity);
  let left = C;
  const connectRest = (): Uint8Array => {
    for (let j = 0; j < C; j++) {
      if (connected[j]) continue;
      let b = -1;
      for (let i = 0; i < S; i++) if (open[i] && c[i * C + j]! < Infinity && (b < 0 || c[i * C + j]! < c[b * C + j]!)) b = i;
      if (b < 0) {
        for (let i = 0; i < S; i++) if (!pr.forbidden[i] && c[i * C + j]! < Infinity && (b < 0 || c[i * C + j]! + f[i]! < c[b * C + j]! + f[b]!)) b = i;
        open[b] = 1;
      }
      connected[j] = 1;
    }
    return open;
  };
  if (C === 0) return open;
  for (let i = 0; i < S; i++) {
    if (shouldStop()) return connectRest();
    const idx = Array.from({ length: C }, (_, j) => j).sort((a, b) => c[i * C + a]! - c[i * C + b]! || a - b);
    order.set(idx, i * C);
  }
  while (left > 0) {
    let bestI = -1;
    let bestK = 0;
    let bestRatio = Infinity;
    for (let i = 0; i < S; i++) {
      if (pr.forbidden[i]) continue;
      let numer = fEff[i]!;
      for (let j = 0; j < C; j++) if (connected[j] && cur[j]! - c[i * C + j]! > 0) numer -= cur[j]! - c[i * C + j]!;
      let k = 0;
      for (let t = 0; t < C; t++) {
        const j = order[i * C + t]!;
        if (connected[j]) continue;
        const cij = c[i * C + j]!;
        if (cij === Infinity || (k > 0 && cij * k >= numer)) break;
        numer += cij;
        k++;
        if (numer / k < bestRatio) (bestRatio = numer / k), (bestI = i), (bestK = k);
      }
    }
    if (bestI < 0) break;
    open[bestI] = 1;
    fEff[bestI] = 0;
    for (let j = 0; j < C; j++) if (connected[j] && c[bestI * C + j]! < cur[j]!) cur[j] = c[bestI * C + j]!;
    for (let t = 0, k = 0; t < C && k < bestK; t++) {
      const j = order[bestI * C + t]!;
      if (connected[j]) continue;
      connected[j] = 1;
      cur[j] = c[bestI * C + j]!;
      k++;
      left--;
    }
    if (shouldStop() && left > 0) return connectRest();
  }
  return open;
}

describe('JMS greedy stopped', () => {
  it('connects the rest as the client-by-client reference does, whenever the stop comes (ties, disallowed pairs, fixed sites)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.constantFrom(0, 1, 1, 2, 3, 6, 6, 6), { minLength: 72, maxLength: 72 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom(0, 0, 0, 1, 2), { minLength: 6, maxLength: 6 }),
        // A stop at the first check (before any star: only fixed sites open) or later.
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
        (S, C, costs, f, fixed, stopAt) => {
          // Few distinct costs (ties everywhere); 6 is a disallowed pair (frequent: clients left with no open site).
          const cost = Array.from({ length: S * C }, (_, k) => costs[k]!);
          const sites = Array.from({ length: S }, (_, i) => ({ openingCost: f[i]!, mustOpen: fixed[i] === 1, forbidden: fixed[i] === 2 }));
          const model = createPlacementModel({ sites, clients: C, cost: cost.map((v) => Math.min(v, 3)), allowed: (i, j) => cost[i * C + j]! < 6 });
          const prep = prepareProblem(model, 'ufl');
          if (prep.kind !== 'ok') return;
          const stopper = () => {
            let calls = 0;
            return () => calls++ >= stopAt;
          };
          expect(Array.from(jmsGreedy(prep.problem, stopper()))).toEqual(Array.from(referenceJms(prep.problem, stopper())));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('JMS greedy stopped during a radix client sort (issue 13)', () => {
  it('abandons the sort at its checkpoint and connects the rest: the plan of a stop before the sorts', () => {
    const S = 3;
    const C = 20_000;
    const cost = Array.from({ length: S * C }, (_, k) => ((k * 7919) % 997) + (k % C === 5 && k < C ? 1e6 : 0));
    const model = createPlacementModel({ sites: [{ openingCost: 50 }, { openingCost: 40, mustOpen: true }, { openingCost: 30 }], clients: C, cost, allowed: (i, j) => !(i === 1 && j % 3 === 0) });
    const prep = prepareProblem(model, 'ufl');
    if (prep.kind !== 'ok') throw new Error('prepares');
    const atFirstCheck = Array.from(referenceJms(prep.problem, () => true));
    for (const k of [1, 2]) {
      // Stopped after k checkpoints, all inside site 0's sort: no checkpoint after the stop
      // (the sort of 20,000 keys has 3: it used to run to its end first).
      let stopped = false;
      const steps = jmsGreedySteps(prep.problem, () => stopped);
      for (let t = 0; t < k; t++) expect(steps.next().done).toBe(false);
      stopped = true;
      const r = steps.next();
      expect(r.done, `stop after checkpoint ${k}`).toBe(true);
      expect(Array.from(r.value!), `stop after checkpoint ${k}`).toEqual(atFirstCheck);
    }
  });
});
