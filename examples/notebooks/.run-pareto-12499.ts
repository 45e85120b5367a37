
globalThis[Symbol.for('emplace.notebook.cell')](1);
import { createPlacementModel, haversineKm, latencyFromKm, data, pareto } from 'emplace';
import { scatterPlot } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

const regions = data.awsRegions.filter((_, i) => i % 2 === 0); // 16 regions
const cities = data.worldCities.slice(0, 80);
const latency = regions.map((r) => cities.map(([, , lat, lon]) => latencyFromKm(haversineKm(r, { lat, lon }))));
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 300, labels: { domain: r.code.split('-')[0]! } })),
  clients: cities.map(([name, country]) => ({ id: `${name}, ${country}` })),
  cost: regions.map((_, i) => cities.map(([, , , , pop], j) => (pop / 1e6) * latency[i]![j]!)),
});
console.log(`${model.nSites} regions, ${model.nClients} cities`);


globalThis[Symbol.for('emplace.notebook.cell')](3);
const exact = await pareto.exactPlacementFront(model, { latency: latency.flat(), timeLimitMs: 20_000 });
if (exact.status === 'optimal' || exact.status === 'feasible') {
  console.log(`${exact.solution.points.length} plans, complete: ${exact.solution.complete}`);
  for (const p of exact.solution.points) console.log(`cost ${p.objectives[0]!.toFixed(0).padStart(6)}  worst ${p.objectives[1]!.toFixed(1).padStart(6)} ms  ${p.plan.openIds.join(' ')}`);
}


globalThis[Symbol.for('emplace.notebook.cell')](5);
const evo = await pareto.placementFront(model, { objectives: ['cost', 'latency'], latency: latency.flat(), maxEvaluations: 6000, seed: 1 });
if (evo.status === 'optimal' || evo.status === 'feasible' && exact.status !== 'no-solution' && exact.solution) {
  console.log(`NSGA-II: ${evo.solution.points.length} plans after ${evo.solution.evaluations} evaluations`);
  show(scatterPlot([
    { name: 'exact (epsilon-constraint)', color: '#1f77b4', line: true, points: (exact.solution?.points ?? []).map((p) => ({ x: p.objectives[1]!, y: p.objectives[0]! })) },
    { name: 'NSGA-II', color: '#d62728', radius: 3, points: evo.solution.points.map((p) => ({ x: p.objectives[1]!, y: p.objectives[0]! })) },
  ], { title: 'Cost vs worst latency', xLabel: 'worst latency (ms)', yLabel: 'cost' }), 'exact front and NSGA-II');
}


globalThis[Symbol.for('emplace.notebook.cell')](7);
const three = await pareto.placementFront(model, { objectives: ['cost', 'latency', 'domains'], latency: latency.flat(), maxEvaluations: 6000, seed: 1 });
if (three.status === 'optimal' || three.status === 'feasible') {
  console.log(`${three.solution.points.length} plans, hypervolume ${three.solution.hypervolume.toExponential(3)}`);
  const byDomains = new Map<number, number>();
  for (const p of three.solution.points) byDomains.set(-p.objectives[2]!, Math.min(byDomains.get(-p.objectives[2]!) ?? Infinity, p.objectives[0]!));
  for (const [d, c] of [...byDomains].sort((a, b) => a[0] - b[0])) console.log(`${d} domains: cheapest plan ${c.toFixed(0)}`);
}

export {};
