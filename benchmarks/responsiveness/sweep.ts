/**
 * Responsiveness sweep (issue 13, item 1): EVERY registered method, not only the slowest
 * one per family (that is run.ts), on a large input of its model kind, in the caller's
 * thread:
 *   - one run with timeLimitMs = 1 s: elapsed, whether the limit was met (10 % + 50 ms),
 *     and the longest event-loop stall;
 *   - ABORTS runs (8; 3 with --quick) aborted by a timer at a seeded random moment in
 *     [0, min(elapsed of the 1 s run, 1 s)] (so setup phases are hit too); latency = from the
 *     moment the abort was DUE to the promise settling (a blocked loop delays the timer
 *     callback, and that delay is latency too); whether a solution (the incumbent) came back;
 *     the longest event-loop stall (1 ms setInterval probe: the longest gap minus 1 ms).
 * Methods that finish the 1 s run in under 2 ms are not aborted (nothing to interrupt); one
 * that overran its 1 s limit threefold is aborted only twice.
 * Offenders (abort p99 > 50 ms, stall > 50 ms, or a missed time limit) are printed sorted by
 * abort p99. Writes benchmarks/results/responsiveness-sweep.json (-quick with --quick; a run with
 * --only writes responsiveness-sweep-partial.json, not committed).
 * Run: flock /tmp/bench.lock nice -n 5 npx tsx benchmarks/responsiveness/sweep.ts [--quick]
 *      [--only family[:method],...] [--aborts N]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { airportGame, createGame, createMarket, createPlacementModel, hasSolution, Rng, solve, type GameModel, type Graph, type Result } from '@emplace/core';
import * as facility from '@emplace/facility';
import * as kcenter from '@emplace/kcenter';
import * as assignment from '@emplace/assignment';
import * as steiner from '@emplace/steiner';
import * as spectral from '@emplace/spectral';
import * as mechanism from '@emplace/mechanism';
import * as pareto from '@emplace/pareto';
import * as flows from '@emplace/flows';
import * as graph from '@emplace/graph';
import { readSteinlib } from '@emplace/io';
import { instancePath, printTable, writeResults, type Cell } from '../lib/instances.js';
import { generateCapLike } from '../facility/generate.js';
import { gridGraph, powerLawGraph } from '../spectral/generators.js';
import { gravityCommodities } from '../lib/gravity.js';
import { catsLike } from '../mechanism/cats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const argOf = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ABORTS = Number(argOf('--aborts') ?? (quick ? 3 : 8));
const only = argOf('--only')?.split(',');
const LIMIT_MS = 1000;
/** A method that ignores the abort runs to this limit (and then to its own end). */
const ABORT_RUN_LIMIT_MS = 2000;
const rng = new Rng(1313);

// ------------------------------------------------------------------ inputs

interface Input {
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

function euclidean(n: number, seed: number) {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
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
const popcountGame = (n: number): GameModel =>
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

function votingGame(n: number): GameModel {
  const r = new Rng(7);
  const weights = Array.from({ length: n }, () => 1 + r.int(5000));
  const quota = Math.floor(weights.reduce((a, b) => a + b, 0) / 2) + 1;
  return createGame({ players: n, value: () => 0, structure: { type: 'weighted-voting', weights: Float64Array.from(weights), quota } });
}

/** One item, `units` units, `nBids` single-unit bids; `nAsks` asks for the double auction. */
function singleItemMarket(nBids: number, units: number, nAsks: number): { readonly kind: string } {
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
function gridNetwork(side: number, seed: number) {
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
const scen = lazy('scen', () => {
  const model = uncapacitated(50, 500);
  let maxCost = 0;
  for (let t = 0; t < model.cost.length; t++) maxCost = Math.max(maxCost, model.cost[t]!);
  const set = facility.createScenarioSet(model, facility.generateScenarios(model, 200, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 3 * maxCost });
  return { name: 'capb-like 50 x 500, 200 scenarios', model: set };
});
const power = lazy('power', () => ({ name: 'power-law 200k nodes, 1M edges, weights 1..100', model: weighted(powerLawGraph(200_000, 1_000_000, 9), 9) }));
const wgrid = lazy('wgrid', () => ({ name: 'grid 300 x 300, weights 1..100', model: weighted(gridGraph(300, 300), 4) }));
const c18 = lazy('c18', () => {
  const s = readSteinlib(readFileSync(instancePath('steinlib', 'C', 'c18.stp'), 'utf8'), { name: 'c18' });
  return { name: 'SteinLib c18', model: steiner.createSteinerProblem(s.graph, s.terminals, 'c18') };
});

const inputs: Record<string, () => Input> = {
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
const methodInputs: Record<string, () => Input> = {
  'shapley:weighted-voting': lazy('voting', () => ({ name: 'weighted voting, 200 players', model: votingGame(200) })),
  'shapley:airport': lazy('airport', () => {
    const r = new Rng(3);
    const n = 200_000;
    return { name: 'airport game, 200k players', model: airportGame(n, Float64Array.from({ length: n }, () => 1 + r.int(1_000_000))) };
  }),
};

// ------------------------------------------------------------------ measuring

/** The longest gap between turns of a 1 ms interval timer, minus the 1 ms. */
function stallMonitor(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const beat = setInterval(() => {
    const t = performance.now();
    max = Math.max(max, t - last - 1);
    last = t;
  }, 1);
  return {
    stop(): number {
      clearInterval(beat);
      return Math.max(max, performance.now() - last - 1, 0);
    },
  };
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

type Outcome = Result<unknown> | Error;
const describe = (r: Outcome): string => (r instanceof Error ? `error: ${r.name}: ${r.message.slice(0, 80)}` : `${r.status}/${r.stoppedBy}`);

async function timedSolve(model: { readonly kind: string }, options: Record<string, unknown>): Promise<{ result: Outcome; ms: number; stall: number; settledAt: number }> {
  const mon = stallMonitor();
  const t0 = performance.now();
  let result: Outcome;
  try {
    result = await solve(model, options);
  } catch (e) {
    result = e instanceof Error ? e : new Error(String(e));
  }
  const settledAt = performance.now();
  return { result, ms: settledAt - t0, stall: mon.stop(), settledAt };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

interface Row {
  method: string;
  input: string;
  'limit 1 s: elapsed ms': number;
  'limit 1 s: met': boolean;
  'limit 1 s: outcome': string;
  'limit 1 s: stall ms': number;
  aborted: number;
  'abort p50 ms': number | null;
  'abort p99 ms': number | null;
  'abort max ms': number | null;
  'stall max ms': number;
  'solution after abort': string;
  outcomes: string;
  [k: string]: Cell;
}

const tables = [facility, kcenter, assignment, steiner, spectral, mechanism, pareto, flows, graph].flatMap((m) => [...m.methodTables]);
const loadBefore = loadavg();
const t00 = performance.now();
// HiGHS loads its WebAssembly on first use: keep that out of the first method's numbers.
await solve(euclidean(30, 1), { method: 'ufl:mip', timeLimitMs: 2000 });

const rows: Row[] = [];
for (const table of tables) {
  const key = table.family === 'pareto' ? `pareto:${table.modelKind}` : table.family;
  for (const spec of table.methods) {
    const method = `${table.family}:${spec.method}`;
    const make = methodInputs[method] ?? inputs[key];
    if (only && !only.some((o) => o === table.family || o === method)) continue;
    if (!make) {
      console.error(`${method}: no input for ${key}`);
      continue;
    }
    let input: Input;
    try {
      input = make();
    } catch (e) {
      console.error(`${method}: input failed: ${(e as Error).message}`);
      continue;
    }
    const base = { ...input.options, method, seed: 1 };
    const lim = await timedSolve(input.model, { ...base, timeLimitMs: LIMIT_MS });
    const converged = !(lim.result instanceof Error) && lim.result.stoppedBy === 'converged';
    const latencies: number[] = [];
    const stalls: number[] = [lim.stall];
    const outcomes = new Set<string>();
    let withSolution = 0;
    const window = Math.min(lim.ms, LIMIT_MS);
    // A method that overran its 1 s limit threefold is an offender already: two aborts show
    // by how much, and keep the sweep within its few minutes.
    const aborts = window < 2 ? 0 : lim.ms > 3 * LIMIT_MS ? Math.min(2, ABORTS) : ABORTS;
    for (let k = 0; k < aborts; k++) {
      const ctl = new AbortController();
      const at = rng.next() * window;
      const dueAt = performance.now() + at;
      const timer = setTimeout(() => ctl.abort(), at);
      const run = await timedSolve(input.model, { ...base, signal: ctl.signal, timeLimitMs: ABORT_RUN_LIMIT_MS });
      clearTimeout(timer);
      stalls.push(run.stall);
      // Finished before the abort was due: nothing to measure. (A solve that blocks the loop
      // past the due moment counts, even though the timer callback never got to run.)
      if (run.settledAt <= dueAt) continue;
      latencies.push(run.settledAt - dueAt);
      outcomes.add(describe(run.result));
      if (!(run.result instanceof Error) && hasSolution(run.result)) withSolution++;
    }
    const row: Row = {
      method,
      input: input.name,
      'limit 1 s: elapsed ms': Math.round(lim.ms),
      'limit 1 s: met': converged || lim.ms <= LIMIT_MS * 1.1 + 50,
      'limit 1 s: outcome': describe(lim.result),
      'limit 1 s: stall ms': r1(lim.stall),
      aborted: latencies.length,
      'abort p50 ms': latencies.length ? r1(quantile(latencies, 0.5)) : null,
      'abort p99 ms': latencies.length ? r1(quantile(latencies, 0.99)) : null,
      'abort max ms': latencies.length ? r1(Math.max(...latencies)) : null,
      'stall max ms': r1(Math.max(...stalls)),
      'solution after abort': `${withSolution}/${latencies.length}`,
      outcomes: [...outcomes].join(', '),
    };
    rows.push(row);
    console.error(
      `${method} [${input.name}]: 1 s limit ${row['limit 1 s: elapsed ms']} ms (${row['limit 1 s: outcome']}), abort p99 ${row['abort p99 ms']} ms over ${latencies.length}, stall max ${row['stall max ms']} ms, solution ${row['solution after abort']} (${((performance.now() - t00) / 1000).toFixed(0)} s)`,
    );
  }
}

/** A ModelError (size guard, unsupported input) is an honest refusal, not an offence. */
const offends = (r: Row): boolean => (r['abort p99 ms'] ?? 0) > 50 || r['stall max ms'] > 50 || !r['limit 1 s: met'] || (r['limit 1 s: outcome'].startsWith('error') && !r['limit 1 s: outcome'].startsWith('error: ModelError'));
const offenders = rows.filter(offends).sort((a, b) => (b['abort p99 ms'] ?? 0) - (a['abort p99 ms'] ?? 0) || b['stall max ms'] - a['stall max ms']);
const cols = ['method', 'input', 'aborted', 'abort p50 ms', 'abort p99 ms', 'abort max ms', 'stall max ms', 'solution after abort', 'limit 1 s: elapsed ms', 'limit 1 s: met', 'limit 1 s: outcome'];
console.log(`\nAll methods (${rows.length})\n`);
printTable(rows, cols);
console.log(`\nOffenders (abort p99 > 50 ms, stall > 50 ms, 1 s limit missed, or an error): ${offenders.length}\n`);
printTable(offenders, cols);
// A partial run (--only) prints its table but leaves the committed results alone.
const file = writeResults(only ? 'responsiveness-sweep-partial' : quick ? 'responsiveness-sweep-quick' : 'responsiveness-sweep', {
  rows,
  offenders: offenders.map((r) => r.method),
  summary: {
    methods: rows.length,
    offenders: offenders.length,
    'worst abort p99 ms': Math.max(...rows.map((r) => r['abort p99 ms'] ?? 0)),
    'worst stall max ms': Math.max(...rows.map((r) => r['stall max ms'])),
    'time limits missed': rows.filter((r) => !r['limit 1 s: met']).map((r) => r.method),
    'no solution after some abort': rows.filter((r) => r.aborted > 0 && !r['solution after abort'].startsWith(`${r.aborted}/`)).map((r) => r.method),
    seconds: Math.round((performance.now() - t00) / 1000),
  },
  load: { loadAverageBefore: loadBefore.map(r1), loadAverageAfter: loadavg().map(r1), quick, aborts: ABORTS },
  notes: [
    'In the caller\'s thread; abort moments uniform in [0, min(elapsed of the 1 s run, 1 s)], seeded (Rng 1313); latency from the moment the abort was due to the promise settling.',
    'stall = longest gap of a 1 ms setInterval minus 1 ms, over the 1 s-limit run and every abort run of the method.',
    'A method with no solution after an abort may have been aborted before its first plan (setup phase): see outcomes.',
    'Measured on a shared 2-core machine: see load; every latency includes time the process was not scheduled.',
  ],
});
console.log(`\nwrote ${file}`);
