import type { PlanInstance } from './instance.js';
import type { PlacementObjectives, ServedPopulation } from './result.js';

/**
 * Recomputes every objective of a placement from the world: `open` region indices and,
 * optionally, the region serving each population (a capacitated solver's assignment);
 * without one, each population goes to its cheapest allowed open region. A population
 * with no allowed open region gets region -1 and makes the costs Infinity.
 */
export function evaluatePlacement(inst: PlanInstance, open: readonly number[], assignment?: ArrayLike<number>): { served: ServedPopulation[]; assignment: Int32Array; objectives: PlacementObjectives } {
  const { costModel: model, userLatency, nPopulations: m } = inst;
  const assign = new Int32Array(m).fill(-1);
  for (let j = 0; j < m; j++) {
    if (assignment && assignment[j]! >= 0) {
      assign[j] = assignment[j]!;
      continue;
    }
    assign[j] = cheapestOpen(inst, open, j, -1);
  }
  let regionCost = 0;
  for (const i of open) regionCost += model.openingCost[i]!;
  let latencyCost = 0;
  let worst = 0;
  let weighted = 0;
  let users = 0;
  const served: ServedPopulation[] = [];
  for (let j = 0; j < m; j++) {
    const i = assign[j]!;
    const pop = inst.world.populations[j]!;
    if (i < 0) {
      latencyCost = Infinity;
      worst = Infinity;
      served.push({ population: pop.id, region: '', latencyMs: Infinity, users: pop.users });
      continue;
    }
    const ms = userLatency[i * m + j]!;
    latencyCost += model.cost[i * m + j]!;
    worst = Math.max(worst, ms);
    weighted += pop.users * ms;
    users += pop.users;
    served.push({ population: pop.id, region: model.siteIds[i]!, latencyMs: ms, users: pop.users });
  }
  const domains = new Set(open.map((i) => model.siteLabels[i]!['domain'] ?? model.siteIds[i]!)).size;
  // Failover: lose one open region, move its users to their next-best allowed open region.
  let afterFailure = 0;
  for (const lost of open) {
    for (let j = 0; j < m; j++) {
      if (assign[j] !== lost) continue;
      const alt = cheapestOpen(inst, open, j, lost);
      afterFailure = Math.max(afterFailure, alt < 0 ? Infinity : userLatency[alt * m + j]!);
    }
  }
  // Populations not on the lost region keep their latency.
  if (afterFailure < Infinity) afterFailure = Math.max(afterFailure, open.length > 1 ? worstUnaffected(inst, assign) : Infinity);
  const objectives: PlacementObjectives = {
    totalCost: regionCost + latencyCost,
    regionCost,
    latencyCost,
    worstLatencyMs: worst,
    meanLatencyMs: users > 0 ? weighted / users : 0,
    regions: open.length,
    domains,
    worstLatencyAfterFailureMs: open.length > 1 ? afterFailure : Infinity,
  };
  return { served, assignment: assign, objectives };
}

/** Cheapest allowed open region of population j other than `skip`, or -1. */
function cheapestOpen(inst: PlanInstance, open: readonly number[], j: number, skip: number): number {
  const { costModel: model, nPopulations: m } = inst;
  let best = -1;
  let bestCost = Infinity;
  for (const i of open) {
    if (i === skip) continue;
    if (model.allowed && model.allowed[i * m + j] !== 1) continue;
    const c = model.cost[i * m + j]!;
    // Ties (e.g. zero users) go to the lower latency.
    if (c < bestCost || (c === bestCost && best >= 0 && inst.userLatency[i * m + j]! < inst.userLatency[best * m + j]!)) {
      bestCost = c;
      best = i;
    }
  }
  return best;
}

/** Worst latency over all populations under an assignment (a failure elsewhere leaves them where they are). */
function worstUnaffected(inst: PlanInstance, assign: Int32Array): number {
  let w = 0;
  for (let j = 0; j < inst.nPopulations; j++) if (assign[j]! >= 0) w = Math.max(w, inst.userLatency[assign[j]! * inst.nPopulations + j]!);
  return w;
}
