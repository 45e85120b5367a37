/** Notebook: Pareto fronts with @emplace/pareto. Run: pnpm example pareto */
// %% [markdown]
// # Pareto: the trade-off between cost and worst latency
//
// Cheaper plans open fewer regions and leave some users far away; a lower worst latency
// costs regions. Rather than pick one weighting, compute the **Pareto front**: every plan
// that no other plan beats on both cost and worst latency. A plan `a` dominates `b` when it
// is no worse on every objective and better on one.
//
// For two objectives on up to ~40 sites, the **epsilon-constraint** method is exact: minimise
// cost subject to "every client within eps ms", tighten eps to just below the latency
// reached, repeat. Beyond, NSGA-II/III (evolutionary) approximate the front, measured by
// its hypervolume.

// %%
import { createPlacementModel, haversineKm, latencyFromKm, data, pareto } from '@emplace/emplace';
import { scatterPlot } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

const regions = data.awsRegions.filter((_, i) => i % 2 === 0); // 16 regions
const cities = data.worldCities.slice(0, 80);
const latency = regions.map((r) => cities.map(([, , lat, lon]) => latencyFromKm(haversineKm(r, { lat, lon }))));
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 2500, labels: { domain: r.code.split('-')[0]! } })),
  clients: cities.map(([name, country]) => ({ id: `${name}, ${country}` })),
  cost: regions.map((_, i) => cities.map(([, , , , pop], j) => (pop / 1e6) * latency[i]![j]!)),
});
console.log(`${model.nSites} regions, ${model.nClients} cities`);

// %% [markdown]
// ## The exact front

// %%
const exact = await pareto.solvePlacementFront(model, { method: 'exact', latency: latency.flat(), timeLimitMs: 20_000 });
if (exact.status === 'optimal' || exact.status === 'feasible') {
  console.log(`${exact.solution.points.length} plans, complete: ${exact.solution.complete}`);
  for (const p of exact.solution.points) console.log(`cost ${p.objectives[0]!.toFixed(0).padStart(6)}  worst ${p.objectives[1]!.toFixed(1).padStart(6)} ms  ${p.plan.openIds.join(' ')}`);
}

// %% [markdown]
// ## NSGA-II on the same problem
//
// The evolutionary method does not prove anything, but scales to large models and to more
// objectives (e.g. a third: failure domains). Compare its front with the exact one.

// %%
const evo = await pareto.solvePlacementFront(model, { method: 'evolutionary', objectives: ['cost', 'latency'], latency: latency.flat(), maxEvaluations: 6000, seed: 1 });
if (evo.status === 'optimal' || evo.status === 'feasible') {
  console.log(`NSGA-II: ${evo.solution.points.length} plans after ${evo.solution.evaluations} evaluations`);
  show(scatterPlot([
    { name: 'exact (epsilon-constraint)', color: '#1f77b4', line: true, points: (exact.solution?.points ?? []).map((p) => ({ x: p.objectives[1]!, y: p.objectives[0]! })) },
    { name: 'NSGA-II', color: '#d62728', radius: 3, points: evo.solution.points.map((p) => ({ x: p.objectives[1]!, y: p.objectives[0]! })) },
  ], { title: 'Cost vs worst latency', xLabel: 'worst latency (ms)', yLabel: 'cost' }), 'exact front and NSGA-II');
}

// %% [markdown]
// ## Three objectives
//
// Add `domains` (more distinct failure domains among the open regions is better): NSGA-III
// keeps a spread of plans over the three-way trade-off.

// %%
const three = await pareto.solvePlacementFront(model, { method: 'evolutionary', objectives: ['cost', 'latency', 'domains'], latency: latency.flat(), maxEvaluations: 6000, seed: 1 });
if (three.status === 'optimal' || three.status === 'feasible') {
  console.log(`${three.solution.points.length} plans, hypervolume ${three.solution.hypervolume.toExponential(3)}`);
  const byDomains = new Map<number, number>();
  for (const p of three.solution.points) byDomains.set(-p.objectives[2]!, Math.min(byDomains.get(-p.objectives[2]!) ?? Infinity, p.objectives[0]!));
  for (const [d, c] of [...byDomains].sort((a, b) => a[0] - b[0])) console.log(`${d} domains: cheapest plan ${c.toFixed(0)}`);
}
