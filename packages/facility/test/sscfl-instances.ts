import { createPlacementModel, Rng, type PlacementModel } from '@emplace/core';
import { expect } from 'vitest';
import type { FacilityProblem } from '../src/problem.js';
import type { SingleSourceFixing, SingleSourceRelaxation } from '../src/single-source-relaxation.js';

/** A Cornuejols-style single-source instance (unit square, demands 5-35, capacity `ratio` x demand in total). */
export function cornuejols(S: number, C: number, ratio: number, seed: number): PlacementModel {
  const rng = new Rng(seed);
  const p = (n: number) => Array.from({ length: n }, () => [rng.uniform(0, 1), rng.uniform(0, 1)] as const);
  const sites = p(S);
  const clients = p(C);
  const demand = clients.map(() => 5 + rng.int(31));
  const raw = sites.map(() => rng.uniform(10, 160));
  const total = demand.reduce((a, b) => a + b, 0);
  const rawTotal = raw.reduce((a, b) => a + b, 0);
  const capacity = raw.map((s) => Math.max(35, Math.round((s * ratio * total) / rawTotal)));
  const openingCost = capacity.map((cap) => Math.round(rng.uniform(0, 90) + rng.uniform(100, 110) * Math.sqrt(cap)));
  const cost = new Array<number>(S * C).fill(0);
  sites.forEach(([sx, sy], i) => clients.forEach(([cx, cy], j) => (cost[i * C + j] = Math.round(10 * demand[j]! * Math.hypot(sx - cx, sy - cy)))));
  return createPlacementModel({ sites: S, clients: C, cost, demand, capacity, openingCost });
}

/** Multipliers around each client's cheapest cost (-20 .. +200): many knapsacks tight, some items unprofitable. */
export function multipliersNearCosts(pr: FacilityProblem, rng: Rng): Float64Array {
  const { nSites: S, nClients: C } = pr;
  const v = new Float64Array(C);
  for (let j = 0; j < C; j++) {
    let lo = Infinity;
    for (let i = 0; i < S; i++) lo = Math.min(lo, pr.c[i * C + j]!);
    v[j] = lo + rng.uniform(-20, 200);
  }
  return v;
}

/**
 * The Lagrangian of the single-source relaxation at multipliers v, by enumeration: every
 * subset of each site's allowed clients for its knapsack, every site selection whose sites
 * can serve the total demand. Independent of the relaxation's search, dynamic programming and cover search.
 */
export function bruteLagrangian(pr: FacilityProblem, v: Float64Array, banned: Uint8Array): number {
  const { nSites: S, nClients: C, c, d, f, cap } = pr;
  const rho = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    let best = 0;
    for (let mask = 0; mask < 1 << C; mask++) {
      let w = 0;
      let p = 0;
      for (let j = 0; j < C; j++) {
        if (!(mask & (1 << j))) continue;
        if (banned[i * C + j]) {
          p = -Infinity;
          break;
        }
        w += d[j]!;
        p += v[j]! - c[i * C + j]!;
      }
      if (w <= cap[i]! + 1e-9 && p > best) best = p;
    }
    rho[i] = f[i]! - best;
  }
  // The cover counts what a site can serve: its capacity, or the demand of its allowed clients that fit when less.
  const usable = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < C; j++) if (!banned[i * C + j] && c[i * C + j] !== Infinity && d[j]! <= cap[i]!) usable[i]! += d[j]!;
    usable[i] = Math.min(usable[i]!, cap[i]!);
  }
  let min = Infinity;
  for (let mask = 0; mask < 1 << S; mask++) {
    let capSum = 0;
    let sum = 0;
    for (let i = 0; i < S; i++) {
      if (!(mask & (1 << i))) continue;
      capSum += usable[i]!;
      sum += rho[i]!;
    }
    if (capSum >= pr.totalDemand - 1e-9 && sum < min) min = sum;
  }
  let vSum = 0;
  for (let j = 0; j < C; j++) vSum += v[j]!;
  return vSum + min;
}

/** Every site's knapsack solution of the relaxation's last evaluation fits the site's capacity and uses allowed (not banned) pairs only. */
export function expectKnapsacksFit(lr: SingleSourceRelaxation, pr: FacilityProblem, banned: Uint8Array): void {
  const { nSites: S, nClients: C } = pr;
  for (let i = 0; i < S; i++) {
    let load = 0;
    for (let k = 0; k < lr.nChosen[i]!; k++) {
      const j = lr.chosen[i * C + k]!;
      expect(banned[i * C + j]).toBe(0);
      load += pr.d[j]!;
    }
    expect(load).toBeLessThanOrEqual(pr.cap[i]! + 1e-9);
  }
}

/** Each site-client pair banned with probability `share` (by site: banned[i * C + j]). */
export function randomBans(pr: FacilityProblem, rng: Rng, share: number): Uint8Array {
  const banned = new Uint8Array(pr.nSites * pr.nClients);
  for (let k = 0; k < banned.length; k++) banned[k] = rng.uniform(0, 1) < share ? 1 : 0;
  return banned;
}

/** A node with no site or client fixed and the given bans. */
export function freeNode(pr: FacilityProblem, banned: Uint8Array): SingleSourceFixing {
  return { siteFix: new Int8Array(pr.nSites).fill(-1), assign: new Int32Array(pr.nClients).fill(-1), banned };
}

/** Multipliers near the dual optimum (Polyak steps toward a target above the optimum), where the fixing tests bite. */
export function nearDualOptimum(lr: SingleSourceRelaxation, v: Float64Array, target: number, lazy: boolean): Float64Array {
  const best = v.slice();
  let bestL = -Infinity;
  const node = freeNode(lr.pr, new Uint8Array(lr.S * lr.C));
  for (let it = 0; it < 60; it++) {
    const L = lr.evaluate(v, node, lazy);
    if (L === Infinity) break;
    if (L > bestL) {
      bestL = L;
      best.set(v);
    }
    let norm = 0;
    for (let j = 0; j < lr.C; j++) norm += lr.g[j]! ** 2;
    if (norm === 0) break;
    const step = (1.05 * target - L) / norm;
    for (let j = 0; j < lr.C; j++) v[j] = v[j]! + step * lr.g[j]!;
  }
  return best;
}

/** Every capacity-feasible single-source assignment and its cost (the sites it uses open). */
export function forEachPlan(pr: FacilityProblem, visit: (assign: Int32Array, cost: number) => void): void {
  const { nSites: S, nClients: C, c, d, f, cap } = pr;
  const assign = new Int32Array(C);
  const load = new Float64Array(S);
  const step = (j: number): void => {
    if (j === C) {
      let cost = 0;
      for (let i = 0; i < S; i++) if (load[i]! > 0) cost += f[i]!;
      for (let k = 0; k < C; k++) cost += c[assign[k]! * C + k]!;
      visit(assign, cost);
      return;
    }
    for (let i = 0; i < S; i++) {
      if (load[i]! + d[j]! > cap[i]! + 1e-9 || c[i * C + j] === Infinity) continue;
      assign[j] = i;
      load[i]! += d[j]!;
      step(j + 1);
      load[i]! -= d[j]!;
    }
  };
  step(0);
}
