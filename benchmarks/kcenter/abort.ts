/**
 * k-center abort latency (issue 13): kcenter:exact in-thread on a Euclidean 500 x 500
 * instance (k = 10, the case of benchmarks/responsiveness), aborted at random moments
 * between 50 ms and 2 s; latency counts from the moment the abort was due (a blocked event
 * loop delays the timer, and that delay is latency too). Also the longest event-loop stall
 * and the phase the solver reported last before the abort.
 *
 *   pnpm exec tsx --conditions=source benchmarks/kcenter/abort.ts [--repeats N] [--n 500] [--k 10]
 *
 * Writes benchmarks/results/kcenter-abort.json. HiGHS solves of the cover MIP run in
 * @emplace/lp's worker, so an abort that lands inside one terminates it; `over50ms` lists
 * any abort slower than 50 ms with the phase it fell in.
 */
import { loadavg } from 'node:os';
import { hasSolution, Rng } from '@emplace/core';
import { solveKCenter } from '@emplace/kcenter';
import { writeResults } from '../lib/instances.js';
import { quantile, withStallMonitor } from '../lib/abort-measure.js';
import { euclidean } from '../responsiveness/inputs.js';

const argv = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const repeats = flag('--repeats', 30);
const n = flag('--n', 500);
const k = flag('--k', 10);

const model = euclidean(n, 3);
const rng = new Rng(7);
const latencies: number[] = [];
const stalls: number[] = [];
const slow: string[] = [];
let withIncumbent = 0;
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
    solveKCenter(model, { method: 'exact', k, signal: ctl.signal, timeLimitMs: 30_000, onProgress: (e) => (phase = `${e.phase}${e.message ? `: ${e.message.slice(0, 60)}` : ''}`) }),
  );
  const settled = performance.now();
  clearTimeout(timer);
  stalls.push(stall);
  if (!fired) continue;
  const latency = settled - dueAt;
  latencies.push(latency);
  if (hasSolution(r)) withIncumbent++;
  if (latency > 50) slow.push(`${latency.toFixed(0)} ms at ${at.toFixed(0)} ms (last phase ${phaseAtAbort})`);
}
const r1 = (x: number): number => Math.round(x * 10) / 10;
const summary = {
  // 1-minute load average at the end (2 cores): above 2, every figure is inflated by other jobs.
  'load average': r1(loadavg()[0]!),
  input: `Euclidean ${n} x ${n}, k = ${k}`,
  repeats,
  aborted: latencies.length,
  'abort p50 ms': r1(quantile(latencies, 0.5)),
  'abort p99 ms': r1(quantile(latencies, 0.99)),
  'abort max ms': r1(Math.max(...latencies)),
  'stall max ms': r1(Math.max(...stalls)),
  'aborted with a solution': withIncumbent,
};
console.log(JSON.stringify({ ...summary, over50ms: slow }, null, 2));
const file = writeResults('kcenter-abort', { rows: slow.map((s) => ({ over50ms: s })), summary });
console.log(`results: ${file}`);
