/**
 * Steiner abort latency in the caller's thread (issue 13): every method of the family on
 * SteinLib c18 (shared instances) and e18 (`$STEINLIB_EXTRA/E/e18.stp`, skipped with a message
 * when absent), aborted by a timer at a random moment in [0, --max-at] ms. Latency counts from
 * the moment the abort was due (a blocked event loop delays the timer, and that delay is
 * latency too) to the promise settling; the longest event-loop stall is taken by a 1 ms timer
 * chain. Each aborted run must come back with a tree (its incumbent) or a clear no-solution
 * status; the phase the solver reported last before the abort is listed for slow aborts. One
 * warm-up solve first (HiGHS loaded, code compiled), as in a long-running host.
 *
 *   pnpm exec tsx --conditions=source benchmarks/steiner/abort-latency.ts [--repeats 20] [--max-at 3000] [--only auto,kmb] [--instances c18,e18]
 *
 * Writes benchmarks/results/steiner-abort.json (one row per instance and method) unless --only is given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { hasSolution, Rng, solve } from '@emplace/core';
import { readSteinlib } from '@emplace/io';
import { warmHighsWorker } from '@emplace/lp';
import { createSteinerProblem, STEINER_METHODS, type SteinerProblem } from '@emplace/steiner';
import { instancePath, writeResults, type Cell } from '../lib/instances.js';
import { quantile, withStallMonitor } from '../lib/abort-measure.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const repeats = Number(flag('--repeats') ?? 20);
const maxAt = Number(flag('--max-at') ?? 3000);
const only = flag('--only')?.split(',');
const names = (flag('--instances') ?? 'c18,e18').split(',');

function instanceFile(name: string): string | undefined {
  const set = name[0]!.toUpperCase();
  const shared = instancePath('steinlib', set, `${name}.stp`);
  if (existsSync(shared)) return shared;
  const extra = process.env.STEINLIB_EXTRA;
  if (extra && existsSync(join(extra, set, `${name}.stp`))) return join(extra, set, `${name}.stp`);
  console.error(`${name}: not in the shared instances and no $STEINLIB_EXTRA/${set}/${name}.stp: skipped`);
  return undefined;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
// Warm-up, as a long-running host would be: HiGHS loaded in this thread (the cut MIP's small
// LPs run here) and its worker started, and the solver code compiled. Without it the first
// aborted run pays the one-time load (hundreds of ms) and reports it as latency.
await warmHighsWorker();
await solve(createSteinerProblem(readSteinlib(readFileSync(instancePath('steinlib', 'B', 'b01.stp'), 'utf8')).graph, [0, 1, 2, 3, 4]), { method: 'steiner:mip', timeLimitMs: 2000 });
const rng = new Rng(17);
const rows: Record<string, Cell>[] = [];
for (const name of names) {
  const file = instanceFile(name);
  if (!file) continue;
  const inst = readSteinlib(readFileSync(file, 'utf8'), { name });
  const problem: SteinerProblem = createSteinerProblem(inst.graph, inst.terminals, name);
  for (const m of STEINER_METHODS) {
    if (only && !only.includes(m)) continue;
    const method = `steiner:${m}`;
    const latencies: number[] = [];
    const stalls: number[] = [];
    const slow: string[] = [];
    let withTree = 0;
    let finished = 0;
    let refused = '';
    for (let rep = 0; rep < repeats && !refused; rep++) {
      const ctl = new AbortController();
      const at = rng.next() * maxAt;
      const dueAt = performance.now() + at;
      let fired = false;
      const timer = setTimeout(() => {
        fired = true;
        ctl.abort();
      }, at);
      let phase = 'setup';
      let phaseAtAbort = '';
      ctl.signal.addEventListener('abort', () => (phaseAtAbort = phase));
      let outcome: { value: Awaited<ReturnType<typeof solve>>; stall: number };
      try {
        outcome = await withStallMonitor(() => solve(problem, { method, signal: ctl.signal, timeLimitMs: 60_000, onProgress: (e) => (phase = e.phase) }));
      } catch (err) {
        // Dreyfus-Wagner refuses instances with many terminals (a ModelError before any work).
        clearTimeout(timer);
        refused = err instanceof Error ? err.message : String(err);
        break;
      }
      const settled = performance.now();
      clearTimeout(timer);
      stalls.push(outcome.stall);
      if (!fired) {
        finished++;
        continue;
      }
      const latency = settled - dueAt;
      latencies.push(latency);
      const r = outcome.value;
      if (hasSolution(r)) withTree++;
      else if (r.status !== 'no-solution') throw new Error(`${method} on ${name}: aborted run returned status ${r.status} without a tree`);
      if (latency > 50) slow.push(`${latency.toFixed(0)} ms at ${at.toFixed(0)} ms (phase ${phaseAtAbort})`);
    }
    const row: Record<string, Cell> = {
      instance: name,
      nodes: inst.graph.n,
      edges: inst.graph.m,
      terminals: inst.terminals.length,
      method,
      aborted: latencies.length,
      'finished before abort': finished,
      'abort p50 ms': latencies.length ? r1(quantile(latencies, 0.5)) : null,
      'abort p99 ms': latencies.length ? r1(quantile(latencies, 0.99)) : null,
      'abort max ms': latencies.length ? r1(Math.max(...latencies)) : null,
      'stall max ms': stalls.length ? r1(Math.max(...stalls)) : null,
      'aborted with a tree': withTree,
      'over 50 ms': refused ? `refused: ${refused}` : slow.join('; '),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
const measured = rows.filter((r) => r['abort p99 ms'] !== null);
const summary = {
  // 1-minute load average at the end (2 cores): above 2, every figure is inflated by other jobs.
  'load average': r1(loadavg()[0]!),
  repeats,
  'abort window ms': maxAt,
  'worst abort p99 ms': r1(Math.max(...measured.map((r) => Number(r['abort p99 ms'])))),
  'worst abort max ms': r1(Math.max(...measured.map((r) => Number(r['abort max ms'])))),
  'worst stall ms': r1(Math.max(...measured.map((r) => Number(r['stall max ms'])))),
  'over 50 ms p99': measured.filter((r) => Number(r['abort p99 ms']) > 50).map((r) => `${r['instance']} ${r['method']}`).join(', '),
};
console.log(JSON.stringify(summary, null, 2));
if (!only) console.log(`results: ${writeResults('steiner-abort', { rows, summary })}`);
else console.log('(--only: results not written)');
