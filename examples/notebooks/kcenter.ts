/** Notebook: k-center with @emplace/kcenter. Run: pnpm example kcenter */
// %% [markdown]
// # k-center: bound the worst latency
//
// Facility location minimises a *sum*; sometimes the promise is about the *worst* user:
// "everyone within 60 ms". **k-center** opens `k` sites minimising the largest distance
// (here: latency) from any client to its nearest open site:
//
//     min over S, |S| = k, of  max_j min_{i in S} w_j d(i, j)
//
// It is NP-hard, but on metric distances Gonzalez's farthest-first traversal and
// Hochbaum-Shmoys' bottleneck method are 2-approximations, and no polynomial algorithm does
// better than 2 unless P = NP. `exact` (the `auto` method) starts from both and proves the
// optimum with a covering search.

// %%
import { createPlacementModel, haversineKm, latencyFromKm, data, kcenter } from '@emplace/emplace';
import { WorldMap } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

const regions = data.awsRegions;
const cities = data.worldCities.slice(0, 150);
const latency = regions.map((r) => cities.map(([, , lat, lon]) => latencyFromKm(haversineKm(r, { lat, lon }))));
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code })),
  clients: cities.map(([name, country]) => ({ id: `${name}, ${country}` })),
  cost: latency, // weight 1 per city: the radius is plain latency in ms
});
console.log(`${model.nSites} regions, ${model.nClients} cities`);

// %% [markdown]
// ## Approximations vs the optimum, for k = 3..8

// %%
console.log(' k   gonzalez   hochbaum-shmoys   exact (ms)   proven');
for (let k = 3; k <= 8; k++) {
  const g = await kcenter.solveKCenter(model, { method: 'gonzalez', k });
  const hs = await kcenter.solveKCenter(model, { method: 'hochbaum-shmoys', k });
  const ex = await kcenter.solveKCenter(model, { method: 'exact', k, timeLimitMs: 5_000 });
  console.log(`${String(k).padStart(2)} ${g.objective!.toFixed(1).padStart(10)} ${hs.objective!.toFixed(1).padStart(17)} ${ex.objective!.toFixed(1).padStart(12)}   ${ex.status}`);
}

// %% [markdown]
// ## The optimal 5 regions, and the city that decides the radius
//
// `criticalClient` is the city at the radius: the one to look at if you want to do better.

// %%
const best = await kcenter.solveKCenter(model, { method: 'exact', k: 5 });
if (best.status === 'optimal' || best.status === 'feasible') {
  const s = best.solution;
  console.log('open', s.openIds.join(', '), 'radius', s.radius.toFixed(1), 'ms; critical city', model.clientIds[s.criticalClient]);
  const map = new WorldMap(900, `k-center, k = 5: every city within ${s.radius.toFixed(0)} ms`);
  cities.forEach(([, , lat, lon], j) => map.line({ lat, lon }, regions[s.assignment[j]!]!, '#1f77b4', 0.6, 0.4));
  cities.forEach(([, , lat, lon], j) => map.circle({ lat, lon }, j === s.criticalClient ? 6 : 2.5, j === s.criticalClient ? '#d62728' : '#1f77b4'));
  for (const i of s.open) {
    map.square(regions[i]!, 11, '#ff7f0e');
    map.label(regions[i]!, regions[i]!.code);
  }
  map.legend([
    ['#ff7f0e', 'open region (center)', 'square'],
    ['#1f77b4', 'city, linked to its center', 'circle'],
    ['#d62728', 'critical city (sets the radius)', 'circle'],
  ]);
  show(map.toString(), 'optimal 5-center; the critical city in red');
}

// %% [markdown]
// ## Outliers
//
// One remote city can dictate the radius. k-center *with outliers* may leave `z` clients
// unserved (to be handled another way, e.g. a CDN), often shrinking the radius a lot.

// %%
for (const z of [0, 3, 10]) {
  const r = await kcenter.solveKCenter(model, { method: 'outliers', k: 5, outliers: z });
  console.log(`z = ${String(z).padStart(2)}: radius ${r.objective?.toFixed(1)} ms, ignored: ${Array.from(r.solution?.outliers ?? [], (j) => model.clientIds[j]).join('; ') || '-'}`);
}
