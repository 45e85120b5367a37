/**
 * The responsiveness sweep's inputs, one per family (and per method where a method needs its
 * own structure): large enough that a stretch without a checkpoint shows. Shared by the
 * sweep and the stall probes (stretches.ts, benchmarks/lp/cpu-stalls.ts), so a probe
 * measures exactly what the sweep measured.
 */
import { readFileSync } from 'node:fs';
import { airportGame, createGame, createMarket, createPlacementModel, Rng, type GameModel, type Graph } from '@emplace/core';
import * as facility from '@emplace/facility';
import * as assignment from '@emplace/assignment';
import * as steiner from '@emplace/steiner';
import * as pareto from '@emplace/pareto';
import * as flows from '@emplace/flows';
import { readSteinlib } from '@emplace/io';
import { instancePath } from '../lib/instances.js';
// The generators the packages' step tests use too: the sweep measures the same shapes.
import { euclideanModel as euclidean, popcountGame } from '../../packages/core/test/support/steps.js';
export { euclidean };
import { generateCapLike } from '../facility/generate.js';
import { gridGraph, powerLawGraph } from '../spectral/generators.js';
import { gravityCommodities } from '../lib/gravity.js';
import { catsLike } from '../mechanism/cats.js';

export interface Input {
  name: string;
  model: { readonly kind: string };
  options?: Record<string, unknown>;
}

const cache = new Map<string, Input>();
const lazy = (key: string, make: () => Input): (() => Input) => () => {
  let v = cache.get(key);
  if (!v) {
    v = make();
    cache.set(key, v);
  }
  return v;
};


/** capb-like 100 x 1000 without capacities (UFL, online UFL, scenarios). */
function uncapacitated(nSites: number, nClients: number) {
  const m = generateCapLike('capb', 5000, nSites, nClients);
  return createPlacementModel({ sites: m.siteIds.map((id, s) => ({ id, openingCost: m.openingCost[s]! })), clients: m.clientIds.map((id, c) => ({ id, demand: m.demand[c]! })), cost: m.cost });
}

/** A characteristic function slow enough that 2^24 coalitions take seconds (mechanism/abort-latency.ts). */
const slowGame = (n: number): GameModel =>
  createGame({
    players: n,
    value: {
      mask: (m: number) => {
        let s = 0;
        for (let r = m; r !== 0; r &= r - 1) s += Math.sqrt(1 + (31 - Math.clz32(r & -r)));
        return s * s * s;
      },
    },
  });

function votingGame(n: number): GameModel {
  const r = new Rng(7);
  const weights = Array.from({ length: n }, () => 1 + r.int(5000));
  const quota = Math.floor(weights.reduce((a, b) => a + b, 0) / 2) + 1;
  return createGame({ players: n, value: () => 0, structure: { type: 'weighted-voting', weights: Float64Array.from(weights), quota } });
}

/** One item, `units` units, `nBids` single-unit bids; `nAsks` asks for the double auction. */
export function singleItemMarket(nBids: number, units: number, nAsks: number): { readonly kind: string } {
  const r = new Rng(11);
  return createMarket({
    items: [{ id: 'slot', units }],
    bids: Array.from({ length: nBids }, (_, k) => ({ bidder: `b${k}`, items: ['slot'], amount: Math.round(1 + r.next() * 1000) })),
    sellers: Array.from({ length: nAsks }, (_, k) => `s${k}`),
    asks: Array.from({ length: nAsks }, (_, k) => ({ seller: `s${k}`, item: 'slot', price: Math.round(1 + r.next() * 1000) })),
  });
}

function weighted(g: Graph, seed: number): Graph {
  const r = new Rng(seed);
  const edgeW = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) edgeW[e] = 1 + r.int(100);
  const adjWeight = new Float64Array(g.adjWeight.length);
  for (let k = 0; k < adjWeight.length; k++) adjWeight[k] = edgeW[g.adjEdge[k]!]!;
  return { ...g, edgeW, adjWeight };
}

/** side x side grid, arcs both ways, random capacities and costs, `side` supply/demand pairs (flows/run.ts). */
export function gridNetwork(side: number, seed: number) {
  const r = new Rng(seed);
  const int = (lo: number, hi: number): number => lo + r.int(hi - lo + 1);
  const arcs: { from: number; to: number; capacity: number; cost: number }[] = [];
  const id = (a: number, b: number) => a * side + b;
  for (let a = 0; a < side; a++) {
    for (let b = 0; b < side; b++) {
      if (b + 1 < side) arcs.push({ from: id(a, b), to: id(a, b + 1), capacity: int(1, 50), cost: int(1, 100) }, { from: id(a, b + 1), to: id(a, b), capacity: int(1, 50), cost: int(1, 100) });
      if (a + 1 < side) arcs.push({ from: id(a, b), to: id(a + 1, b), capacity: int(1, 50), cost: int(1, 100) }, { from: id(a + 1, b), to: id(a, b), capacity: int(1, 50), cost: int(1, 100) });
    }
  }
  const n = side * side;
  const supply = new Float64Array(n);
  for (let k = 0; k < side; k++) {
    supply[int(0, n - 1)]! += 10;
    supply[int(0, n - 1)]! -= 10;
  }
  return flows.createFlowNetwork({ n, arcs, supply });
}

/** Gravity traffic between `k` random nodes of `g`, three classes (benchmarks/lib/gravity.ts). */
function gravityMcf(g: Graph, k: number, seed: number) {
  const commodities = gravityCommodities(g.n, k, new Rng(seed));
  return flows.createMcfProblem({ graph: g, commodities });
}

const capb = lazy('capb', () => ({ name: 'capb-like 100 x 1000', model: generateCapLike('capb', 5000) }));
const ufl = lazy('ufl', () => ({ name: 'capb-like 100 x 1000, uncapacitated', model: uncapacitated(100, 1000) }));
const e500 = lazy('e500', () => ({ name: 'Euclidean 500 x 500', model: euclidean(500, 3) }));
const e300 = lazy('e300', () => ({ name: 'Euclidean 300 x 300', model: euclidean(300, 5) }));
/** 200 scenarios (demand noise, one site failure at most) over capb-like 50 x 500 without capacities. */
export function scenarioSet() {
  const model = uncapacitated(50, 500);
  let maxCost = 0;
  for (let t = 0; t < model.cost.length; t++) maxCost = Math.max(maxCost, model.cost[t]!);
  return facility.createScenarioSet(model, facility.generateScenarios(model, 200, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 3 * maxCost });
}

const scen = lazy('scen', () => ({ name: 'capb-like 50 x 500, 200 scenarios', model: scenarioSet() }));
const power = lazy('power', () => ({ name: 'power-law 200k nodes, 1M edges, weights 1..100', model: weighted(powerLawGraph(200_000, 1_000_000, 9), 9) }));
const wgrid = lazy('wgrid', () => ({ name: 'grid 300 x 300, weights 1..100', model: weighted(gridGraph(300, 300), 4) }));
const c18 = lazy('c18', () => {
  const s = readSteinlib(readFileSync(instancePath('steinlib', 'C', 'c18.stp'), 'utf8'), { name: 'c18' });
  return { name: 'SteinLib c18', model: steiner.createSteinerProblem(s.graph, s.terminals, 'c18') };
});

export const inputs: Record<string, () => Input> = {
  ufl,
  cfl: capb,
  sscfl: capb,
  pmedian: lazy('pmedian', () => ({ ...e500(), options: { p: 10 } })),
  stochastic: scen,
  robust: scen,
  'online-ufl': ufl,
  kcenter: lazy('kcenter', () => ({ ...e500(), options: { k: 10 } })),
  lscp: lazy('lscp', () => ({ ...e500(), options: { radius: 150 } })),
  mclp: lazy('mclp', () => ({ ...e500(), options: { k: 10, radius: 150 } })),
  pdispersion: lazy('pdispersion', () => ({ ...e500(), options: { k: 20 } })),
  survivable: lazy('survivable', () => ({ ...e500(), options: { radius: 200 } })),
  gap: lazy('gap', () => ({ name: 'Chu-Beasley D 20 x 200', model: assignment.generateGap('D', 20, 200, 1) })),
  schedule: lazy('schedule', () => ({ name: 'generateSchedule 2000 x 50, 4000 pairs', model: assignment.generateSchedule({ workloads: 2000, clusters: 50, pairs: 4000, seed: 2050 }) })),
  replicas: lazy('replicas', () => ({
    name: 'generateReplicas 200 clusters x 50 workloads',
    model: assignment.createReplicaModel(assignment.generateReplicas({ clusters: 200, workloads: 50, seed: 5, replicas: [20, 60], regions: 8, zonesPerRegion: 3, freeCpu: [2, 24] })),
  })),
  steiner: c18,
  fiedler: power,
  partition: power,
  shapley: lazy('shapley', () => ({ name: 'cubic game, 24 players', model: slowGame(24) })),
  banzhaf: lazy('banzhaf', () => ({ name: 'cubic game, 24 players', model: slowGame(24) })),
  nucleolus: lazy('nucleolus', () => ({ name: 'popcount game, 14 players', model: popcountGame(14) })),
  'least-core': lazy('least-core', () => ({ name: 'popcount game, 16 players', model: popcountGame(16) })),
  vcg: lazy('vcg', () => ({ name: 'CATS-like arbitrary, 2000 bids x 100 items', model: catsLike('arbitrary', 2000, 100, 1340) })),
  auction: lazy('auction', () => ({ name: 'one item x 500 units, 20000 bids, 5000 asks', model: singleItemMarket(20_000, 500, 5000) })),
  'pareto:placement': e300,
  'pareto:multi-objective': lazy('zdt', () => ({ name: 'ZDT1 (30 variables), 10^6 evaluations', model: pareto.zdt1(30), options: { maxEvaluations: 1_000_000 } })),
  mincostflow: lazy('mincostflow', () => ({ name: 'grid network 300 x 300 (360k arcs)', model: gridNetwork(300, 3) })),
  gomoryhu: lazy('gomoryhu', () => ({ name: 'grid 100 x 100, weights 1..100', model: weighted(gridGraph(100, 100), 6) })),
  mcf: lazy('mcf', () => ({ name: 'grid 40 x 40, 20-node gravity (1140 commodities)', model: gravityMcf(weighted(gridGraph(40, 40), 8), 20, 8) })),
  'link-upgrade': lazy('link-upgrade', () => {
    const model = gravityMcf(weighted(gridGraph(40, 40), 8), 20, 8);
    return { name: 'grid 40 x 40, 20-node gravity (1140 commodities), unit cost 1', model, options: { unitCost: new Float64Array(model.graph.m).fill(1) } };
  }),
  mst: power,
  maxflow: lazy('maxflow', () => ({ ...wgrid(), options: { source: '0', sink: String(300 * 300 - 1) } })),
};

/** Methods that need an input of their own structure. */
export const methodInputs: Record<string, () => Input> = {
  'shapley:weighted-voting': lazy('voting', () => ({ name: 'weighted voting, 200 players', model: votingGame(200) })),
  'shapley:airport': lazy('airport', () => ({ name: 'airport game, 200k players', model: airport(200_000) })),
};

/** An airport game of `n` players with random runway costs. */
export function airport(n: number) {
  const r = new Rng(3);
  return airportGame(n, Float64Array.from({ length: n }, () => 1 + r.int(1_000_000)));
}

/** The sweep's input for `family:method` (the method's own input first); throws when there is none. */
export function sweepInput(method: string): Input {
  const family = method.split(':')[0]!;
  const make = methodInputs[method] ?? inputs[method] ?? inputs[family] ?? inputs[`${family}:placement`];
  if (!make) throw new Error(`no sweep input for ${method}; known: ${[...Object.keys(inputs), ...Object.keys(methodInputs)].join(', ')}`);
  return make();
}

