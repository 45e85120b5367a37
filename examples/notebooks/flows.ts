/** Notebook: network flows between AWS regions with @emplace/flows. Run: pnpm example flows */
// %% [markdown]
// # Flows: three traffic classes on an inter-region backbone
//
// Clusters in different regions exchange **control-plane** traffic (small, latency
// critical), **service-mesh** traffic (medium) and **bulk data** (large, cheap). They share
// the same links. This notebook builds a backbone over the AWS regions (each region linked
// to its three nearest by measured latency), then asks:
//
// 1. where the backbone is weakest (all-pairs minimum cuts, a Gomory-Hu tree);
// 2. how to route the three classes at least cost (multi-commodity flow, exact LP), and what
//    one more unit of capacity on each link is worth (the LP's dual prices);
// 3. how much the whole traffic matrix could grow before some link saturates (maximum
//    concurrent flow: exact LP and the Garg-Koenemann approximation with its proven bound);
// 4. which links to upgrade, and by how much, if data traffic triples (link upgrade LP);
// 5. where to move the workloads of a drained region (min-cost flow with node prices).

// %%
import { createGraph, data, graph as graphs, hasSolution, type Result } from '@emplace/emplace';
import { createMcfProblem, createFlowNetwork, solveGomoryHu, solveLinkUpgrade, solveMcfApprox, solveMcfLp, solveMinCostFlow, type Commodity } from '@emplace/flows';
import { WorldMap } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

/** The certificate's reason of a result without a solution ('' otherwise). */
const why = (r: Result<unknown>): string => (hasSolution(r) ? '' : r.certificate?.reason ?? '');
const regions = data.awsRegions;
const n = regions.length;
const lat = (a: number, b: number) => (data.awsLatencyMs[a * n + b]! + data.awsLatencyMs[b * n + a]!) / 2;
// Backbone: each region to its 3 nearest regions; short links are fat (1000), long ones thin (300).
const seen = new Set<string>();
const edges: [string, string, number][] = [];
const latency: number[] = [];
for (let a = 0; a < n; a++) {
  const near = Array.from({ length: n }, (_, b) => b).filter((b) => b !== a).sort((x, y) => lat(a, x) - lat(a, y)).slice(0, 3);
  for (const b of near) {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([regions[a]!.code, regions[b]!.code, lat(a, b) < 40 ? 1000 : 300]);
    latency.push(lat(a, b));
  }
}
// Plus the minimum spanning tree of the latency matrix, so that no continent is cut off.
const complete = createGraph({ n, edges: Array.from({ length: n * n }, (_, k) => [Math.floor(k / n), k % n] as const).filter(([a, b]) => a < b).map(([a, b]) => [a, b, lat(a, b)] as const) });
for (const e of graphs.kruskal(complete).edges) {
  const [a, b] = [complete.edgeU[e]!, complete.edgeV[e]!];
  const key = `${a}-${b}`;
  if (seen.has(key)) continue;
  seen.add(key);
  edges.push([regions[a]!.code, regions[b]!.code, lat(a, b) < 40 ? 1000 : 300]);
  latency.push(lat(a, b));
}
const graph = createGraph({ nodes: regions.map((r) => r.code), edges });
console.log(`${graph.n} regions, ${graph.m} links (capacity = edge weight, cost = latency ms)`);

// %% [markdown]
// ## 1. The weakest cuts (Gomory-Hu tree)
//
// Gusfield's method builds the tree with n - 1 max-flows; the minimum cut between any two
// regions is then the lightest edge on their tree path, and the lightest tree edges are
// the cuts that would isolate a part of the federation soonest.

// %%
const gh = await solveGomoryHu(graph, { weakest: 5 });
if (gh.status !== 'optimal') throw new Error(gh.status);
console.log(`global min cut ${gh.objective} (${gh.stats.maxFlows} max-flows)`);
for (const c of gh.solution.weakest) console.log(`  cut ${String(c.weight).padStart(4)}: {${c.side.join(', ')}}`);

// %% [markdown]
// ## 2. Three traffic classes, routed at least cost
//
// Control traffic (weight 10 per unit per ms) goes from every region to three control-plane
// hubs; mesh traffic (weight 3) between each region and its nearest neighbours; data (weight
// 1) follows a gravity model on metro population among the ten largest regions. The exact
// LP is the arc formulation with commodities merged by (source, class): exact, and far
// smaller than one flow per commodity.

// %%
const hubs = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const commodities: Commodity[] = [];
for (const r of regions) for (const h of hubs) if (r.code !== h) commodities.push({ source: r.code, sink: h, demand: 2, class: 'control', weight: 10 });
for (let a = 0; a < n; a++) {
  const near = Array.from({ length: n }, (_, b) => b).filter((b) => b !== a).sort((x, y) => lat(a, x) - lat(a, y)).slice(0, 2);
  for (const b of near) commodities.push({ source: regions[a]!.code, sink: regions[b]!.code, demand: 10, class: 'mesh', weight: 3 });
}
const big = [...regions].sort((x, y) => y.metroPopulationM - x.metroPopulationM).slice(0, 10);
for (const x of big) for (const y of big) if (x !== y) commodities.push({ source: x.code, sink: y.code, demand: Math.max(1, Math.round((x.metroPopulationM * y.metroPopulationM) / 300)), class: 'data', weight: 1 });
const problem = createMcfProblem({ graph, cost: latency, commodities });
const routed = await solveMcfLp(problem);
if (routed.status !== 'optimal') throw new Error(`${routed.status}: ${why(routed)}`);
const sol = routed.solution;
console.log(`${commodities.length} commodities, LP ${routed.stats.columns} columns x ${routed.stats.rows} rows`);
console.log(`weighted routing cost ${routed.objective.toFixed(0)}`);
for (const cls of ['control', 'mesh', 'data']) {
  let units = 0;
  let msUnits = 0;
  commodities.forEach((c, k) => {
    if (c.class !== cls) return;
    units += c.demand;
    for (const p of sol.paths[k]!) {
      let ms = 0;
      for (let i = 0; i + 1 < p.nodes.length; i++) ms += lat(graph.ids.indexOf(p.nodes[i]!), graph.ids.indexOf(p.nodes[i + 1]!));
      msUnits += ms * p.amount;
    }
  });
  console.log(`  ${cls.padEnd(8)} ${String(units).padStart(5)} units, mean path latency ${(msUnits / units).toFixed(1)} ms`);
}
const busiest = Array.from(sol.utilization.keys()).sort((a, b) => sol.utilization[b]! - sol.utilization[a]!).slice(0, 5);
console.log('busiest links (utilisation, value of +1 capacity):');
for (const e of busiest) console.log(`  ${graph.ids[graph.edgeU[e]!]} - ${graph.ids[graph.edgeV[e]!]}: ${(100 * sol.utilization[e]!).toFixed(0)} %, ${sol.linkPrice?.[e]?.toFixed(1) ?? '?'}`);

const byCode = new Map(regions.map((r) => [r.code, r]));
const map = new WorldMap(900, 'Link utilisation of the least-cost routing');
for (let e = 0; e < graph.m; e++) {
  const u = sol.utilization[e]!;
  const color = u > 0.99 ? '#d62728' : u > 0.6 ? '#ff7f0e' : u > 0 ? '#2ca02c' : '#bbb';
  map.line(byCode.get(graph.ids[graph.edgeU[e]!]!)!, byCode.get(graph.ids[graph.edgeV[e]!]!)!, color, 1 + 3 * Math.min(1, u));
}
for (const r of regions) map.circle(r, 4, hubs.includes(r.code) ? '#1f77b4' : '#666', { stroke: '#222' });
map.legend([
  ['#d62728', 'saturated link (> 99 %)', 'line'],
  ['#ff7f0e', 'link above 60 %', 'line'],
  ['#2ca02c', 'link in use', 'line'],
  ['#bbb', 'idle link', 'line'],
  ['#1f77b4', 'control-plane hub', 'circle'],
  ['#666', 'other region', 'circle'],
]);
show(map.toString(), 'red: saturated, orange: above 60 %, green: used, grey: idle; blue: control-plane hubs');

// %% [markdown]
// ## 3. Headroom: the maximum concurrent flow
//
// lambda* is the largest factor by which every demand can grow at once. The LP gives it
// exactly; Garg-Koenemann gives a feasible lambda and a proven upper bound on lambda* from
// its edge lengths (the gap is proven, not estimated), at a fraction of the cost on big
// graphs.

// %%
const conc = await solveMcfLp(problem, { objective: 'max-concurrent' });
const gk = await solveMcfApprox(problem, { epsilon: 0.05 });
if (conc.status !== 'optimal' || (gk.status !== 'optimal' && gk.status !== 'feasible')) throw new Error('concurrent flow failed');
console.log(`exact lambda* = ${conc.objective.toFixed(4)} (LP)`);
console.log(`Garg-Koenemann: lambda = ${gk.objective.toFixed(4)}, proven bound ${gk.bound?.toFixed(4)}, ${gk.stats.phases} phases`);

// %% [markdown]
// ## 4. Data traffic triples: which links to upgrade?
//
// Added capacity costs its link's latency per unit (long-haul is dearer). The LP adds one
// column per link to its capacity row; with `moduleSize` it buys whole modules (a MIP).

// %%
const grown = createMcfProblem({ graph, cost: latency, commodities: commodities.map((c) => (c.class === 'data' ? { ...c, demand: 3 * c.demand } : c)) });
const up = await solveLinkUpgrade(grown, { unitCost: latency, moduleSize: 100 });
if (up.status !== 'optimal') throw new Error(up.status);
console.log(`upgrade cost ${up.objective.toFixed(0)} for ${up.solution.upgrades.length} links (100-unit modules):`);
for (const u of up.solution.upgrades) console.log(`  ${u.u} - ${u.v}: +${u.added} (cost ${u.cost.toFixed(0)})`);

// %% [markdown]
// ## 5. Draining a region: min-cost flow with prices
//
// Moving 300 units of workload out of ap-south-1 to regions with spare room (40 units each
// in the eight nearest), over the backbone's capacities, at least latency cost. The node
// potentials are the marginal cost of delivering one more unit at each region.

// %%
const src = graph.ids.indexOf('ap-south-1');
const targets = Array.from({ length: n }, (_, b) => b).filter((b) => b !== src).sort((x, y) => lat(src, x) - lat(src, y)).slice(0, 8);
const arcs = [];
for (let e = 0; e < graph.m; e++) {
  const [u, v] = [graph.edgeU[e]!, graph.edgeV[e]!];
  arcs.push({ from: u, to: v, capacity: graph.edgeW[e]!, cost: Math.round(latency[e]!) }, { from: v, to: u, capacity: graph.edgeW[e]!, cost: Math.round(latency[e]!) });
}
// Spare room as arcs into a sink, so the flow chooses where the workloads go.
const sink = n;
for (const t of targets) arcs.push({ from: t, to: sink, capacity: 40, cost: 0 });
const supply = new Float64Array(n + 1);
supply[src] = 300;
supply[sink] = -300;
const drain = await solveMinCostFlow(createFlowNetwork({ nodes: [...graph.ids, 'spare'], arcs, supply }));
if (drain.status !== 'optimal') throw new Error(`${drain.status}: ${why(drain)}`);
console.log(`cost ${drain.objective} unit-ms, dual bound ${drain.bound}, ${drain.stats.pivots} pivots`);
for (let k = 0; k < targets.length; k++) {
  const f = drain.solution.flow[2 * graph.m + k]!;
  const t = targets[k]!;
  console.log(`  ${graph.ids[t]!.padEnd(15)} takes ${String(f).padStart(3)}  price ${drain.solution.potential[t]! - drain.solution.potential[src]!}`);
}
const tight = await solveMinCostFlow(createFlowNetwork({ nodes: [...graph.ids, 'spare'], arcs, supply: supply.map((s) => s * 2) }));
console.log(`draining 600 instead: ${tight.status}${why(tight) ? ` (${why(tight)})` : ''}`);
