/**
 * In-thread abort latency of the mechanism methods (issue 13): each method is started on
 * an input that takes seconds, aborted by a timer at a random moment, and the time from
 * `abort()` to the settled promise is recorded, with the longest event-loop stall seen by
 * a 1 ms interval timer. `npx tsx --conditions=source benchmarks/mechanism/abort-latency.ts [--trials N]`
 * writes benchmarks/results/mechanism-abort.json (EMPLACE_RESULTS_DIR overrides the directory).
 */
import { createGame, Rng, solve, type GameModel, type MarketModel } from '@emplace/core';
import '@emplace/mechanism';
import { printTable, writeResults, type Cell } from '../lib/instances.js';
import { catsLike } from './cats.js';

const trialsArg = process.argv.indexOf('--trials');
const trials = trialsArg >= 0 ? Number(process.argv[trialsArg + 1]) : 20;

const popcount = (m: number): number => {
  let c = 0;
  for (let r = m; r; r &= r - 1) c++;
  return c;
};
/**
 * A characteristic function slow enough that 2^24 coalitions take many seconds. Cubic, so
 * antithetic pairs do not cancel exactly (for (sum a_i)^2 a permutation and its reverse
 * give the same average, and antithetic sampling would stop at once).
 */
const slowGame = (n: number): GameModel =>
  createGame({ players: n, value: { mask: (m: number) => { let s = 0; for (let r = m; r !== 0; r &= r - 1) s += Math.sqrt(1 + (31 - Math.clz32(r & -r))); return s * s * s; } } });
const rng = new Rng(7);
const votingWeights = Array.from({ length: 200 }, () => 1 + rng.int(5000));
const votingQuota = Math.floor(votingWeights.reduce((a, b) => a + b, 0) / 2) + 1;

const cases: { method: string; model: () => GameModel | MarketModel; options?: Record<string, unknown> }[] = [
  { method: 'shapley:exact', model: () => slowGame(24) },
  { method: 'shapley:sampling', model: () => slowGame(30), options: { relativePrecision: 1e-9 } },
  { method: 'shapley:antithetic', model: () => slowGame(30), options: { relativePrecision: 1e-9 } },
  { method: 'shapley:stratified', model: () => slowGame(30), options: { relativePrecision: 1e-9 } },
  { method: 'shapley:weighted-voting', model: () => createGame({ players: 200, value: () => 0, structure: { type: 'weighted-voting', weights: Float64Array.from(votingWeights), quota: votingQuota } }) },
  { method: 'banzhaf', model: () => slowGame(24) },
  { method: 'nucleolus:lp', model: () => createGame({ players: 14, value: { mask: (m: number) => popcount(m) ** 2 + (m % 7) } }) },
  { method: 'vcg:clarke', model: () => catsLike('arbitrary', 300, 40, 1340) },
];

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const rows: Record<string, Cell>[] = [];
for (const c of cases) {
  const latency: number[] = [];
  const stalls: number[] = [];
  const statuses = new Set<string>();
  for (let t = 0; t < trials; t++) {
    const model = c.model();
    const ctl = new AbortController();
    const at = 20 + rng.int(300);
    let abortedAt = 0;
    let last = performance.now();
    let stall = 0;
    const beat = setInterval(() => {
      const x = performance.now();
      stall = Math.max(stall, x - last);
      last = x;
    }, 1);
    const timer = setTimeout(() => {
      abortedAt = performance.now();
      ctl.abort();
    }, at);
    const r = await solve(model, { method: c.method, signal: ctl.signal, timeLimitMs: 60_000, ...c.options });
    const done = performance.now();
    clearTimeout(timer);
    clearInterval(beat);
    statuses.add(`${r.status}/${r.stoppedBy}`);
    if (abortedAt > 0) latency.push(done - abortedAt);
    stalls.push(stall);
  }
  rows.push({
    method: c.method,
    trials,
    aborted: latency.length,
    'p50 ms': latency.length ? quantile(latency, 0.5) : undefined,
    'p99 ms': latency.length ? quantile(latency, 0.99) : undefined,
    'max ms': latency.length ? Math.max(...latency) : undefined,
    'median stall ms': quantile(stalls, 0.5),
    'max stall ms': Math.max(...stalls),
    statuses: [...statuses].join(' '),
  });
  console.error(`${c.method}: done`);
}
printTable(rows);
const file = writeResults('mechanism-abort', { rows, summary: { trials, note: 'in-thread abort latency (abort() to settled promise) and the longest event-loop stall; a shared 2-core machine inflates both' } });
console.log(`wrote ${file}`);
