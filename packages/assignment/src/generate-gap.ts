import { createPlacementModel, ModelError, Rng, type PlacementModel } from '@emplace/core';

/**
 * Random GAP instances of the Chu & Beasley (1997) types, min-cost, integer data:
 *  A: r_ij in U[5,25], c_ij in U[10,50], b_i = 9(n/m) + 0.4 max_i sum_{j: best agent of j is i} r_ij
 *  B: as A with 70 % of A's capacity
 *  C: r_ij in U[5,25], c_ij in U[10,50], b_i = 0.8 sum_j r_ij / m
 *  D: r_ij in U[1,100], c_ij = 111 - r_ij + e, e in U[-10,10], b_i = 0.8 sum_j r_ij / m
 *     (cost inversely correlated with size: the hard type)
 *  E: r_ij = 1 - 10 ln(U(0,1]), c_ij = 1000 / r_ij - 10 U[0,1], b_i = 0.8 sum_j r_ij / m
 * The same seed gives the same instance.
 */
export type ChuBeasleyType = 'A' | 'B' | 'C' | 'D' | 'E';

export function generateGap(type: ChuBeasleyType, m: number, n: number, seed = 1): PlacementModel {
  if (!['A', 'B', 'C', 'D', 'E'].includes(type)) throw new ModelError('type', `must be one of A, B, C, D, E, got ${String(type)}`);
  const rng = new Rng(seed);
  const cost = new Float64Array(m * n);
  const r = new Float64Array(m * n);
  const unif = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      if (type === 'D') {
        r[k] = unif(1, 100);
        cost[k] = 111 - r[k]! + unif(-10, 10);
      } else if (type === 'E') {
        r[k] = Math.max(1, Math.floor(1 - 10 * Math.log(1 - rng.next())));
        cost[k] = Math.max(1, Math.floor(1000 / r[k]! - 10 * rng.next()));
      } else {
        r[k] = unif(5, 25);
        cost[k] = unif(10, 50);
      }
    }
  }
  const capacity = new Float64Array(m);
  if (type === 'A' || type === 'B') {
    const byBest = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      let a = 0;
      for (let i = 1; i < m; i++) if (cost[i * n + j]! < cost[a * n + j]!) a = i;
      byBest[a]! += r[a * n + j]!;
    }
    let mx = 0;
    for (let i = 0; i < m; i++) mx = Math.max(mx, byBest[i]!);
    const b = 9 * (n / m) + 0.4 * mx;
    capacity.fill(Math.floor(type === 'B' ? 0.7 * b : b));
  } else {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += r[i * n + j]!;
      capacity[i] = Math.floor((0.8 * s) / m);
    }
  }
  return createPlacementModel({ sites: m, clients: n, cost, siteDemand: r, capacity });
}
