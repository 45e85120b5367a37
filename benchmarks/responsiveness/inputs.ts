/**
 * The responsiveness sweep's inputs, one per family (and per method where a method needs its
 * own structure): large enough that a stretch without a checkpoint shows. Shared by the
 * sweep and the stall probes (stretches.ts, stall-locate.ts, benchmarks/lp/cpu-stalls.ts), so
 * a probe measures exactly what the sweep measured.
 *
 * setInputScale(S) (the tools' --scale S; default 1 = the sizes below) grows every input by
 * about S in each of its main dimensions, so that a stretch without a checkpoint whose length
 * grows with the input (a model copy, a distance closure, a Laplacian, a sort, building the
 * answer) shows before a held-out harness with bigger inputs finds it: sites and clients,
 * graph nodes and edges (a grid's side by sqrt S), bids and asks, workloads and pairs, GAP
 * agents and jobs, Steiner nodes, edges and terminals (a SteinLib-C-like random graph in
 * place of c18), ZDT1 variables, players of a game given by a list (voting, airport); a game
 * over all 2^n coalitions gets log2 S more players (S times the coalitions).
 */
import { readFileSync } from 'node:fs';
import { airportGame, createGame, createGraph, createMarket, createPlacementModel, Rng, type GameModel, type Graph } from '@emplace/core';
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

let S = 1;
/** Sets the scale of the inputs made from now on (see the header); call it before the first input. */
export function setInputScale(scale: number): void {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`--scale: a positive number, got ${scale}`);
  S = scale;
}
export const inputScale = (): number => S;
/** `n` grown by the scale, rounded. */
const sc = (n: number): number => Math.max(1, Math.round(n * S));
/** A grid's side grown so that its nodes grow by the scale. */
const side = (n: number): number => Math.max(2, Math.round(n * Math.sqrt(S)));
/** Players of a game over all coalitions: log2 S more, so S times the coalitions. */
const players = (n: number): number => Math.max(2, n + Math.round(Math.log2(S)));

const cache = new Map<string, Input>();
const lazy = (key: string, make: () => Input): (() => Input) => () => {
  const k = `${key}@${S}`;
  let v = cache.get(k);
  if (!v) {
    v = make();
    cache.set(k, v);
  }
  return v;
};

/**
 * A SteinLib-C-like instance: `n` nodes, a random spanning tree plus random edges up to `m`
 * (no parallel edges), weights 1..10, `t` random terminals (C, D and E are made this way:
 * c18 is 500 / 12,500 / 83, d18 1000 / 25,000 / 167).
 */
function steinlibLike(n: number, m: number, t: number, seed: number) {
  const r = new Rng(seed);
  const seen = new Set<number>();
  const us: number[] = [];
  const vs: number[] = [];
  const add = (a: number, b: number): boolean => {
    if (a === b) return false;
    const key = a < b ? a * n + b : b * n + a;
    if (seen.has(key)) return false;
    seen.add(key);
    us.push(a);
    vs.push(b);
    return true;
  };
  for (let v = 1; v < n; v++) add(v, r.int(v));
  while (us.length < m) add(r.int(n), r.int(n));
  const ws = us.map(() => 1 + r.int(10));
  const g = createGraph({ n, edges: { u: us, v: vs, w: ws } });
  const order = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = r.int(k + 1);
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  return steiner.createSteinerProblem(g, order.slice(0, t).map(String), `steinlib-C-like ${n}/${m}/${t}`);
}


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

const capb = lazy('capb', () => ({ name: `capb-like ${sc(100)} x ${sc(1000)}`, model: generateCapLike('capb', 5000, sc(100), sc(1000)) }));
const ufl = lazy('ufl', () => ({ name: `capb-like ${sc(100)} x ${sc(1000)}, uncapacitated`, model: uncapacitated(sc(100), sc(1000)) }));
const e500 = lazy('e500', () => ({ name: `Euclidean ${sc(500)} x ${sc(500)}`, model: euclidean(sc(500), 3) }));
const e300 = lazy('e300', () => ({ name: `Euclidean ${sc(300)} x ${sc(300)}`, model: euclidean(sc(300), 5) }));
/** 200 scenarios (demand noise, one site failure at most) over capb-like 50 x 500 without capacities (sites and clients grow with the scale). */
export function scenarioSet() {
  const model = uncapacitated(sc(50), sc(500));
  let maxCost = 0;
  for (let t = 0; t < model.cost.length; t++) maxCost = Math.max(maxCost, model.cost[t]!);
  return facility.createScenarioSet(model, facility.generateScenarios(model, 200, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 3 * maxCost });
}

const scen = lazy('scen', () => ({ name: `capb-like ${sc(50)} x ${sc(500)}, 200 scenarios`, model: scenarioSet() }));
const power = lazy('power', () => ({ name: `power-law ${sc(200)}k nodes, ${sc(1000) / 1000}M edges, weights 1..100`, model: weighted(powerLawGraph(sc(200_000), sc(1_000_000), 9), 9) }));
const wgrid = lazy('wgrid', () => ({ name: `grid ${side(300)} x ${side(300)}, weights 1..100`, model: weighted(gridGraph(side(300), side(300)), 4) }));
const c18 = lazy('c18', () => {
  if (S !== 1) {
    const model = steinlibLike(sc(500), sc(12_500), sc(83), 18);
    return { name: model.name ?? 'steinlib-C-like', model };
  }
  const s = readSteinlib(readFileSync(instancePath('steinlib', 'C', 'c18.stp'), 'utf8'), { name: 'c18' });
  return { name: 'SteinLib c18', model: steiner.createSteinerProblem(s.graph, s.terminals, 'c18') };
});
const mcfInput = () => {
  const model = gravityMcf(weighted(gridGraph(side(40), side(40)), 8), 20, 8);
  return { name: `grid ${side(40)} x ${side(40)}, 20-node gravity (${model.demand.length} commodities)`, model };
};

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
  gap: lazy('gap', () => ({ name: `Chu-Beasley D ${sc(20)} x ${sc(200)}`, model: assignment.generateGap('D', sc(20), sc(200), 1) })),
  schedule: lazy('schedule', () => ({ name: `generateSchedule ${sc(2000)} x 50, ${sc(4000)} pairs`, model: assignment.generateSchedule({ workloads: sc(2000), clusters: 50, pairs: sc(4000), seed: 2050 }) })),
  replicas: lazy('replicas', () => ({
    name: `generateReplicas ${sc(200)} clusters x 50 workloads`,
    model: assignment.createReplicaModel(assignment.generateReplicas({ clusters: sc(200), workloads: 50, seed: 5, replicas: [20, 60], regions: 8, zonesPerRegion: 3, freeCpu: [2, 24] })),
  })),
  steiner: c18,
  fiedler: power,
  partition: power,
  shapley: lazy('shapley', () => ({ name: `cubic game, ${players(24)} players`, model: slowGame(players(24)) })),
  banzhaf: lazy('banzhaf', () => ({ name: `cubic game, ${players(24)} players`, model: slowGame(players(24)) })),
  nucleolus: lazy('nucleolus', () => ({ name: `popcount game, ${players(14)} players`, model: popcountGame(players(14)) })),
  'least-core': lazy('least-core', () => ({ name: `popcount game, ${players(16)} players`, model: popcountGame(players(16)) })),
  vcg: lazy('vcg', () => ({ name: `CATS-like arbitrary, ${sc(2000)} bids x 100 items`, model: catsLike('arbitrary', sc(2000), 100, 1340) })),
  auction: lazy('auction', () => ({ name: `one item x 500 units, ${sc(20_000)} bids, ${sc(5000)} asks`, model: singleItemMarket(sc(20_000), 500, sc(5000)) })),
  'pareto:placement': e300,
  'pareto:multi-objective': lazy('zdt', () => ({ name: `ZDT1 (${sc(30)} variables), 10^6 evaluations`, model: pareto.zdt1(sc(30)), options: { maxEvaluations: 1_000_000 } })),
  mincostflow: lazy('mincostflow', () => ({ name: `grid network ${side(300)} x ${side(300)} (${Math.round((4 * side(300) * (side(300) - 1)) / 1000)}k arcs)`, model: gridNetwork(side(300), 3) })),
  gomoryhu: lazy('gomoryhu', () => ({ name: `grid ${side(100)} x ${side(100)}, weights 1..100`, model: weighted(gridGraph(side(100), side(100)), 6) })),
  mcf: lazy('mcf', mcfInput),
  'link-upgrade': lazy('link-upgrade', () => {
    const { name, model } = mcfInput();
    return { name: `${name}, unit cost 1`, model, options: { unitCost: new Float64Array(model.graph.m).fill(1) } };
  }),
  mst: power,
  maxflow: lazy('maxflow', () => ({ ...wgrid(), options: { source: '0', sink: String(side(300) * side(300) - 1) } })),
};

/** Methods that need an input of their own structure. */
export const methodInputs: Record<string, () => Input> = {
  // The multi-objective methods (sweep.ts finds them by model kind; sweepInput by method).
  'pareto:nsga2': () => inputs['pareto:multi-objective']!(),
  'pareto:nsga3': () => inputs['pareto:multi-objective']!(),
  'shapley:weighted-voting': lazy('voting', () => ({ name: `weighted voting, ${sc(200)} players`, model: votingGame(sc(200)) })),
  'shapley:airport': lazy('airport', () => ({ name: `airport game, ${sc(200)}k players`, model: airport(sc(200_000)) })),
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

