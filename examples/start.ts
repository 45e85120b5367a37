/**
 * `pnpm start`: a small placement demo on the embedded AWS data set.
 *
 * Question: which AWS regions should a service run in so that the world's users (the
 * metro areas of the 32 regions, weighted by population) see low latency, when each
 * region costs money to operate and European users' data must stay in EU regions?
 * That is an uncapacitated facility location problem with a compliance constraint,
 * solved here to proven optimality.
 */
import { createPlacementModel, symmetrize, type PlacementModel } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { data } from 'emplace';
const { awsLatencyMs, awsRegions } = data;

const n = awsRegions.length;
// Measured p50 RTT is directional (up to 12 ms apart); serving cost uses the mean of both directions.
const latency = symmetrize(awsLatencyMs, n);

/** Monthly cost of running the service in one region, in the same unit as the serving cost. */
const REGION_COST = 400;
/** Serving cost of one million users at 1 ms of latency (a price on user experience). */
const COST_PER_MILLION_MS = 0.35;

const model: PlacementModel = createPlacementModel({
  sites: awsRegions.map((r) => ({ id: r.code, openingCost: REGION_COST, labels: { jurisdiction: r.jurisdiction, city: r.city } })),
  clients: awsRegions.map((r) => ({ id: `${r.city} users`, weight: r.metroPopulationM })),
  cost: Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => COST_PER_MILLION_MS * awsRegions[j]!.metroPopulationM * latency[i * n + j]!),
  ),
  // Data sovereignty: EU users are served only from EU regions.
  allowed: (site, client) => awsRegions[client]!.jurisdiction !== 'EU' || awsRegions[site]!.jurisdiction === 'EU',
});

/** The strong UFL formulation: x_ij <= y_i, sum_i x_ij = 1. */
function uflModel(m: PlacementModel): { lp: LinearModel; open: number; assign: number } {
  const lp = new LinearModel('min');
  const open = lp.addVariables(m.nSites, { type: 'binary' });
  for (let i = 0; i < m.nSites; i++) lp.setObjective(open + i, m.openingCost[i]!);
  const assign = lp.addVariables(m.nSites * m.nClients, { lb: 0, ub: 1 });
  for (let i = 0; i < m.nSites; i++) {
    for (let j = 0; j < m.nClients; j++) {
      const x = assign + i * m.nClients + j;
      lp.setObjective(x, m.cost[i * m.nClients + j]!);
      if (m.allowed && !m.allowed[i * m.nClients + j]) lp.addLe([x], [1], 0);
      else lp.addLe([x, open + i], [1, -1], 0);
    }
  }
  for (let j = 0; j < m.nClients; j++) {
    const cols = Array.from({ length: m.nSites }, (_, i) => assign + i * m.nClients + j);
    lp.addEq(cols, cols.map(() => 1), 1);
  }
  return { lp, open, assign };
}

const { lp, open, assign } = uflModel(model);
console.log(`emplace demo: placing a service across ${n} AWS regions for ${n} metro populations`);
console.log(`  data: measured p50 inter-region latency (CloudPing, 1 year), EU data stays in the EU\n`);
const solution = await solveLp(lp, { timeLimitMs: 30_000 });
if (solution.status !== 'optimal' && solution.status !== 'feasible') {
  console.error(`no placement found: ${solution.status}`);
  process.exit(1);
}
const x = solution.x!;
const chosen: number[] = [];
for (let i = 0; i < n; i++) if (x[open + i]! > 0.5) chosen.push(i);
console.log(`Open regions (${chosen.length}): ${chosen.map((i) => `${awsRegions[i]!.code} (${awsRegions[i]!.city})`).join(', ')}\n`);
console.log('Users                      served from       latency ms');
let worst = 0;
let weighted = 0;
let population = 0;
for (let j = 0; j < n; j++) {
  let best = -1;
  for (const i of chosen) if (x[assign + i * n + j]! > 0.5) best = i;
  const ms = latency[best * n + j]!;
  worst = Math.max(worst, ms);
  weighted += awsRegions[j]!.metroPopulationM * ms;
  population += awsRegions[j]!.metroPopulationM;
  console.log(`  ${model.clientIds[j]!.padEnd(25)}${awsRegions[best]!.code.padEnd(18)}${ms.toFixed(1).padStart(8)}`);
}
console.log(`\nTotal cost ${solution.objective!.toFixed(1)} (${chosen.length} x ${REGION_COST} for regions + latency cost)`);
console.log(`Proof: ${solution.status}${solution.bound !== undefined ? `, lower bound ${solution.bound.toFixed(1)}` : ''} (${solution.backend}, ${solution.elapsedMs.toFixed(0)} ms)`);
console.log(`Population-weighted mean latency ${(weighted / population).toFixed(1)} ms, worst ${worst.toFixed(1)} ms`);
