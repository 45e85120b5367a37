/** Notebook: the plan() facade. Run: pnpm example planner */
// %% [markdown]
// # The planner: one call, every view
//
// `plan(world, goals, options)` is what a scheduler calls. The **world** is the candidate
// regions (cost, capacity, jurisdiction, coordinates, failure domain), the user populations,
// the tenants who share the bill and the network (a measured latency matrix, or the
// great-circle model). The **goals** say what to optimise (`cost` or worst `latency`) and the
// constraints (residency, maximum latency, number of regions). It answers with:
//
// - the chosen placement with every objective recomputed and its proof (facility location);
// - the Pareto alternatives (cost vs worst latency);
// - the worst-case view (k-center: the best worst latency with as many regions, with a bound);
// - the backbone joining the chosen regions (Steiner tree);
// - the backbone's algebraic connectivity and the link to add (spectral);
// - each tenant's fair share of the cost (Shapley).

// %%
import { plan, type World, type Goals } from '@emplace/emplace';

const world: World = {
  regions: [
    { id: 'us-east', name: 'Virginia', lat: 39, lon: -77.5, cost: 900, jurisdiction: 'US' },
    { id: 'us-west', name: 'Oregon', lat: 45.8, lon: -119.7, cost: 900, jurisdiction: 'US' },
    { id: 'eu-west', name: 'Dublin', lat: 53.3, lon: -6.3, cost: 1000, jurisdiction: 'EU' },
    { id: 'eu-central', name: 'Frankfurt', lat: 50.1, lon: 8.7, cost: 1050, jurisdiction: 'EU' },
    { id: 'ap-tokyo', name: 'Tokyo', lat: 35.7, lon: 139.7, cost: 1200, jurisdiction: 'JP' },
    { id: 'ap-singapore', name: 'Singapore', lat: 1.35, lon: 103.8, cost: 1150, jurisdiction: 'SG' },
    { id: 'sa-saopaulo', name: 'Sao Paulo', lat: -23.5, lon: -46.6, cost: 1400, jurisdiction: 'BR' },
  ],
  populations: [
    { id: 'New York', lat: 40.7, lon: -74, users: 19, jurisdiction: 'US' },
    { id: 'Los Angeles', lat: 34, lon: -118.2, users: 13, jurisdiction: 'US' },
    { id: 'Mexico City', lat: 19.4, lon: -99.1, users: 21, jurisdiction: 'MX' },
    { id: 'Sao Paulo', lat: -23.5, lon: -46.6, users: 22, jurisdiction: 'BR' },
    { id: 'London', lat: 51.5, lon: -0.1, users: 14, jurisdiction: 'GB' },
    { id: 'Paris', lat: 48.9, lon: 2.35, users: 11, jurisdiction: 'EU' },
    { id: 'Madrid', lat: 40.4, lon: -3.7, users: 6.7, jurisdiction: 'EU' },
    { id: 'Lagos', lat: 6.5, lon: 3.4, users: 15, jurisdiction: 'NG' },
    { id: 'Mumbai', lat: 19.1, lon: 72.9, users: 21, jurisdiction: 'IN' },
    { id: 'Tokyo', lat: 35.7, lon: 139.7, users: 37, jurisdiction: 'JP' },
    { id: 'Jakarta', lat: -6.2, lon: 106.8, users: 34, jurisdiction: 'ID' },
    { id: 'Sydney', lat: -33.9, lon: 151.2, users: 5.3, jurisdiction: 'AU' },
  ],
  tenants: [
    { id: 'retail', populations: ['New York', 'Los Angeles', 'London', 'Paris', 'Madrid'] },
    { id: 'media', populations: ['Mexico City', 'Sao Paulo', 'Lagos', 'Mumbai'] },
    { id: 'games', populations: ['Tokyo', 'Jakarta', 'Sydney'] },
  ],
  // No measured network: the great-circle model (route factor 1.5, 2 ms overhead).
};
const goals: Goals = { latencyPrice: 3, residency: { EU: ['EU'] }, maxLatencyMs: 200, regions: { min: 3 } };
const phases: string[] = [];
const r = await plan(world, goals, { timeLimitMs: 20_000, seed: 1, onProgress: (p) => { if (!phases.includes(p.phase)) phases.push(p.phase); } });
console.log('phases:', phases.join(' -> '), `(${r.latencyModel} latency)`);
console.log('status', r.status, 'regions', r.placement?.regions.join(', '));
console.log(r.placement?.objectives);
console.log('proof: bound', r.placement?.bound?.toFixed(1), 'gap', r.placement?.gap, 'by', r.placement?.method);

// %% [markdown]
// ## Who is served from where

// %%
for (const s of r.placement?.served ?? []) console.log(`${s.population.padEnd(12)} -> ${s.region.padEnd(13)} ${s.latencyMs.toFixed(1).padStart(6)} ms`);

// %% [markdown]
// ## The other views

// %%
for (const a of r.pareto?.alternatives ?? []) console.log(`${a.chosen ? '*' : ' '} cost ${a.totalCost.toFixed(0)}  worst ${a.worstLatencyMs.toFixed(1)} ms  ${a.regions.join(', ')}`);
const w = r.worstCase;
if (w) console.log(`k-center (k = ${w.k}): chosen worst ${w.chosenWorstLatencyMs.toFixed(1)} ms, best possible ${w.bestWorstLatencyMs.toFixed(1)} ms (${w.status})`);
const b = r.backbone;
if (b) console.log(`backbone: ${b.links.map((l) => `${l.from}-${l.to}`).join(', ')} (${b.totalLatencyMs.toFixed(1)} ms, ${b.status})`);
const c = r.connectivity;
if (c) console.log(`lambda2 ${c.lambda2.toFixed(3)}; add ${c.reinforce.map((l) => `${l.from}-${l.to} -> ${l.lambda2After.toFixed(3)}`).join(', ')}`);
for (const t of r.shares?.shares ?? []) console.log(`${t.tenant.padEnd(8)} pays ${t.share.toFixed(0).padStart(6)} (alone: ${t.standalone.toFixed(0)})`);

// %% [markdown]
// ## On a map

// %%
import { servedMapSvg, backboneSvg } from '../lib/plan-report.js';
import { show } from '../lib/notebook.js';
show(servedMapSvg(world, r), 'chosen regions and who is served from where');
show(backboneSvg(world, r), 'the backbone');

// %% [markdown]
// **Adapt it**: replace the regions by your clusters (cost per period, capacity in users),
// the populations by your user groups or workloads, pass a measured latency matrix as
// `network.latencyMs`, and set `goals`. Every number `plan()` returns is recomputed from
// your world, and bad input throws a `ModelError` naming the field (`world.regions[3].lat`).
// `pnpm start` runs it on the full embedded data set (32 AWS regions, 300 cities).
