/**
 * Facility abort latency and time-limit overshoot (issue 13), in the caller's thread:
 *   - CFL on a generated capb-like 100 x 1000 (capacity 5000),
 *   - UFL on a Euclidean 1000 x 1000 with opening costs,
 *   - p-median on a generated pmed40-size graph (900 nodes, p = 90),
 * every method of each family aborted at random moments between 50 ms and 2 s; latency
 * counts from the moment the abort was due (a blocked event loop delays the timer, and
 * that delay is latency too). Also the longest event-loop stall (a 1 ms timer chain), the
 * phase the solver reported last before the abort, and the time-limit overshoot at 1 s
 * (and 10 s with --ten).
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/abort.ts [--repeats 20] [--only cfl:auto,ufl:greedy] [--ten]
 *
 * Writes benchmarks/results/facility-abort.json (one row per method).
 */
import { loadavg } from 'node:os';
import { createPlacementModel, hasSolution, Rng, solve, type PlacementModel, type Result } from '@emplace/core';
import '@emplace/facility';
import { readOrlibPmed } from '@emplace/io';
import { writeResults, type Cell } from '../lib/instances.js';
import { generateCapLike, generatePmedText } from './generate.js';
import { quantile, withStallMonitor } from '../lib/abort-measure.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const repeats = Number(flag('--repeats') ?? 20);
const only = flag('--only')?.split(',');
const ten = argv.includes('--ten');

/** Euclidean UFL: sites = clients = n random points, opening costs in [500, 1500]. */
function euclideanUfl(n: number, seed: number): PlacementModel {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  const openingCost = Float64Array.from({ length: n }, () => Math.round(500 + r.next() * 1000));
  return createPlacementModel({ sites: n, clients: n, cost, openingCost });
}

const METHODS = ['auto', 'greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'mip'];
/** Each family's input is built only when one of its methods runs. */
const families: { family: string; input: string; model: () => PlacementModel; methods: string[]; options?: Record<string, unknown> }[] = [
  { family: 'cfl', input: 'generated capb-like 100 x 1000', model: () => generateCapLike('capb', 5000), methods: METHODS },
  { family: 'ufl', input: 'Euclidean 1000 x 1000', model: () => euclideanUfl(1000, 11), methods: METHODS },
  {
    family: 'pmedian',
    input: 'generated pmed40-size (900 nodes, p = 90)',
    model: () => readOrlibPmed(generatePmedText(900, 16_200, 90, 990), { name: 'gen-pmed-900-90' }).model,
    methods: METHODS.map((m) => (m === 'local-search' ? 'interchange' : m)),
    options: { p: 90 },
  },
];

const r1 = (x: number): number => Math.round(x * 10) / 10;
const rng = new Rng(17);
const rows: Record<string, Cell>[] = [];
for (const fam of families) {
  let model: PlacementModel | undefined;
  for (const m of fam.methods) {
    const method = `${fam.family}:${m}`;
    if (only && !only.includes(method)) continue;
    const familyModel = (model ??= fam.model());
    const latencies: number[] = [];
    const stalls: number[] = [];
    const slow: string[] = [];
    let withIncumbent = 0;
    let finished = 0;
    for (let rep = 0; rep < repeats; rep++) {
      const ctl = new AbortController();
      const at = 50 + rng.next() * 1950;
      const dueAt = performance.now() + at;
      let fired = false;
      const timer = setTimeout(() => {
        fired = true;
        ctl.abort();
      }, at);
      let phase = '';
      let phaseAtAbort = '';
      ctl.signal.addEventListener('abort', () => (phaseAtAbort = phase));
      const { value: r, stall } = await withStallMonitor(() =>
        solve(familyModel, { ...fam.options, method, signal: ctl.signal, timeLimitMs: 60_000, onProgress: (e) => (phase = e.phase) }),
      );
      const settled = performance.now();
      clearTimeout(timer);
      stalls.push(stall);
      if (!fired) {
        finished++;
        continue;
      }
      const latency = settled - dueAt;
      latencies.push(latency);
      if (hasSolution(r)) withIncumbent++;
      if (latency > 50) slow.push(`${latency.toFixed(0)} ms at ${at.toFixed(0)} ms (phase ${phaseAtAbort})`);
    }
    const row: Record<string, Cell> = {
      method,
      input: fam.input,
      aborted: latencies.length,
      'finished before abort': finished,
      'abort p50 ms': r1(quantile(latencies, 0.5)),
      'abort p99 ms': r1(quantile(latencies, 0.99)),
      'abort max ms': latencies.length ? r1(Math.max(...latencies)) : null,
      'stall max ms': r1(Math.max(...stalls)),
      'aborted with a solution': withIncumbent,
      'over 50 ms': slow.join('; '),
    };
    for (const limit of ten ? [1000, 10_000] : [1000]) {
      const { value: r } = await withStallMonitor((): Promise<Result<unknown>> => solve(familyModel, { ...fam.options, method, timeLimitMs: limit }));
      const ms = r.stats.elapsedMs;
      row[`${limit / 1000} s: elapsed ms`] = Math.round(ms);
      row[`${limit / 1000} s: within 10 % + 50 ms`] = ms <= limit * 1.1 + 50;
      row[`${limit / 1000} s: outcome`] = `${r.status}/${r.stoppedBy}`;
    }
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
const summary = {
  // 1-minute load average at the end (2 cores): above 2, every figure is inflated by other jobs.
  'load average': r1(loadavg()[0]!),
  repeats,
  'worst abort p99 ms': r1(Math.max(...rows.map((r) => Number(r['abort p99 ms'])).filter(Number.isFinite))),
  'worst stall ms': r1(Math.max(...rows.map((r) => Number(r['stall max ms'])))),
  'methods over 50 ms p99': rows.filter((r) => Number(r['abort p99 ms']) > 50).map((r) => r['method']).join(', '),
  'time limits missed': rows.filter((r) => r['1 s: within 10 % + 50 ms'] === false || r['10 s: within 10 % + 50 ms'] === false).map((r) => r['method']).join(', '),
};
console.log(JSON.stringify(summary, null, 2));
if (!only) console.log(`results: ${writeResults('facility-abort', { rows, summary })}`);
else console.log('(--only: results not written)');
