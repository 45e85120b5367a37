/**
 * Exit after an abort with a HiGHS solve in the worker (issue 13, CLI exit after a signal):
 * a host process (worker-exit-host.mjs, built packages) starts a long MIP in the HiGHS
 * worker, is told to abort at a seeded random moment, prints the answer and calls
 * process.exit(0) at once, like the CLI after Ctrl-C. Measured from the abort request to the
 * answer line and to the host's exit, and whether the worker process is gone (within 2 s).
 * With a worker thread, process.exit waited 100-550 ms for V8 compiling HiGHS on the platform
 * threads; with a worker process killed by SIGKILL nothing of HiGHS is left to wait for.
 *
 * The host asks for a worker process (EMPLACE_HIGHS_WORKER=process, what the CLI sets; the
 * library's default is a worker thread); `--worker thread` measures the thread instead.
 *
 * Run: npx tsc -b && flock /tmp/bench.lock nice -n 5 npx tsx benchmarks/lp/worker-exit.ts [--runs N] [--worker thread|process]
 *      (Linux: reads /proc for the worker's pid). Writes benchmarks/results/lp-worker-exit.json
 *      (not with --runs: a partial run is for diagnosis).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Rng } from '@emplace/core';
import { quantile } from '../lib/abort-measure.js';
import { printTable, repoRoot, writeResults } from '../lib/instances.js';

const at = process.argv.indexOf('--runs');
const RUNS = at >= 0 ? Number(process.argv[at + 1]) : 20;
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error('--runs must be a positive integer');
const script = resolve(repoRoot, 'benchmarks/lp/worker-exit-host.mjs');
const kindAt = process.argv.indexOf('--worker');
const WORKER = kindAt >= 0 ? process.argv[kindAt + 1] : 'process';
if (WORKER !== 'thread' && WORKER !== 'process') throw new Error('--worker must be thread or process');

/** No such process, or a zombie nobody has reaped yet (it runs nothing). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').startsWith('Z');
  } catch {
    return true;
  }
}

interface Run {
  answeredMs: number;
  exitMs: number;
  code: number | null;
  workersGone: boolean;
}

/** One host: wait until its worker solves, then `delayMs`, then abort; time the answer and the exit. */
function once(delayMs: number): Promise<Run> {
  return new Promise((done, fail) => {
    const host = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, EMPLACE_HIGHS_WORKER: WORKER } });
    let out = '';
    let abortedAt = -1;
    let answeredAt = -1;
    let workers: number[] = [];
    let solving = false;
    host.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!solving && /^solving .*\n/m.test(out)) {
        solving = true;
        workers = /^solving (.*)$/m.exec(out)![1]!.split(' ').filter((p) => p !== '').map(Number);
        setTimeout(() => {
          abortedAt = performance.now();
          host.stdin.write('abort\n');
        }, delayMs);
      }
      if (answeredAt < 0 && out.includes('answered')) answeredAt = performance.now();
    });
    let exitedAt = -1;
    host.on('exit', () => {
      exitedAt = performance.now();
    });
    // 'close' comes after the exit and the last of stdout (the answer line can follow the exit event).
    host.on('close', async (code: number | null) => {
      if (abortedAt < 0 || answeredAt < 0) {
        fail(new Error(`host exited before the abort or without an answer: ${out}`));
        return;
      }
      // SIGKILLed at the abort; the kernel may still be freeing its memory when the host exits.
      let workersGone = false;
      for (let t = 0; t < 40 && !(workersGone = workers.length > 0 && workers.every(gone)); t++) await new Promise((r) => setTimeout(r, 50));
      done({ answeredMs: answeredAt - abortedAt, exitMs: exitedAt - abortedAt, code, workersGone });
    });
  });
}

const rng = new Rng(13);
const loadBefore = loadavg()[0]!;
const runs: Run[] = [];
for (let r = 0; r < RUNS; r++) runs.push(await once(rng.next() * 1500));
const exits = runs.map((r) => r.exitMs);
const answers = runs.map((r) => r.answeredMs);
const r1 = (x: number): number => Math.round(x * 10) / 10;
const rows = [
  {
    runs: RUNS,
    'answer p50 ms': r1(quantile(answers, 0.5)),
    'answer p99 ms': r1(quantile(answers, 0.99)),
    'exit p50 ms': r1(quantile(exits, 0.5)),
    'exit p99 ms': r1(quantile(exits, 0.99)),
    'exit max ms': r1(Math.max(...exits)),
    'exit 0': runs.filter((r) => r.code === 0).length,
    'worker gone within 2 s of the exit': runs.filter((r) => r.workersGone).length,
  },
];
printTable(rows);
const summary = { worker: WORKER, loadAverage1mBeforeAfter: `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`, abortDelayMs: [0, 1500] };
console.log(summary);
if (at < 0 && WORKER === 'process') console.log(`wrote ${writeResults('lp-worker-exit', { rows, summary })}`);
