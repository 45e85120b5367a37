/** Notebook: facility location with @emplace/facility. Run: pnpm example facility */
// %% [markdown]
// # Facility location: which regions to open
//
// You run a service for user populations spread over the world and can open it in a set of
// candidate regions. Each open region costs money (`f_i`); serving population `j` from region
// `i` costs `c_ij` (here: users x latency, a price on waiting). **Uncapacitated facility
// location (UFL)** picks the open set and the assignment minimising the total:
//
//     min  sum_i f_i y_i + sum_ij c_ij x_ij   s.t.  sum_i x_ij = 1,  x_ij <= y_i,  y binary
//
// With capacities it becomes CFL (split demand) or SSCFL (each population on one region);
// with "exactly p regions and no opening cost" it is p-median. All four run on the shared
// `PlacementModel` of `@emplace/core`.

// %%
// The umbrella package `@emplace/emplace` re-exports @emplace/core at the top level and each family
// as a namespace (the same functions as `import { solveUfl } from '@emplace/facility'`).
import { createPlacementModel, haversineKm, latencyFromKm, data, facility } from '@emplace/emplace';
const { solveUfl, solveCfl, solvePMedian, checkSolution } = facility;

const regions = data.awsRegions.filter((r) => ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-south-1', 'sa-east-1'].includes(r.code));
const cities = data.worldCities.slice(0, 60);
// Serving cost: millions of users x round-trip latency (great-circle model) x 2 per user-ms.
const cost = regions.map((r) => cities.map(([, , lat, lon, pop]) => 2 * (pop / 1e6) * latencyFromKm(haversineKm(r, { lat, lon }))));
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 400 })),
  clients: cities.map(([name, country, , , pop]) => ({ id: `${name}, ${country}`, demand: pop / 1e6 })),
  cost,
});
console.log(`${model.nSites} candidate regions, ${model.nClients} cities`);

// %% [markdown]
// ## Solve it exactly
//
// `solveUfl` defaults to `auto`: a Lagrangian lower bound, a greedy + local-search
// incumbent, then branch-and-bound. The result carries the objective (recomputed from the
// model, never trusted from the search), the proven `bound` and the `gap`.

// %%
const ufl = await solveUfl(model, { timeLimitMs: 10_000 });
if (ufl.status === 'optimal' || ufl.status === 'feasible') {
  console.log(ufl.status, 'cost', ufl.objective.toFixed(1), 'bound', ufl.bound?.toFixed(1), 'gap', ufl.gap);
  console.log('open:', ufl.solution.open.join(', '));
  console.log('opening', ufl.solution.openingCost, '+ serving', ufl.solution.servingCost.toFixed(1));
  // An independent re-check of feasibility and cost:
  console.log('check:', checkSolution(model, 'ufl', ufl.solution));
}

// %% [markdown]
// ## Approximations and their guarantees
//
// The fast methods come with a ratio that holds on metric costs: JMS greedy is a
// 1.61-approximation, add/drop/swap local search a 3-approximation. On real data they are
// usually much closer than their ratio; the exact answer tells you how close.

// %%
for (const method of ['greedy', 'local-search', 'lagrangian'] as const) {
  const r = await solveUfl(model, { method });
  if (r.status === 'optimal' || r.status === 'feasible') {
    const excess = ufl.objective !== undefined ? ((r.objective / ufl.objective - 1) * 100).toFixed(2) : '?';
    console.log(`${method.padEnd(13)} ${r.objective.toFixed(1).padStart(9)}  +${excess} %  guarantee ${JSON.stringify(r.guarantee)}${r.bound !== undefined ? `  bound ${r.bound.toFixed(1)}` : ''}`);
  }
}

// %% [markdown]
// ## Capacities and p-median
//
// Give each region a capacity (millions of users) and CFL splits a city's demand where
// capacity binds; p-median asks for exactly `p` regions and ignores opening costs.

// %%
const capped = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 400, capacity: 60 })),
  clients: cities.map(([name, country, , , pop]) => ({ id: `${name}, ${country}`, demand: pop / 1e6 })),
  cost,
});
const cfl = await solveCfl(capped, { timeLimitMs: 10_000 });
if (cfl.status === 'optimal' || cfl.status === 'feasible') {
  console.log('CFL', cfl.status, cfl.objective.toFixed(1), 'open', cfl.solution.open.join(', '));
  console.log('load per region (M users):', Array.from(cfl.solution.load, (l) => l.toFixed(1)).join(' '));
}
const pm = await solvePMedian(model, { p: 3 });
if (pm.status === 'optimal' || pm.status === 'feasible') console.log('3-median', pm.status, pm.objective.toFixed(1), pm.solution.open.join(', '));

// %% [markdown]
// **Adapt it**: put your own clusters in `sites` (opening cost = monthly price, capacity =
// what they hold), your workloads or user groups in `clients`, and whatever serving cost you
// care about in `cost`. `allowed` expresses compliance (who may be served where),
// `mustOpen`/`forbidden` pin regions.

// %% [markdown]
// ## On a map
//
// Each city is drawn in the colour of the region serving it (squares are the open regions).

// %%
import { WorldMap, PALETTE } from '../lib/svg.js';
import { show } from '../lib/notebook.js';
if (ufl.status === 'optimal' || ufl.status === 'feasible') {
  const map = new WorldMap(900, 'UFL: open regions and their cities');
  const colourOf = new Map(Array.from(ufl.solution.openSites, (i, k) => [i, PALETTE[k % PALETTE.length]!]));
  cities.forEach(([, , lat, lon, pop], j) => {
    const i = ufl.solution.assignment[j]!;
    map.line({ lat, lon }, regions[i]!, colourOf.get(i)!, 0.8, 0.5);
    map.circle({ lat, lon }, 2 + 4 * Math.sqrt(pop / 2.2e7), colourOf.get(i)!, { opacity: 0.8 });
  });
  for (const i of ufl.solution.openSites) {
    map.square(regions[i]!, 11, colourOf.get(i)!);
    map.label(regions[i]!, regions[i]!.code);
  }
  map.legend([
    ...Array.from(ufl.solution.openSites, (i) => [colourOf.get(i)!, `${regions[i]!.code} (open) and the cities it serves`, 'square'] as [string, string, 'square']),
  ]);
  show(map.toString(), 'open regions and the cities they serve');
}
