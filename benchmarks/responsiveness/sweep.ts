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
 * --only writes responsiveness-sweep-partial.json, not committed, unless --out NAME names
 * the file: benchmarks/results/NAME.json).
 * --scale S grows every input about S times in each main dimension (inputs.ts), to find the
 * stretches without a checkpoint that grow with the input; a scaled run needs --out NAME, so
 * the committed results at the sweep's own sizes are never overwritten by one.
 * Run: flock /tmp/bench.lock nice -n 5 npx tsx benchmarks/responsiveness/sweep.ts [--quick]
 *      [--only family[:method],...] [--aborts N] [--scale S --out NAME] [--out NAME]
 */
import { loadavg } from 'node:os';
import { hasSolution, Rng, solve, type Result } from '@emplace/core';
import * as facility from '@emplace/facility';
import * as kcenter from '@emplace/kcenter';
import * as assignment from '@emplace/assignment';
import * as steiner from '@emplace/steiner';
import * as spectral from '@emplace/spectral';
import * as mechanism from '@emplace/mechanism';
import * as pareto from '@emplace/pareto';
import * as flows from '@emplace/flows';
import * as graph from '@emplace/graph';
import { printTable, writeResults, type Cell } from '../lib/instances.js';
import { euclidean, inputs, methodInputs, setInputScale, type Input } from './inputs.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const argOf = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ABORTS = Number(argOf('--aborts') ?? (quick ? 3 : 8));
const only = argOf('--only')?.split(',');
const SCALE = Number(argOf('--scale') ?? 1);
if (SCALE !== 1 && argOf('--out') === undefined) throw new Error('--scale: name the results file with --out NAME (e.g. responsiveness-sweep-scale2), so the committed ones stay as they are');
setInputScale(SCALE);
const LIMIT_MS = 1000;
/** A method that ignores the abort runs to this limit (and then to its own end). */
const ABORT_RUN_LIMIT_MS = 2000;
const rng = new Rng(1313);

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
// --out NAME writes benchmarks/results/NAME.json instead (a partial run worth committing
// next to the full one, e.g. the methods a change touched).
const out = argOf('--out');
if (out !== undefined && !/^[\w.-]+$/.test(out)) throw new Error(`--out: a file name without a directory or .json, got ${out}`);
const file = writeResults(out ?? (only ? 'responsiveness-sweep-partial' : quick ? 'responsiveness-sweep-quick' : 'responsiveness-sweep'), {
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
  load: { loadAverageBefore: loadBefore.map(r1), loadAverageAfter: loadavg().map(r1), quick, aborts: ABORTS, ...(SCALE !== 1 ? { scale: SCALE } : {}), ...(only ? { only } : {}) },
  notes: [
    'In the caller\'s thread; abort moments uniform in [0, min(elapsed of the 1 s run, 1 s)], seeded (Rng 1313); latency from the moment the abort was due to the promise settling.',
    'stall = longest gap of a 1 ms setInterval minus 1 ms, over the 1 s-limit run and every abort run of the method.',
    'A method with no solution after an abort may have been aborted before its first plan (setup phase): see outcomes.',
    'Measured on a shared 2-core machine: see load; every latency includes time the process was not scheduled.',
  ],
});
console.log(`\nwrote ${file}`);
