/** Notebook: spectral graph analysis with @emplace/spectral. Run: pnpm example spectral */
// %% [markdown]
// # Spectral: how well connected is a network, and where to add a link
//
// The Laplacian `L = D - W` of a network has eigenvalues `0 = lambda1 <= lambda2 <= ...`.
// `lambda2`, the **algebraic connectivity** (Fiedler value), is 0 exactly when the network
// is disconnected and grows as it gets harder to cut: it bounds the conductance of every
// cut (Cheeger: `lambda2 / 2 <= phi <= sqrt(2 lambda2)` for the normalised Laplacian) and
// sets how fast gossip/consensus protocols converge. Its eigenvector (the Fiedler vector)
// orders the nodes along the network's weakest direction.

// %%
import { buildInstance, regionNetwork, spectral, data, createGraph } from '@emplace/emplace';
import { WorldMap } from '../lib/svg.js';
import { show } from '../lib/notebook.js';

const world = data.demoWorld({ cities: 1 });
const net = regionNetwork(buildInstance(world, {}));
// Link weight = capacity-like: shorter links count more (1 / latency).
const g = createGraph({ nodes: net.ids, edges: Array.from({ length: net.m }, (_, e) => [net.edgeU[e]!, net.edgeV[e]!, 100 / net.edgeW[e]!] as const) });
const f = spectral.fiedler(g);
console.log(`lambda2 = ${f.lambda2.toFixed(4)} (${f.method}, residual ${f.relativeResidual.toExponential(1)}), connected: ${f.connected}`);

// %% [markdown]
// ## The spectral cut
//
// Sweeping the Fiedler vector gives the cut of lowest conductance among its prefixes, with
// the Cheeger interval that brackets the best possible cut.

// %%
const cut = spectral.spectralBisection(g);
console.log('one side:', g.ids.filter((_, v) => cut.side[v] === 1).join(', '));
console.log(`conductance ${cut.conductance.toFixed(4)}, Cheeger interval [${cut.cheeger?.lower.toFixed(4)}, ${cut.cheeger?.upper.toFixed(4)}]`);
const byId = new Map(world.regions.map((r) => [r.id, r]));
const map = new WorldMap(900, 'Spectral bisection of the AWS region network');
for (let e = 0; e < g.m; e++) {
  const crosses = cut.side[g.edgeU[e]!] !== cut.side[g.edgeV[e]!];
  map.line(byId.get(g.ids[g.edgeU[e]!]!)!, byId.get(g.ids[g.edgeV[e]!]!)!, crosses ? '#d62728' : '#9aa', crosses ? 2.5 : 0.8);
}
for (let v = 0; v < g.n; v++) map.circle(byId.get(g.ids[v]!)!, 5, cut.side[v] ? '#1f77b4' : '#ff7f0e', { stroke: '#222' });
map.legend([
  ['#1f77b4', 'side A', 'circle'],
  ['#ff7f0e', 'side B', 'circle'],
  ['#d62728', 'link cut by the bisection', 'line'],
  ['#9aa', 'other link', 'line'],
]);
show(map.toString(), 'the two sides (blue, orange) and the cut links (red)');

// %% [markdown]
// ## Which links to add
//
// Adding link `{u, v}` raises `lambda2` by about `w (x_u - x_v)^2` (x = the Fiedler vector):
// greedy link addition (Ghosh & Boyd) picks the best non-link, re-solves, repeats.

// %%
const add = spectral.addLinksForConnectivity(g, 3, { weight: 1 });
for (const l of add.links) console.log(`add ${l.ids[0]} - ${l.ids[1]}: lambda2 ${l.lambda2Before.toFixed(4)} -> ${l.lambda2After.toFixed(4)}`);
console.log('final lambda2 recomputed from scratch:', add.lambda2Final.toFixed(4), 'verified:', add.verified);
