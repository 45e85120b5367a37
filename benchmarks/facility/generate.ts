import { Rng, createPlacementModel, type PlacementModel } from '@emplace/core';

/**
 * Instances of the OR-Library capa/capb/capc kind (100 warehouses x 1000 customers),
 * GENERATED here with a fixed seed because the original files are not in shared/:
 * warehouses and customers at random points of a 100 x 100 square, integer demands in
 * [1, 800] (total about 400 000), opening costs in [50 000, 150 000], and the cost of a
 * customer's whole demand = demand x Euclidean distance / 10. Capacities follow the
 * published settings of each set (equal for every warehouse). They are structurally
 * similar, not the same instances, so no published optimum applies: the table reports
 * the proven gap to our own bound.
 */
export const CAP_SETTINGS: Readonly<Record<'capa' | 'capb' | 'capc', readonly number[]>> = {
  capa: [8000, 10000, 12000, 14000],
  capb: [5000, 6000, 7000, 8000],
  capc: [5000, 5750, 6500, 7250],
};

export function generateCapLike(set: 'capa' | 'capb' | 'capc', capacity: number, nSites = 100, nClients = 1000): PlacementModel {
  const seed = { capa: 101, capb: 202, capc: 303 }[set];
  const rng = new Rng(seed);
  const sx = Float64Array.from({ length: nSites }, () => rng.uniform(0, 100));
  const sy = Float64Array.from({ length: nSites }, () => rng.uniform(0, 100));
  const cx = Float64Array.from({ length: nClients }, () => rng.uniform(0, 100));
  const cy = Float64Array.from({ length: nClients }, () => rng.uniform(0, 100));
  const demand = Float64Array.from({ length: nClients }, () => 1 + rng.int(800));
  const openingCost = Float64Array.from({ length: nSites }, () => Math.round(rng.uniform(50_000, 150_000)));
  const cost = new Float64Array(nSites * nClients);
  for (let i = 0; i < nSites; i++) {
    for (let j = 0; j < nClients; j++) {
      const dist = Math.hypot(sx[i]! - cx[j]!, sy[i]! - cy[j]!);
      cost[i * nClients + j] = Math.round((demand[j]! * dist) / 10);
    }
  }
  return createPlacementModel({
    sites: nSites,
    clients: nClients,
    cost,
    demand,
    openingCost,
    capacity: new Float64Array(nSites).fill(capacity),
  });
}

/**
 * A p-median instance in the OR-Library pmed text format, GENERATED like Beasley's
 * (a random connected graph: a random spanning tree plus random extra edges, integer
 * edge costs in [1, 100]); `readOrlibPmed` turns it into shortest-path distances. Used
 * for the larger sizes of pmed26..pmed40 (600-900 nodes) that are not in shared/.
 */
export function generatePmedText(n: number, edges: number, p: number, seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [`${n} ${edges} ${p}`];
  const perm = rng.permutation(n);
  for (let k = 1; k < n; k++) lines.push(`${perm[k]! + 1} ${perm[rng.int(k)]! + 1} ${1 + rng.int(100)}`);
  for (let e = n - 1; e < edges; e++) {
    const a = rng.int(n);
    let b = rng.int(n);
    if (b === a) b = (a + 1) % n;
    lines.push(`${a + 1} ${b + 1} ${1 + rng.int(100)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A capacitated instance of the Cornuejols-Sridharan-Thizy (1991) kind, GENERATED with a
 * seed: sites and clients uniform in the unit square, demands in [5, 35], raw capacities in
 * [10, 160] rescaled so that total capacity = `ratio` x total demand, opening costs
 * U[0, 90] + U[100, 110] x sqrt(capacity), and the cost of a client's whole demand =
 * 10 x demand x Euclidean distance (rounded to integers, so single-source objectives are
 * integral). The single-source benchmark draws its held-out-like instances from here.
 */
export function generateCornuejols(nSites: number, nClients: number, ratio: number, seed: number): PlacementModel {
  const rng = new Rng(seed);
  const sx = Float64Array.from({ length: nSites }, () => rng.uniform(0, 1));
  const sy = Float64Array.from({ length: nSites }, () => rng.uniform(0, 1));
  const cx = Float64Array.from({ length: nClients }, () => rng.uniform(0, 1));
  const cy = Float64Array.from({ length: nClients }, () => rng.uniform(0, 1));
  const demand = Float64Array.from({ length: nClients }, () => 5 + rng.int(31));
  const raw = Float64Array.from({ length: nSites }, () => rng.uniform(10, 160));
  let totalDemand = 0;
  for (const d of demand) totalDemand += d;
  let totalRaw = 0;
  for (const s of raw) totalRaw += s;
  const capacity = raw.map((s) => Math.round((s * ratio * totalDemand) / totalRaw));
  const openingCost = Float64Array.from({ length: nSites }, (_, i) => Math.round(rng.uniform(0, 90) + rng.uniform(100, 110) * Math.sqrt(capacity[i]!)));
  const cost = new Float64Array(nSites * nClients);
  for (let i = 0; i < nSites; i++) {
    for (let j = 0; j < nClients; j++) cost[i * nClients + j] = Math.round(10 * demand[j]! * Math.hypot(sx[i]! - cx[j]!, sy[i]! - cy[j]!));
  }
  return createPlacementModel({ sites: nSites, clients: nClients, cost, demand, openingCost, capacity });
}
