import { createPlacementModel, euclideanMatrix, type PlacementInput, type PlacementModel } from '@emplace/core';
import { kcenterRadius } from '@emplace/kcenter';
import fc from 'fast-check';

/** A small random Euclidean instance: clients, and sites that are the clients themselves or separate points. */
export interface SmallInstance {
  model: PlacementModel;
  k: number;
  colocated: boolean;
}

export const smallInstance = (opts: { colocated?: boolean; weighted?: boolean; maxSites?: number; maxClients?: number } = {}): fc.Arbitrary<SmallInstance> =>
  fc
    .record({
      nC: fc.integer({ min: 1, max: opts.maxClients ?? 9 }),
      nS: fc.integer({ min: 2, max: opts.maxSites ?? 7 }),
      coloc: opts.colocated === undefined ? fc.boolean() : fc.constant(opts.colocated),
      pts: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 40, maxLength: 40 }),
      w: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 20, maxLength: 20 }),
      k: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ nC, nS, coloc, pts, w, k }) => {
      const clientPts = Float64Array.from(pts.slice(0, 2 * nC));
      const nSites = coloc ? nC : nS;
      const sitePts = coloc ? clientPts : Float64Array.from(pts.slice(20, 20 + 2 * nS));
      const input: PlacementInput = { sites: nSites, clients: nC, cost: euclideanMatrix(sitePts, clientPts, 2) };
      if (opts.weighted) input.weight = w.slice(0, nC);
      return { model: createPlacementModel(input), k: Math.min(k, nSites), colocated: coloc };
    });

/** All k-subsets of the openable sites that contain every mustOpen site. */
export function* subsets(model: PlacementModel, k: number): Generator<number[]> {
  const must: number[] = [];
  const free: number[] = [];
  for (let s = 0; s < model.nSites; s++) {
    if (model.mustOpen[s]) must.push(s);
    else if (!model.forbidden[s]) free.push(s);
  }
  const want = Math.min(k - must.length, free.length);
  const pick: number[] = [];
  function* rec(from: number): Generator<number[]> {
    if (pick.length === want) {
      yield [...must, ...pick];
      return;
    }
    for (let t = from; t < free.length; t++) {
      pick.push(free[t]!);
      yield* rec(t + 1);
      pick.pop();
    }
  }
  yield* rec(0);
}

/** Optimal radius by enumeration (Infinity when nothing is feasible). */
export function bruteForce(model: PlacementModel, k: number, options: { outliers?: number; capacitated?: boolean } = {}): number {
  let best = Infinity;
  for (const open of subsets(model, k)) best = Math.min(best, kcenterRadius(model, open, options).radius);
  return best;
}

/** Recomputes the radius from the returned assignment: max over served clients of weight x cost. */
export function radiusFromAssignment(model: PlacementModel, assignment: Int32Array): number {
  let r = 0;
  for (let j = 0; j < model.nClients; j++) {
    const s = assignment[j]!;
    if (s < 0) continue;
    r = Math.max(r, model.weight[j]! * model.cost[s * model.nClients + j]!);
  }
  return r;
}
