import { createPlacementModel, euclideanMatrix, type PlacementModel, type Result } from '@emplace/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { solved } from './helpers.js';

/**
 * Coverage models against brute force on small random instances. Every check recomputes
 * coverage from the model's cost with its own loops (not the package's evaluator).
 */
export interface Case {
  model: PlacementModel;
  radius: number;
  k: number;
}

export const caseArb = (opts: { square?: boolean; capacities?: boolean } = {}): fc.Arbitrary<Case> =>
  fc
    .record({
      nC: fc.integer({ min: 1, max: opts.capacities ? 6 : 9 }),
      nS: fc.integer({ min: 2, max: opts.capacities ? 5 : 7 }),
      pts: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 40, maxLength: 40 }),
      demand: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 10, maxLength: 10 }),
      cap: fc.array(fc.integer({ min: 2, max: 12 }), { minLength: 8, maxLength: 8 }),
      must: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      forbidden: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      rIdx: fc.nat(),
      k: fc.integer({ min: 2, max: 4 }),
    })
    .map(({ nC, nS, pts, demand, cap, must, forbidden, rIdx, k }) => {
      const nClients = opts.square ? nS : nC;
      const clientPts = pts.slice(0, 2 * nClients);
      const sitePts = opts.square ? clientPts : pts.slice(20, 20 + 2 * nS);
      const cost = euclideanMatrix(Float64Array.from(sitePts), Float64Array.from(clientPts), 2);
      // Radius = one of the distances, so that ties at the radius are exercised.
      const radius = cost[rIdx % cost.length]!;
      // About one site in six pre-opened and one in six forbidden (never both).
      const sites = Array.from({ length: nS }, (_, s) => {
        const m = must[s]! && s % 3 === 0;
        const f = !m && forbidden[s]! && s % 3 === 1;
        return { id: `s${s}`, mustOpen: m, forbidden: f, ...(opts.capacities ? { capacity: cap[s]! } : {}) };
      });
      const clients = Array.from({ length: nClients }, (_, j) => ({ id: opts.square ? `s${j}` : `c${j}`, demand: demand[j]! }));
      return { model: createPlacementModel({ sites, clients, cost }), radius, k: Math.min(k, nS) };
    });

export const coversPair = (m: PlacementModel, s: number, j: number, r: number): boolean => m.forbidden[s] !== 1 && m.cost[s * m.nClients + j]! <= r;

export function* allSubsets(m: PlacementModel): Generator<number[]> {
  for (let mask = 0; mask < 1 << m.nSites; mask++) {
    const set: number[] = [];
    let ok = true;
    for (let s = 0; s < m.nSites; s++) {
      const inSet = (mask >> s) & 1;
      if (inSet && m.forbidden[s]) ok = false;
      if (!inSet && m.mustOpen[s]) ok = false;
      if (inSet) set.push(s);
    }
    if (ok) yield set;
  }
}

/** Demand covered by a set (each client counted once). */
export function coveredDemand(m: PlacementModel, set: readonly number[], r: number): number {
  let v = 0;
  for (let j = 0; j < m.nClients; j++) if (set.some((s) => coversPair(m, s, j, r))) v += m.demand[j]!;
  return v;
}

export function coversAll(m: PlacementModel, set: readonly number[], r: number): boolean {
  for (let j = 0; j < m.nClients; j++) if (!set.some((s) => coversPair(m, s, j, r))) return false;
  return true;
}

/** Single-source capacity feasibility by enumeration of assignments. */
export function assignable(m: PlacementModel, set: readonly number[], r: number): boolean {
  const left = set.map((s) => m.capacity[s]!);
  const rec = (j: number): boolean => {
    if (j === m.nClients) return true;
    for (let a = 0; a < set.length; a++) {
      if (!coversPair(m, set[a]!, j, r) || left[a]! < m.demand[j]!) continue;
      left[a]! -= m.demand[j]!;
      if (rec(j + 1)) return true;
      left[a]! += m.demand[j]!;
    }
    return false;
  };
  return rec(0);
}

/** Both answers have a solution, the exact one proven at `opt`; both keep every pre-opened site. Returns their open sets. */
export function exactAndGreedy<S extends { open: Int32Array }>(model: PlacementModel, ex: Result<S>, gr: Result<S>, opt: number) {
  const e = solved(ex);
  const g = solved(gr);
  expect(e.status).toBe('optimal');
  expect(e.objective).toBeCloseTo(opt, 9);
  const pairs = [e, g].map((r) => ({ r, open: Array.from(r.solution.open) }));
  for (const { open } of pairs) for (let s = 0; s < model.nSites; s++) if (model.mustOpen[s]) expect(open).toContain(s);
  return { e, g, pairs };
}
