/**
 * Placement-front abort latency (issue 13): the evolutionary front (pareto:placement) in
 * this thread on a Euclidean 300 x 300 model (the case of benchmarks/responsiveness),
 * aborted at random moments between 50 ms and 2 s; latency counts from the moment the
 * abort was due. Writes benchmarks/results/pareto-abort.json.
 *
 *   pnpm exec tsx --conditions=source benchmarks/pareto/abort.ts [--repeats N] [--n 300]
 */
import { loadavg } from 'node:os';
import { createPlacementModel, hasSolution, Rng } from '@emplace/core';
import { solvePlacementFront } from '@emplace/pareto';
import { writeResults } from '../lib/instances.js';
import { quantile } from '../lib/abort-measure.js';

const argv = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const repeats = flag('--repeats', 30);
const n = flag('--n', 300);

const rng = new Rng(5);
const x = Float64Array.from({ length: n }, () => rng.next() * 1000);
const y = Float64Array.from({ length: n }, () => rng.next() * 1000);
const cost = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
const model = createPlacementModel({ sites: n, clients: n, cost });

const at = new Rng(7);
const latencies: number[] = [];
let maxStall = 0;
let withFront = 0;
for (let rep = 0; rep < repeats; rep++) {
  const ctl = new AbortController();
  const delay = 50 + at.next() * 1950;
  const dueAt = performance.now() + delay;
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    ctl.abort();
  }, delay);
  let last = performance.now();
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    const t = performance.now();
    maxStall = Math.max(maxStall, t - last - 1);
    last = t;
    ticker = setTimeout(tick, 1);
  };
  ticker = setTimeout(tick, 1);
  const r = await solvePlacementFront(model, { method: 'evolutionary', signal: ctl.signal, timeLimitMs: 30_000, seed: rep + 1 });
  const settled = performance.now();
  clearTimeout(timer);
  clearTimeout(ticker);
  if (!fired) continue;
  latencies.push(settled - dueAt);
  if (hasSolution(r)) withFront++;
}
const r1 = (v: number): number => Math.round(v * 10) / 10;
const summary = {
  // 1-minute load average at the end (2 cores): above 2, every figure is inflated by other jobs.
  'load average': r1(loadavg()[0]!),
  input: `Euclidean ${n} x ${n}, evolutionary front (cost, latency, domains)`,
  repeats,
  aborted: latencies.length,
  'abort p50 ms': r1(quantile(latencies, 0.5)),
  'abort p99 ms': r1(quantile(latencies, 0.99)),
  'abort max ms': r1(Math.max(...latencies)),
  'stall max ms': r1(maxStall),
  'aborted with a front': withFront,
};
console.log(JSON.stringify(summary, null, 2));
console.log(`results: ${writeResults('pareto-abort', { rows: [], summary })}`);
