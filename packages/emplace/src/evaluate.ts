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
  // Failover: lose one open region, move its users to their next-best allowed open region;
  // users with no other allowed open region are counted, not priced.
  let afterFailure = 0;
  let withoutFailover = 0;
  let anyFailover = false;
  for (let j = 0; j < m; j++) {
    if (assign[j]! < 0) continue;
    const alt = cheapestOpen(inst, open, j, assign[j]!);
    if (alt < 0) withoutFailover += inst.world.populations[j]!.users;
    else {
      anyFailover = true;
      afterFailure = Math.max(afterFailure, userLatency[alt * m + j]!);
    }
  }
  // A failure elsewhere leaves a population where it is.
  afterFailure = Math.max(afterFailure, worst);
  const objectives: PlacementObjectives = {
    totalCost: regionCost + latencyCost,
    regionCost,
    latencyCost,
    worstLatencyMs: worst,
    meanLatencyMs: users > 0 ? weighted / users : 0,
    regions: open.length,
    domains,
    worstLatencyAfterFailureMs: anyFailover ? afterFailure : Infinity,
    usersWithoutFailover: withoutFailover,
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
