import { createPlacementModel, haversineKm, latencyFromKm, symmetrize, type PlacementModel } from '@emplace/core';
import type { Goals } from './goals.js';
import { readSquare, type World } from './world.js';

/**
 * The solver view of a world and its goals: two placement models over the same
 * regions (sites) and populations (clients), and the latency matrices they come from.
 */
export interface PlanInstance {
  readonly world: World;
  readonly goals: Goals;
  readonly nRegions: number;
  readonly nPopulations: number;
  /** Symmetric region-to-region round-trip latency in ms, `nRegions x nRegions`. */
  readonly regionLatency: Float64Array;
  /** True when `regionLatency` is measured (world.network.latencyMs), false for the great-circle model. */
  readonly measured: boolean;
  /** Round-trip latency of population j to region i, `userLatency[i * nPopulations + j]` (ms). */
  readonly userLatency: Float64Array;
  /** Cost model: opening cost = region cost, serving cost = latencyPrice x users x latency. */
  readonly costModel: PlacementModel;
  /** Latency model: serving cost = latency in ms, weight 1 (k-center, Pareto latency). */
  readonly latencyModel: PlacementModel;
  /** Regions and populations each tenant owns (population indices), in world.tenants order. */
  readonly tenantPopulations: readonly (readonly number[])[];
}

/**
 * Builds the instance. User latency is a stated model, not a measurement: users reach
 * the provider's network at some region r over the great-circle model (`latencyFromKm`,
 * route factor 1.5, 2 ms overhead) and ride the region network from r to the serving
 * region (measured latency when given, with 0 inside one region), taking the best r:
 * `L(j, i) = min_r access(j, r) + R(r, i)`. Without measurements this is the direct
 * great-circle latency.
 */
export function buildInstance(world: World, goals: Goals): PlanInstance {
  const regions = world.regions;
  const pops = world.populations;
  const n = regions.length;
  const m = pops.length;
  const net = world.network ?? {};
  const routeFactor = net.routeFactor ?? 1.5;
  const overheadMs = net.overheadMs ?? 2;
  let regionLatency: Float64Array;
  const measured = net.latencyMs !== undefined;
  if (measured) {
    regionLatency = symmetrize(readSquare('world.network.latencyMs', net.latencyMs!, n), n);
  } else {
    regionLatency = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) regionLatency[a * n + b] = a === b ? 0 : latencyFromKm(haversineKm(regions[a]!, regions[b]!), routeFactor, overheadMs);
    }
  }
  // access[j * n + r]: great-circle latency of population j to region r.
  const access = new Float64Array(m * n);
  for (let j = 0; j < m; j++) {
    for (let r = 0; r < n; r++) access[j * n + r] = latencyFromKm(haversineKm(pops[j]!, regions[r]!), routeFactor, overheadMs);
  }
  const userLatency = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let best = access[j * n + i]!;
      if (measured) {
        for (let r = 0; r < n; r++) {
          if (r === i) continue;
          const via = access[j * n + r]! + regionLatency[r * n + i]!;
          if (via < best) best = via;
        }
      }
      userLatency[i * m + j] = best;
    }
  }
  const price = goals.latencyPrice ?? 1;
  const allowed = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let ok = true;
      const rule = pops[j]!.jurisdiction !== undefined ? goals.residency?.[pops[j]!.jurisdiction!] : undefined;
      if (rule && !rule.includes(regions[i]!.jurisdiction ?? '')) ok = false;
      if (goals.maxLatencyMs !== undefined && userLatency[i * m + j]! > goals.maxLatencyMs) ok = false;
      allowed[i * m + j] = ok ? 1 : 0;
    }
  }
  const sites = regions.map((r) => ({
    id: r.id,
    openingCost: r.cost,
    ...(r.capacity !== undefined ? { capacity: r.capacity } : {}),
    labels: {
      name: r.name ?? r.id,
      ...(r.jurisdiction !== undefined ? { jurisdiction: r.jurisdiction } : {}),
      domain: r.domain ?? r.id,
    },
    ...(r.mustOpen ? { mustOpen: true } : {}),
    ...(r.forbidden ? { forbidden: true } : {}),
  }));
  const clients = pops.map((p) => ({ id: p.id, demand: p.users, weight: p.users }));
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) cost[i * m + j] = price * pops[j]!.users * userLatency[i * m + j]!;
  const costModel = createPlacementModel({ sites, clients, cost, allowed });
  const latencyModel = createPlacementModel({
    sites,
    clients: pops.map((p) => ({ id: p.id, demand: p.users, weight: 1 })),
    cost: userLatency,
    allowed,
  });
  const popIndex = new Map(pops.map((p, j) => [p.id, j]));
  const tenantPopulations = (world.tenants ?? []).map((t) => t.populations.map((id) => popIndex.get(id)!).sort((a, b) => a - b));
  return { world, goals, nRegions: n, nPopulations: m, regionLatency, measured, userLatency, costModel, latencyModel, tenantPopulations };
}
