/**
 * Cold in-thread abort of `fiedler` on the 200k-node, 1M-edge preferential-attachment graph of
 * benchmarks/responsiveness/cli-signal.ts (issue 13): a fresh Node process per run reads the
 * edge list, starts solveFiedler and aborts it from a timer at a seeded random moment of the
 * solve (setup phases included). Per run: how late the timer fired (the solve's longest
 * stretch without an event-loop turn around that moment) and the milliseconds from the firing
 * to the solve's promise settling (the work done after the stop), with the progress phase at
 * the abort. The CLI adds reading, formatting and writing around this (cli-signal.ts --trace).
 *
 *   npx tsc -b && flock /tmp/bench.lock nice -n 5 npx tsx benchmarks/spectral/cold-abort.ts [--runs N] [--max-delay MS]
 *
 * Prints the runs and p50 / p99 / max; writes benchmarks/results/spectral-cold-abort.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '@emplace/core';
import { writeEdgeList } from '@emplace/io';
import { quantile } from '../lib/abort-measure.js';
import { printTable, repoRoot, writeResults, type Cell } from '../lib/instances.js';
import { preferentialAttachmentGraph } from './generators.js';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = option('--runs', 16);
const MAX_DELAY_MS = option('--max-delay', 2500);

// The child: the built packages (what the CLI runs), one solve, one JSON line.
const child = `
const [{ readInstanceFile }, { solveFiedler }] = await Promise.all([import(${JSON.stringify(resolve(repoRoot, 'packages/io/dist/index.js'))}), import(${JSON.stringify(resolve(repoRoot, 'packages/spectral/dist/index.js'))})]);
const data = await readInstanceFile(process.argv[2], 'edge-list');
const delay = Number(process.argv[3]);
const ctl = new AbortController();
let phase = 'setup', at = '', firedAt = 0;
const start = performance.now();
setTimeout(() => { firedAt = performance.now(); at = phase; ctl.abort(); }, delay);
const r = await solveFiedler(data.data.graph, { signal: ctl.signal, onProgress: (e) => { phase = e.phase; } });
const end = performance.now();
console.log(JSON.stringify({ status: r.status, stoppedBy: r.stoppedBy, phase: at, lateMs: firedAt ? firedAt - start - delay : null, afterMs: firedAt ? end - firedAt : null }));
`;

const dir = mkdtempSync(join(tmpdir(), 'emplace-cold-abort-'));
const rows: Record<string, Cell>[] = [];
const loadBefore = loadavg()[0]!;
try {
  const file = join(dir, 'ba-200k.edges');
  writeFileSync(file, writeEdgeList(preferentialAttachmentGraph(200_000, 5, 9)));
  const script = join(dir, 'child.mjs');
  writeFileSync(script, child);
  const rng = new Rng(17);
  for (let r = 0; r < RUNS; r++) {
    const delay = Math.round(20 + rng.next() * (MAX_DELAY_MS - 20));
    const out = JSON.parse(execFileSync(process.execPath, [script, file, String(delay)], { encoding: 'utf8' }).trim()) as Record<string, Cell>;
    rows.push({ delayMs: delay, ...out });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(rows);
const stat = (key: string) => {
  const xs = rows.map((r) => Number(r[key])).filter((x) => Number.isFinite(x));
  return xs.length ? { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs) } : null;
};
const summary = { runs: RUNS, maxDelayMs: MAX_DELAY_MS, firedLateMs: stat('lateMs'), settledAfterAbortMs: stat('afterMs'), loadAverage1mBeforeAfter: `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}` };
console.log(summary);
writeResults('spectral-cold-abort', { rows, summary });
