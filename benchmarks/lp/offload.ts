/**
 * Cost of running HiGHS in a worker (issue 13 / 17): per-solve wall time in the caller's
 * thread vs in the HiGHS worker (@emplace/lp `offload`), on small models where the round
 * trip is all the difference, after both runtimes are loaded; and the worker's cold start.
 * Run: pnpm bench lp/offload   (tsx --conditions=source benchmarks/lp/offload.ts)
 */
import { loadavg } from 'node:os';
import { Rng } from '@emplace/core';
import { closeHighsWorkers, LinearModel, solveLp, warmHighsWorker, type LpOffload } from '@emplace/lp';
import { printTable, writeResults, type Cell } from '../lib/instances.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 40 : 200;

function tinyLp(): LinearModel {
  const lp = new LinearModel('min');
  const a = lp.addVariable({ obj: 1 });
  const b = lp.addVariable({ obj: 1 });
  lp.addGe([a, b], [1, 2], 3);
  lp.addGe([a, b], [2, 1], 3);
  return lp;
}

function knapsack(n: number, mip: boolean, seed: number): LinearModel {
  const rng = new Rng(seed);
  const lm = new LinearModel('max');
  const idx = Int32Array.from({ length: n }, () => lm.addVariable({ type: mip ? 'binary' : 'continuous', lb: 0, ub: 1, obj: 1 + Math.floor(rng.next() * 50) }));
  lm.addLe(idx, Float64Array.from({ length: n }, () => 1 + Math.floor(rng.next() * 30)), 8 * n);
  lm.addLe(idx, Float64Array.from({ length: n }, () => 1 + Math.floor(rng.next() * 30)), 7 * n);
  return lm;
}

/** A capacitated facility-location MIP of cap41's size (16 sites x 50 clients), random points. */
function cflMip(sites: number, clients: number, seed: number, relax = false): LinearModel {
  const rng = new Rng(seed);
  const pts = Array.from({ length: sites + clients }, () => [rng.next() * 100, rng.next() * 100] as const);
  const demand = Array.from({ length: clients }, () => 5 + Math.floor(rng.next() * 30));
  const cap = Math.ceil((2.5 * demand.reduce((a, b) => a + b, 0)) / sites);
  const lm = new LinearModel('min');
  const y = Array.from({ length: sites }, () => lm.addVariable({ type: relax ? 'continuous' : 'binary', lb: 0, ub: 1, obj: 3000 + Math.floor(rng.next() * 2000) }));
  const x: number[][] = [];
  for (let i = 0; i < sites; i++) {
    x.push([]);
    for (let j = 0; j < clients; j++) x[i]!.push(lm.addVariable({ lb: 0, ub: 1, obj: demand[j]! * Math.hypot(pts[i]![0] - pts[sites + j]![0], pts[i]![1] - pts[sites + j]![1]) }));
  }
  for (let j = 0; j < clients; j++) lm.addEq(x.map((r) => r[j]!), new Array<number>(sites).fill(1), 1);
  for (let i = 0; i < sites; i++) lm.addLe([...x[i]!, y[i]!], [...demand, -cap], 0);
  for (let i = 0; i < sites; i++) for (let j = 0; j < clients; j++) lm.addLe([x[i]![j]!, y[i]!], [1, -1], 0);
  return lm;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

const loadBefore = loadavg();
let t = performance.now();
await warmHighsWorker();
const coldStartMs = performance.now() - t;
const cases: [string, LinearModel, number][] = [
  ['LP 2 x 2', tinyLp(), RUNS],
  ['LP knapsack 12 vars', knapsack(12, false, 1), RUNS],
  ['MIP knapsack 12 vars', knapsack(12, true, 2), RUNS],
  ['LP relaxation CFL 16 x 50 (cap41 size)', cflMip(16, 50, 3, true), Math.ceil(RUNS / 4)],
  ['MIP CFL 16 x 50 (cap41 size)', cflMip(16, 50, 3), Math.ceil(RUNS / 10)],
];
const rows: Record<string, Cell>[] = [];
for (const [name, model, runs] of cases) {
  const row: Record<string, Cell> = { model: name, nonzeros: model.compile().rowIndex.length };
  for (const offload of ['thread', 'worker'] as LpOffload[]) {
    for (let k = 0; k < 3; k++) await solveLp(model, { offload });
    const times: number[] = [];
    let status = '';
    for (let k = 0; k < runs; k++) {
      t = performance.now();
      const r = await solveLp(model, { offload });
      times.push(performance.now() - t);
      status = r.status;
    }
    row[`${offload} ms (median)`] = r3(median(times));
    row[`${offload} status`] = status;
  }
  row['worker - thread ms'] = r3(Number(row['worker ms (median)']) - Number(row['thread ms (median)']));
  rows.push(row);
}
closeHighsWorkers();
printTable(rows);
const file = writeResults('responsiveness-offload', {
  rows,
  summary: { 'worker cold start ms (HiGHS load in a new thread)': Math.round(coldStartMs), 'runs per model': RUNS },
  load: { loadAverageBefore: loadBefore.map((x) => Math.round(x * 10) / 10), loadAverageAfter: loadavg().map((x) => Math.round(x * 10) / 10), quick },
  notes: ['Medians after 3 warm-up solves per mode; both HiGHS runtimes loaded. offload auto sends MIPs and LPs with >= 5000 nonzeros to the worker on the main thread.'],
});
console.log(`worker cold start ${Math.round(coldStartMs)} ms; wrote ${file}`);
