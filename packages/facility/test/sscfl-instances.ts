import { createPlacementModel, Rng, type PlacementModel } from '@emplace/core';

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
