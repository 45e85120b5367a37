import { createPlacementModel, euclideanMatrix, hasSolution, shortestPathClosure, type PlacementInput, type PlacementModel, type Result } from '@emplace/core';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** The result, narrowed to one with a solution (else the test fails with its status). */
export function solved<S>(r: Result<S>): Extract<Result<S>, { status: 'optimal' | 'feasible' }> {
  if (!hasSolution(r)) throw new Error(`no solution: ${r.status} ${JSON.stringify(r.certificate ?? r.warnings)}`);
  return r;
}

/** OR-Library pmed1 in the shared instances (tests that need it use it.skipIf when it is absent). */
export const PMED1 = resolve(process.env.EMPLACE_INSTANCES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/instances'), 'pmed/pmed1.txt');

/** A minimal OR-Library pmed reader for the tests, independent of @emplace/io (the last duplicate edge wins, then shortest paths). */
export function pmedModel(text: string): PlacementModel {
  const t = text.trim().split(/\s+/).map(Number);
  const n = t[0]!;
  const d = new Float64Array(n * n).fill(Infinity);
  for (let e = 0; e < t[1]!; e++) {
    const i = t[3 + 3 * e]! - 1;
    const j = t[4 + 3 * e]! - 1;
    d[i * n + j] = d[j * n + i] = t[5 + 3 * e]!;
  }
  return createPlacementModel({ sites: n, clients: n, cost: shortestPathClosure(d, n) });
}
