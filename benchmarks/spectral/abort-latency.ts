/**
 * In-thread abort latency of the graph-family solvers (issue 13): each solve gets an
 * AbortSignal fired by a timer at a random moment of its run (setup phases included);
 * latency = from the moment the timer fired to the promise settling. Also the longest
 * event-loop stall seen by a 1 ms timer chain (p50 / p99 / max over the runs), and what
 * the aborted runs returned (status / stoppedBy). Writes
 * benchmarks/results/abort-latency-graphs.json (all cases) or, with --spectral (the
 * fiedler and partition methods on the large inputs only), abort-latency-spectral.json.
 *
 *   pnpm exec tsx --conditions=source benchmarks/spectral/abort-latency.ts [--quick] [--spectral] [--only fiedler:lobpcg,...]
 */
import { createGraph, Rng, solve, type Graph } from '@emplace/core';
import '@emplace/spectral';
import '@emplace/graph';
import { createFlowNetwork, createMcfProblem } from '@emplace/flows';
import { printTable, resultsDir, writeResults, type Cell } from '../lib/instances.js';
import { gridGraph } from './generators.js';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1]!.split(',') : undefined;
const spectralOnly = argv.includes('--spectral');
const RUNS = quick ? 12 : 40;
const rng = new Rng(2026);

function randomGraph(n: number, m: number, seed: number, weighted: boolean): Graph {
  const r = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let i = 1; i < n; i++) (u.push(r.int(i)), v.push(i), w.push(weighted ? 1 + r.int(20) : 1));
  for (let k = n - 1; k < m; k++) {
    const a = r.int(n);
    const b = r.int(n);
    if (a !== b) (u.push(a), v.push(b), w.push(weighted ? 1 + r.int(20) : 1));
  }
  return createGraph({ n, edges: { u, v, w } });
}

function transport(s: number, c: number, seed: number) {
  const r = new Rng(seed);
  const arcs: { from: number; to: number; capacity: number; cost: number }[] = [];
  const supply = new Array<number>(s + c).fill(0);
  for (let i = 0; i < s; i++) for (let j = 0; j < c; j++) arcs.push({ from: i, to: s + j, capacity: 50, cost: 1 + r.int(100) });
  for (let j = 0; j < c; j++) supply[s + j] = -10;
  for (let i = 0; i < s; i++) supply[i] = (10 * c) / s;
  return createFlowNetwork({ n: s + c, arcs, supply });
}

const grid300 = gridGraph(300, 300);
const big = randomGraph(200_000, 800_000, 5, true);
const million = randomGraph(250_000, 1_000_000, 11, false);
type Case = { method: string; model: { kind: string }; options?: Record<string, unknown>; input: string; spectral?: boolean };
const spectralCases: Case[] = [
  { method: 'fiedler:lobpcg', model: grid300, input: 'grid 300 x 300' },
  { method: 'fiedler:auto', model: grid300, input: 'grid 300 x 300' },
  { method: 'fiedler:auto', model: randomGraph(40_000, 120_000, 3, false), input: 'random 40k nodes, 120k edges' },
  { method: 'fiedler:auto', model: million, input: 'random 250k nodes, 1M edges' },
  { method: 'fiedler:lobpcg', model: million, input: 'random 250k nodes, 1M edges' },
  { method: 'fiedler:dense', model: gridGraph(30, 40), input: 'grid 30 x 40 (1200 nodes, O(n^3))' },
  { method: 'partition:spectral', model: grid300, options: { k: 4 }, input: 'grid 300 x 300, k = 4' },
  { method: 'partition:auto', model: million, options: { k: 2 }, input: 'random 250k nodes, 1M edges, k = 2' },
];
const cases: Case[] = [
  ...spectralCases.map((c) => ({ ...c, spectral: true })),
  { method: 'mst:kruskal', model: big, input: 'random 200k nodes, 800k edges' },
  { method: 'maxflow:dinic', model: big, options: { source: 0, sink: 199_999 }, input: 'random 200k nodes, 800k edges' },
  { method: 'gomoryhu:gusfield', model: randomGraph(1000, 4000, 7, true), input: 'random 1k nodes, 4k edges' },
  { method: 'mincostflow:network-simplex', model: transport(150, 600, 9), input: 'transportation 150 x 600' },
  {
    method: 'mcf:garg-konemann',
    model: createMcfProblem({ graph: gridGraph(60, 60), commodities: Array.from({ length: 200 }, (_, k) => ({ source: (k * 37) % 3600, sink: ((k * 37) % 3600 + 1800 + k) % 3600, demand: 5 })) }),
    input: 'grid 60 x 60, 200 commodities',
  },
];

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (x: number): number => Math.round(x * 10) / 10;

const rows: Record<string, Cell>[] = [];
const before = os.loadavg()[0]!.toFixed(2);
for (const c of cases) {
  if (only && !only.includes(c.method)) continue;
  if (spectralOnly && !c.spectral) continue;
  // One free run to learn how long the solve takes (abort moments are drawn inside it).
  const t0 = performance.now();
  const free = await solve(c.model, { ...c.options, method: c.method, timeLimitMs: 20_000 });
  const fullMs = performance.now() - t0;
  const latencies: number[] = [];
  const stalls: number[] = [];
  const statuses = new Set<string>();
  for (let k = 0; k < RUNS; k++) {
    const ctl = new AbortController();
    const at = rng.next() * Math.max(5, fullMs * 0.9);
    let firedAt = NaN;
    const timer = setTimeout(() => {
      firedAt = performance.now();
      ctl.abort();
    }, at);
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 1);
      last = now;
    }, 1);
    const r = await solve(c.model, { ...c.options, method: c.method, signal: ctl.signal, timeLimitMs: 20_000 });
    const settled = performance.now();
    clearInterval(tick);
    clearTimeout(timer);
    statuses.add(`${r.status}/${r.stoppedBy}`);
    if (!Number.isNaN(firedAt)) latencies.push(settled - firedAt);
    stalls.push(worst);
  }
  const row: Record<string, Cell> = {
    method: c.method,
    input: c.input,
    'full run ms': Math.round(fullMs),
    'free status': free.status,
    aborts: latencies.length,
    'abort p50 ms': round(pct(latencies, 50)),
    'abort p99 ms': round(pct(latencies, 99)),
    'abort max ms': round(Math.max(...latencies)),
    'stall p50 ms': round(pct(stalls, 50)),
    'stall p99 ms': round(pct(stalls, 99)),
    'stall max ms': round(Math.max(...stalls)),
    statuses: [...statuses].join(' '),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
printTable(rows);
const load = `${before} / ${os.loadavg()[0]!.toFixed(2)}`;
const notes = ['in-thread solve(); abort by a timer at a uniformly random moment of a free run; latency from the timer firing to the promise settling', `load average (1 min) before / after: ${load}`];
if (spectralOnly) {
  // --spectral with --only re-measures some cases: their rows replace the same method + input in the file.
  const file = resolve(resultsDir(), 'abort-latency-spectral.json');
  const old = only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { rows: Record<string, Cell>[] }).rows : [];
  const key = (r: Record<string, Cell>) => `${String(r['method'])} | ${String(r['input'])}`;
  const fresh = new Set(rows.map(key));
  for (const r of rows) r['load 1m before/after'] = load;
  const merged = [...old.filter((r) => !fresh.has(key(r))), ...rows];
  writeResults('abort-latency-spectral', { rows: merged, summary: { quick, runsPerMethod: RUNS }, notes });
} else if (!only) writeResults('abort-latency-graphs', { rows, summary: { quick, runsPerMethod: RUNS, loadAverage1mBeforeAfter: load }, notes });
