/** Notebook: Steiner trees with @emplace/steiner. Run: pnpm example steiner */
// %% [markdown]
// # Steiner trees: the cheapest backbone joining some regions
//
// You run in a handful of regions and want a private backbone between them over the links
// of a network. The cheapest connected set of links joining the chosen regions (the
// *terminals*), possibly through other regions (*Steiner nodes*), is a **Steiner tree**:
//
//     min sum_e w_e x_e  s.t. every cut separating two terminals is crossed by a chosen link
//
// The minimum spanning tree of the terminals' shortest-path distances (KMB, Mehlhorn) is a
// 2-approximation; `auto` adds reductions, dual ascent (a lower bound), local search and an
// exact cut MIP, and proves the optimum on instances of this size.

// %%
import { buildInstance, regionNetwork, steiner, data } from '@emplace/emplace';
import { WorldMap } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

// The AWS region network: each region linked to its 4 nearest regions (measured p50 latency) plus an MST.
const world = data.demoWorld({ cities: 1 });
const g = regionNetwork(buildInstance(world, {}));
console.log(`${g.n} regions, ${g.m} links`);
const terminals = ['us-west-2', 'sa-east-1', 'eu-west-1', 'af-south-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-2'];
const problem = steiner.createSteinerProblem(g, terminals);

// %% [markdown]
// ## Heuristics and the exact answer

// %%
for (const method of ['kmb', 'mehlhorn', 'sph', 'auto'] as const) {
  const r = await steiner.solveSteiner(problem, { method, timeLimitMs: 5_000 });
  if (r.status === 'optimal' || r.status === 'feasible') {
    console.log(`${method.padEnd(9)} ${r.objective.toFixed(1).padStart(8)} ms  ${r.status}${r.bound !== undefined ? `  bound ${r.bound.toFixed(1)}` : ''}  guarantee ${r.guarantee.kind}${r.guarantee.kind === 'approximation' ? ` ${r.guarantee.ratio}` : ''}`);
  }
}

// %% [markdown]
// ## The optimal backbone
//
// Orange dots are Steiner nodes: regions the backbone passes through without serving anyone.

// %%
const best = await steiner.solveSteiner(problem, { timeLimitMs: 5_000 });
if (best.status === 'optimal' || best.status === 'feasible') {
  const byId = new Map(world.regions.map((r) => [r.id, r]));
  const map = new WorldMap(900, `Steiner backbone: ${best.objective.toFixed(0)} ms of links`);
  for (let e = 0; e < g.m; e++) map.line(byId.get(g.ids[g.edgeU[e]!]!)!, byId.get(g.ids[g.edgeV[e]!]!)!, '#9aa', 0.7, 0.6);
  for (const e of best.solution.edges) map.line(byId.get(g.ids[g.edgeU[e]!]!)!, byId.get(g.ids[g.edgeV[e]!]!)!, '#d62728', 3);
  const isTerminal = new Set(terminals);
  for (const v of best.solution.nodes) {
    const r = byId.get(g.ids[v]!)!;
    if (isTerminal.has(r.id)) map.square(r, 11, '#d62728');
    else map.circle(r, 5, '#ff7f0e', { stroke: '#222' });
    map.label(r, r.id, 7, -7, 10);
  }
  map.legend([
    ['#d62728', 'terminal region (must be connected)', 'square'],
    ['#ff7f0e', 'relay region (Steiner point)', 'circle'],
    ['#d62728', 'Steiner tree link', 'line'],
    ['#9aa', 'network link', 'line'],
  ]);
  show(map.toString(), 'the optimal Steiner tree (red) on the region network (grey)');
  console.log('relay regions:', Array.from(best.solution.nodes, (v) => g.ids[v]!).filter((id) => !isTerminal.has(id)).join(', '));
}
