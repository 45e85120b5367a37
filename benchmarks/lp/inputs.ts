/** The responsiveness sweep's inputs of the LP-backed methods (same generators and seeds), for benchmarks/lp probes. */
import { createGame, createPlacementModel, Rng, type Graph } from '@emplace/core';
import * as facility from '@emplace/facility';
import * as flows from '@emplace/flows';
import { generateCapLike } from '../facility/generate.js';
import { gravityCommodities } from '../lib/gravity.js';
import { gridGraph } from '../spectral/generators.js';

// ------------------------------------------------------------------ the sweep's inputs (same generators and seeds)

export function euclidean(n: number, seed: number) {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
}

function scenarios() {
  const m = generateCapLike('capb', 5000, 50, 500);
  const model = createPlacementModel({ sites: m.siteIds.map((id, s) => ({ id, openingCost: m.openingCost[s]! })), clients: m.clientIds.map((id, c) => ({ id, demand: m.demand[c]! })), cost: m.cost });
  let maxCost = 0;
  for (let t = 0; t < model.cost.length; t++) maxCost = Math.max(maxCost, model.cost[t]!);
  return facility.createScenarioSet(model, facility.generateScenarios(model, 200, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 3 * maxCost });
}

function weighted(g: Graph, seed: number): Graph {
  const r = new Rng(seed);
  const edgeW = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) edgeW[e] = 1 + r.int(100);
  const adjWeight = new Float64Array(g.adjWeight.length);
  for (let k = 0; k < adjWeight.length; k++) adjWeight[k] = edgeW[g.adjEdge[k]!]!;
  return { ...g, edgeW, adjWeight };
}

const gravityMcf = () => flows.createMcfProblem({ graph: weighted(gridGraph(40, 40), 8), commodities: gravityCommodities(1600, 20, new Rng(8)) });

const popcountGame = (n: number) =>
  createGame({
    players: n,
    value: {
      mask: (m: number) => {
        let c = 0;
        for (let r = m; r; r &= r - 1) c++;
        return c * c + (m % 7);
      },
    },
  });


export type LpProbeInput = { model: { readonly kind: string }; options?: Record<string, unknown> };

/** The input of a method (family:method) as the sweep makes it. */
export function lpProbeInput(method: string): LpProbeInput {
  const family = method.split(':')[0]!;
  const makers: Record<string, () => { model: { readonly kind: string }; options?: Record<string, unknown> }> = {
  robust: () => ({ model: scenarios() }),
  stochastic: () => ({ model: scenarios() }),
  pmedian: () => ({ model: euclidean(500, 3), options: { p: 10 } }),
  mcf: () => ({ model: gravityMcf() }),
  'link-upgrade': () => {
    const model = gravityMcf();
    return { model, options: { unitCost: new Float64Array(model.graph.m).fill(1) } };
  },
  'least-core': () => ({ model: popcountGame(16) }),
  nucleolus: () => ({ model: popcountGame(14) }),
};
  const make = makers[family];
  if (!make) throw new Error(`no input for ${family}; known: ${Object.keys(makers).join(', ')}`);
  return make();
}
