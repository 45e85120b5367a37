/**
 * Steiner tree benchmark: SteinLib instances, every method (or the ones asked for), cost vs
 * the published optimum; plus Dijkstra on a generated 1M-edge graph and MST speed on the
 * largest shared graphs.
 *
 *   pnpm exec tsx --conditions=source benchmarks/steiner/run.ts           # full run (B and C)
 *   pnpm exec tsx --conditions=source benchmarks/steiner/run.ts --quick   # B + c01-c05
 *   ... run.ts --sets D,E --methods auto --time-limit 30000 --no-kernels
 *
 * Flags: `--sets B,C,D,E` (D and E are not in the shared instances: they are read from
 * `$STEINLIB_EXTRA/<set>/*.stp` with optima in `$STEINLIB_EXTRA/optima.json`, and skipped
 * with a message when absent), `--methods auto,heuristic`, `--time-limit <ms>` (for 'auto',
 * 'heuristic' and 'mip'; default 2 s on B, 9 s on C, 10 s on D and E), `--only d18,e18`,
 * `--quick` (B + the first five of every other set), `--no-kernels`, `--out <name>` (results file),
 * `--merge` (keep the previous file's rows of the sets not measured now). Timings taken while
 * other processes load the machine are inflated.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGraph, Rng, type Graph } from '@emplace/core';
import { dijkstra, kruskal, prim } from '@emplace/graph';
import { readInstanceFile, readSteinlib } from '@emplace/io';
import { createSteinerProblem, solveSteiner, STEINER_METHODS, type SteinerMethod } from '@emplace/steiner';
import { gapPercent, instancePath, printTable, readOptima, resultsDir, timed, writeResults, type Cell, type OptimumEntry } from '../lib/instances.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const quick = argv.includes('--quick');
const list = (name: string, fallback: string[]): string[] => flag(name)?.split(',').filter((x) => x.length > 0) ?? fallback;
const METHODS = list('--methods', ['kmb', 'mehlhorn', 'sph', 'local-search', 'heuristic', 'auto']) as SteinerMethod[];
for (const m of METHODS) if (!(STEINER_METHODS as readonly string[]).includes(m)) throw new Error(`unknown method ${m}`);
const SETS = list('--sets', ['B', 'C']);
const ONLY = new Set(list('--only', []));
const limitFlag = flag('--time-limit');
const LIMIT_MS: Record<string, number> = { B: 2000, C: 9000, D: 10_000, E: 10_000 };
const limitOf = (set: string): number => (limitFlag !== undefined ? Number(limitFlag) : (LIMIT_MS[set] ?? 10_000));
const extra = process.env.STEINLIB_EXTRA;
const optima: Record<string, OptimumEntry> = { ...readOptima('steinlib') };
if (extra && existsSync(join(extra, 'optima.json'))) Object.assign(optima, JSON.parse(readFileSync(join(extra, 'optima.json'), 'utf8')) as Record<string, OptimumEntry>);
const setDir = (set: string): string | undefined => {
  const shared = instancePath('steinlib', set);
  if (existsSync(shared)) return shared;
  if (extra && existsSync(join(extra, set))) return join(extra, set);
  console.error(`set ${set}: not in the shared instances and no $STEINLIB_EXTRA/${set}: skipped`);
  return undefined;
};

const rows: Record<string, Cell>[] = [];
for (const set of SETS) {
  const dir = setDir(set);
  if (!dir) continue;
  let files = readdirSync(dir).filter((f) => f.endsWith('.stp')).sort();
  if (quick && set !== 'B') files = files.slice(0, 5);
  if (ONLY.size > 0) files = files.filter((f) => ONLY.has(f.replace(/\.stp$/, '')));
  for (const file of files) {
    const name = file.replace(/\.stp$/, '');
    const inst = readSteinlib(readFileSync(join(dir, file), 'utf8'), { name });
    const problem = createSteinerProblem(inst.graph, inst.terminals, name);
    const optimum = optima[name]!.value;
    let kmbCost = NaN;
    for (const method of METHODS) {
      const limited = method === 'auto' || method === 'heuristic' || method === 'mip';
      const { value: r, ms } = await timed(() => solveSteiner(problem, limited ? { method, timeLimitMs: limitOf(set) } : { method }));
      const objective = r.objective ?? NaN;
      if (method === 'kmb') kmbCost = objective;
      rows.push({
        set,
        instance: name,
        nodes: inst.graph.n,
        edges: inst.graph.m,
        terminals: inst.terminals.length,
        method,
        objective,
        optimum,
        'gap %': gapPercent(objective, optimum),
        bound: r.bound ?? null,
        proved: r.status === 'optimal',
        'time ms': Math.round(ms),
        'vs kmb %': gapPercent(objective, kmbCost),
      });
    }
    const mine = rows.filter((r) => r['instance'] === name);
    console.error(`${name}: ${mine.map((r) => `${r['method']}=${r['objective']}${r['proved'] ? '*' : ''}`).join(' ')} (opt ${optimum})`);
  }
}
console.log('\nSteinLib: every method on every instance (gap % to the published optimum; proved = optimality proven by the method)\n');
printTable(rows);

const summary: Record<string, Cell>[] = [];
for (const set of SETS) {
  for (const method of METHODS) {
    const rs = rows.filter((r) => r['set'] === set && r['method'] === method);
    if (rs.length === 0) continue;
    const gaps = rs.map((r) => r['gap %'] as number);
    const times = rs.map((r) => r['time ms'] as number);
    summary.push({
      set,
      method,
      instances: rs.length,
      'avg gap %': gaps.reduce((a, b) => a + b, 0) / gaps.length,
      'max gap %': Math.max(...gaps),
      'optimal found': gaps.filter((x) => Math.abs(x) < 1e-9).length,
      proved: rs.filter((r) => r['proved']).length,
      'avg vs kmb %': rs.reduce((a, r) => a + (r['vs kmb %'] as number), 0) / rs.length,
      'time limit ms': METHODS.length > 0 && (method === 'auto' || method === 'heuristic' || method === 'mip') ? limitOf(set) : null,
      'avg time ms': Math.round(times.reduce((a, b) => a + b, 0) / times.length),
      'max time ms': Math.max(...times),
    });
  }
}
console.log('\nSummary per set and method (avg vs kmb % < 0: better than plain KMB on average)\n');
printTable(summary);

// Graph kernels: Dijkstra on a generated 1M-edge graph, MST on the largest graphs.
function randomGraph(n: number, m: number, seed: number): Graph {
  const rng = new Rng(seed);
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const w = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    // A random spanning path first (connected), then uniform random edges.
    if (e < n - 1) {
      u[e] = e;
      v[e] = e + 1;
    } else {
      u[e] = rng.int(n);
      do v[e] = rng.int(n);
      while (v[e] === u[e]);
    }
    w[e] = 1 + rng.int(1000);
  }
  return createGraph({ n, edges: { u, v, w } });
}
const kernels: Record<string, Cell>[] = [];
if (!argv.includes('--no-kernels')) {
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const big = randomGraph(250_000, 1_000_000, 1);
{
  const times: number[] = [];
  let reached = 0;
  for (let i = 0; i < 5; i++) {
    const { value, ms } = await timed(() => dijkstra(big, i * 1000));
    times.push(ms);
    reached = value.settled;
  }
  kernels.push({ kernel: 'dijkstra (one source)', graph: 'random n=250k m=1M', nodes: big.n, edges: big.m, 'median ms': median(times), note: `${reached} nodes settled` });
}
const ca = await readInstanceFile(instancePath('graphs', 'CA-GrQc.txt.gz'), 'edge-list');
const caGraph = ca.format === 'edge-list' ? ca.data.graph : undefined;
const c20 = readSteinlib(readFileSync(instancePath('steinlib', 'C', 'c20.stp'), 'utf8')).graph;
for (const [label, g] of [['random n=250k m=1M', big], ['CA-GrQc (SNAP)', caGraph], ['SteinLib c20', c20]] as const) {
  if (!g) continue;
  for (const [algo, f] of [['kruskal', kruskal], ['prim', prim]] as const) {
    const times: number[] = [];
    let weight = 0;
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(() => f(g));
      times.push(ms);
      weight = value.weight;
    }
    kernels.push({ kernel: `mst ${algo}`, graph: label, nodes: g.n, edges: g.m, 'median ms': median(times), note: `weight ${weight}` });
  }
}
console.log('\nGraph kernels (@emplace/graph)\n');
printTable(kernels);
}

// --merge: keep the previous results of the sets this run did not measure (e.g. B and C when
// re-running D and E), and its kernels when this run skipped them.
const out = flag('--out') ?? 'steiner';
let payload: { rows: Record<string, Cell>[]; summary: Record<string, unknown>; kernels: Record<string, Cell>[]; runs?: unknown[] } = {
  rows,
  summary: Object.fromEntries(summary.map((s) => [`${s['set']}:${s['method']}`, s])),
  kernels,
};
const previousFile = join(resultsDir(), `${out}.json`);
if (argv.includes('--merge') && existsSync(previousFile)) {
  const prev = JSON.parse(readFileSync(previousFile, 'utf8')) as typeof payload;
  const measured = new Set(SETS);
  payload = {
    rows: [...prev.rows.filter((r) => !measured.has(String(r['set']))), ...rows],
    summary: { ...Object.fromEntries(Object.entries(prev.summary).filter(([k]) => !measured.has(k.split(':')[0]!))), ...payload.summary },
    kernels: kernels.length > 0 ? kernels : prev.kernels,
    runs: [...(prev.runs ?? []), { sets: SETS, methods: METHODS, timeLimitMs: limitFlag ?? null, quick }],
  };
}
const file = writeResults(out, { ...payload, quick, sets: SETS, methods: METHODS, timeLimitMs: limitFlag ?? null });
console.log(`\nwrote ${file}`);
