/**
 * Responsiveness benchmark (issue 13): for the slowest method of each family, on a large
 * input,
 *   - abort latency: an AbortSignal fired by a timer at a random moment; latency = from the
 *     moment the abort was due to the solve's promise settling (p50 / p99 / max);
 *   - event-loop stall while the solve runs (a 1 ms timer chain: p50 / p99 / max of the
 *     extra delay a timer would see);
 * both in the caller's thread and through the worker pool (@emplace/pool); and the
 * time-limit overshoot (elapsed - limit) at 1 s and 10 s in the caller's thread (also
 * with --quick, which only repeats each abort fewer times). The machine's load average
 * is recorded with the numbers.
 * Run: pnpm bench responsiveness [--quick] [--family kcenter,shapley | --only fiedler,cfl:auto] [--where pool] [--transfer copy|move|clone] [--nice N] [--grace MS] [--repeats N]
 * (--family / --only / --where / --transfer / --nice (the pool's workerNice) / --grace (its graceMs) / --repeats (aborts
 * per method): development runs; they write no results file).
 */
import { openSync, readFileSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createGame, Rng, solve, type Result } from '@emplace/core';
import '@emplace/facility';
import '@emplace/kcenter';
import '@emplace/assignment';
import '@emplace/steiner';
import '@emplace/spectral';
import '@emplace/mechanism';
import '@emplace/pareto';
import { generateGap } from '@emplace/assignment';
import { createSteinerProblem } from '@emplace/steiner';
import { readSteinlib } from '@emplace/io';
import { createSolverPool } from '@emplace/pool';
import { instancePath, printTable, writeResults, type Cell } from '../lib/instances.js';
import { generateCapLike } from '../facility/generate.js';
import { gridGraph } from '../spectral/generators.js';
import { quantile } from '../lib/abort-measure.js';
import { euclidean } from './inputs.js';

const quick = process.argv.includes('--quick');
const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
/** --family kcenter,shapley or --only fiedler,cfl:auto (a family, or one family:method). */
const onlyFamilies = (flag('--family') ?? flag('--only'))?.split(',');
const onlyWhere = flag('--where');
/** The pool's transfer mode (default: the pool's default, 'copy'); 'clone' shows what a synchronous structured clone costs. */
const transferMode = flag('--transfer');
/** The pool's workerNice (default: the pool's default); development A/B runs. */
const workerNice = flag('--nice');
/** The pool's graceMs (default: the pool's default); development A/B runs. */
const graceMs = flag('--grace');
const repeats = flag('--repeats');
const subset = onlyFamilies !== undefined || onlyWhere !== undefined || transferMode !== undefined || workerNice !== undefined || graceMs !== undefined || repeats !== undefined;
const REPEATS = repeats !== undefined ? Number(repeats) : quick ? 2 : 6;
const rng = new Rng(13);

interface Case {
  family: string;
  method: string;
  input: string;
  model: { readonly kind: string };
  options?: Record<string, unknown>;
}

function tableGame(n: number) {
  const w = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13));
  const table = new Float64Array(2 ** n);
  for (let m = 1; m < table.length; m++) {
    let s = 0;
    for (let r = m; r !== 0; r &= r - 1) s += w[31 - Math.clz32(r & -r)]!;
    table[m] = s * s;
  }
  return createGame({ players: n, value: { table } });
}

const c18 = readSteinlib(readFileSync(instancePath('steinlib', 'C', 'c18.stp'), 'utf8'), { name: 'c18' });
const allCases: Case[] = [
  { family: 'cfl', method: 'cfl:auto', input: 'generated capb-like 100 x 1000', model: generateCapLike('capb', 5000) },
  { family: 'gap', method: 'gap:auto', input: 'Chu-Beasley D 20 x 200', model: generateGap('D', 20, 200, 1) },
  { family: 'kcenter', method: 'kcenter:exact', input: 'Euclidean 500 x 500, k = 10', model: euclidean(500, 3), options: { k: 10 } },
  { family: 'steiner', method: 'steiner:auto', input: 'SteinLib c18', model: createSteinerProblem(c18.graph, c18.terminals, 'c18') },
  { family: 'fiedler', method: 'fiedler:lobpcg', input: 'grid 300 x 300 (90k nodes)', model: gridGraph(300, 300) },
  { family: 'shapley', method: 'shapley:exact', input: 'table game, 22 players', model: tableGame(22) },
  { family: 'pareto', method: 'pareto:evolutionary', input: 'Euclidean 300 x 300', model: euclidean(300, 5) },
];
const cases = allCases.filter((c) => onlyFamilies === undefined || onlyFamilies.includes(c.family) || onlyFamilies.includes(c.method));

interface Stall {
  p50: number;
  p99: number;
  max: number;
  /** Longest time the thread was on a CPU within one gap (Linux schedstat): the stall the host's own work caused, whatever the load. */
  busyMax: number;
  /**
   * The longest gap split (Linux schedstat): on a CPU, runnable but waiting for one (the
   * load), and neither (blocked: a lock, a page fault from disk, the kernel).
   */
  worst: { cpu: number; waited: number; blocked: number };
}

/**
 * The main thread's on-CPU time in ms (Linux: /proc/self/task/<pid>/schedstat, ns), or
 * undefined elsewhere. A wall-clock gap also counts the time the thread waited for a CPU
 * (on a shared 2-core machine at load 10+ that is most of it); the on-CPU time within a
 * gap is what the host's own work (a structured clone, a copy, GC) blocked the loop for.
 */
const threadSched: (() => { cpu: number; waited: number }) | undefined = (() => {
  try {
    const fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    const buf = Buffer.alloc(96);
    return () => {
      const n = readSync(fd, buf, 0, buf.length, 0);
      const [cpu, waited] = buf.toString('latin1', 0, n).split(' ');
      return { cpu: Number(cpu) / 1e6, waited: Number(waited) / 1e6 };
    };
  } catch {
    return undefined;
  }
})();

/**
 * Event-loop stall: a 1 ms timer chain records the gap between consecutive turns of the
 * loop (what a health check or a watch callback would wait); the stall is gap - 1 ms.
 */
function stallMonitor(): { stop(): Stall } {
  const gaps: number[] = [];
  let busyMax = 0;
  let worst = { cpu: NaN, waited: NaN, blocked: NaN };
  let longest = -1;
  let last = performance.now();
  let lastSched = threadSched?.() ?? { cpu: 0, waited: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Records the gap that ends now (a timer turn, or the solve settling). */
  const close = (): void => {
    const t = performance.now();
    const gap = Math.max(0, t - last - 1);
    if (threadSched) {
      const sched = threadSched();
      const cpu = sched.cpu - lastSched.cpu;
      const waited = sched.waited - lastSched.waited;
      busyMax = Math.max(busyMax, cpu);
      if (gap > longest) worst = { cpu, waited, blocked: Math.max(0, t - last - cpu - waited) };
      lastSched = sched;
    }
    gaps.push(gap);
    longest = Math.max(longest, gap);
    last = t;
  };
  const tick = (): void => {
    close();
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop(): Stall {
      clearTimeout(timer);
      close();
      return { p50: quantile(gaps, 0.5), p99: quantile(gaps, 0.99), max: Math.max(...gaps), busyMax: threadSched ? busyMax : NaN, worst };
    },
  };
}

async function measured(run: () => Promise<Result<unknown>>): Promise<{ result: Result<unknown> | Error; ms: number; stall: Stall }> {
  const mon = stallMonitor();
  const t0 = performance.now();
  let result: Result<unknown> | Error;
  try {
    result = await run();
  } catch (e) {
    result = e as Error;
  }
  const ms = performance.now() - t0;
  return { result, ms, stall: mon.stop() };
}

const pool = createSolverPool({ size: 1, ...(workerNice !== undefined ? { workerNice: Number(workerNice) } : {}), ...(graceMs !== undefined ? { graceMs: Number(graceMs) } : {}) });
await pool.ready();
const loadBefore = loadavg();
const r1 = (x: number): number => Math.round(x * 10) / 10;

/** The split of the longest gap of all runs, e.g. '1.2/30.5/0.3'. */
function worstSplit(stalls: readonly Stall[]): string {
  const w = stalls.reduce((a, b) => (b.max > a.max ? b : a)).worst;
  return [w.cpu, w.waited, w.blocked].map((x) => r1(x).toFixed(1)).join('/');
}

const rows: Record<string, Cell>[] = [];
const summary: Record<string, unknown> = {};
for (const c of cases) {
  for (const where of ['in-thread', 'pool'] as const) {
    if (onlyWhere !== undefined && where !== onlyWhere) continue;
    const latencies: number[] = [];
    const stalls: Stall[] = [];
    const statuses = new Set<string>();
    /** Pool solves answered by the host with the worker's last incumbent (the worker missed graceMs). */
    let byHost = 0;
    for (let k = 0; k < REPEATS; k++) {
      // The solve starts on a ready worker (a worker killed by the previous abort is replaced
      // in the background; its start-up is not what is measured here).
      if (where === 'pool') await pool.ready();
      const ctl = new AbortController();
      const at = 200 + rng.next() * 800;
      // Latency counts from the moment the abort was DUE, not from when the timer callback
      // got to run: a blocked event loop delays the callback, and that delay is latency too.
      const dueAt = performance.now() + at;
      let firedAt = NaN;
      const timer = setTimeout(() => {
        firedAt = dueAt;
        ctl.abort();
      }, at);
      // A solver that never sees the abort (sync in-thread methods) runs to this 5 s limit.
      const opts = { ...c.options, method: c.method, signal: ctl.signal, timeLimitMs: 5000 };
      const { result, stall } = await measured(() => (where === 'pool' ? pool.solve(c.model, transferMode ? { ...opts, transfer: transferMode as 'copy' } : opts) : solve(c.model, opts)));
      const settledAt = performance.now();
      clearTimeout(timer);
      if (result instanceof Error) statuses.add(`error: ${result.message.slice(0, 60)}`);
      else statuses.add(`${result.status}/${result.stoppedBy}`);
      if (!(result instanceof Error) && result.stats['workerAnswered'] === false) byHost++;
      if (!Number.isNaN(firedAt)) latencies.push(settledAt - firedAt);
      stalls.push(stall);
    }
    const row: Record<string, Cell> = {
      family: c.family,
      method: c.method,
      input: c.input,
      where,
      'abort p50 ms': r1(quantile(latencies, 0.5)),
      'abort p99 ms': r1(quantile(latencies, 0.99)),
      'abort max ms': r1(Math.max(...latencies)),
      'stall p50 ms': r1(quantile(stalls.map((s) => s.p50), 0.5)),
      'stall p99 ms': r1(quantile(stalls.map((s) => s.p99), 0.99)),
      'stall max ms': r1(Math.max(...stalls.map((s) => s.max))),
      'busy stall max ms': r1(Math.max(...stalls.map((s) => s.busyMax))),
      'worst gap cpu/waited/blocked ms': worstSplit(stalls),
      'finished before abort': REPEATS - latencies.length,
      'answered by host': where === 'pool' ? byHost : null,
      outcomes: [...statuses].join(', '),
    };
    rows.push(row);
    console.error(`${c.method} ${where}: abort p99 ${row['abort p99 ms']} ms, stall max ${row['stall max ms']} ms (cpu/waited/blocked ${row['worst gap cpu/waited/blocked ms']}), busy stall max ${row['busy stall max ms']} ms (${row['outcomes']}${where === 'pool' ? `, answered by host ${byHost}/${REPEATS}` : ''})`);
  }
}

const overshoot: Record<string, Cell>[] = [];
for (const c of subset ? [] : cases) {
  const row: Record<string, Cell> = { family: c.family, method: c.method, input: c.input };
  for (const limit of [1000, 10_000]) {
    const { result, ms } = await measured(() => solve(c.model, { ...c.options, method: c.method, timeLimitMs: limit }));
    const finished = !(result instanceof Error) && result.stoppedBy === 'converged';
    row[`${limit / 1000} s: elapsed ms`] = Math.round(ms);
    row[`${limit / 1000} s: overshoot %`] = finished ? null : r1((100 * (ms - limit)) / limit);
    row[`${limit / 1000} s: within 10 % + 50 ms`] = finished || ms <= limit * 1.1 + 50;
    row[`${limit / 1000} s: outcome`] = result instanceof Error ? `error: ${result.message.slice(0, 60)}` : `${result.status}/${result.stoppedBy}`;
  }
  overshoot.push(row);
  console.error(`${c.method} overshoot: ${JSON.stringify(row)}`);
}
await pool.destroy();

for (const where of ['in-thread', 'pool']) {
  const mine = rows.filter((r) => r['where'] === where);
  summary[where] = {
    'worst abort p99 ms': Math.max(...mine.map((r) => Number(r['abort p99 ms']) || 0)),
    'worst stall max ms': Math.max(...mine.map((r) => Number(r['stall max ms']) || 0)),
    'worst busy stall max ms': Math.max(...mine.map((r) => Number(r['busy stall max ms']) || 0)),
    'methods with abort p99 <= 50 ms': mine.filter((r) => Number(r['abort p99 ms']) <= 50).map((r) => r['method']).join(', '),
  };
}
summary['time limits met (10 % + 50 ms)'] = overshoot.filter((r) => r['1 s: within 10 % + 50 ms'] !== false && r['10 s: within 10 % + 50 ms'] !== false).map((r) => r['method']).join(', ');
console.log('\nAbort latency and event-loop stall (timer-fired abort at a random moment in 0.2-1 s)\n');
printTable(rows);
console.log('\nTime-limit overshoot (in the caller\'s thread)\n');
printTable(overshoot);
if (subset) process.exit(0);
const file = writeResults('responsiveness', {
  rows: [...rows, ...overshoot.map((r) => ({ ...r, where: 'time limit' }))],
  summary,
  load: { loadAverageBefore: loadBefore.map(r1), loadAverageAfter: loadavg().map(r1), quick },
  notes: [
    'Measured on a shared 2-core machine with other jobs running (see load.loadAverage*): every latency includes time the process was not scheduled.',
    'stall: wall-clock gaps of a 1 ms timer chain (includes time the thread waited for a CPU). worst gap cpu/waited/blocked: the longest gap of the row split by schedstat into time on a CPU, runnable but waiting for a CPU (the load), and neither (blocked). busy stall: the longest on-CPU time of the main thread within one gap (Linux /proc/self/task/<pid>/schedstat), i.e. how long the host\'s own work (a clone, a copy, a GC, the solver in-thread) kept the event loop from a turn, independent of the load.',
    'pool: models go to the worker with transfer: copy (typed arrays copied a 128 kB slice at a time between event-loop turns and transferred, long string/number lists packed); results and incumbents come back with their buffers transferred.',
    'in-thread: the solver runs on the caller\'s event loop and yields through SolveRun.tick(); HiGHS MIPs (and LPs >= 5000 nonzeros) run in a HiGHS worker (@emplace/lp offload: auto) that is terminated on abort. pool: @emplace/pool worker thread, abort through a shared-memory flag; a worker that has not answered 15 ms after the abort (graceMs) is answered for by the host with its last reported incumbent ("answered by host" counts those) and stops in the background (terminated after 1 s if it has not).',
  ],
});
console.log(`\nwrote ${file}`);
