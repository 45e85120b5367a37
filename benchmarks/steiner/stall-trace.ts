/**
 * Diagnostic: where a steiner method runs long without a checkpoint. Wraps SolveRun.tick and
 * prints every gap between two ticks longer than --gap ms, with the code locations of both
 * ticks (the long chunk runs between them). On Linux the gap is measured in the thread's own
 * CPU time (/proc/thread-self/schedstat), so that a loaded machine does not inflate it; the
 * wall time is printed beside it.
 *
 *   pnpm exec tsx --conditions=source benchmarks/steiner/stall-trace.ts FILE [method] [time limit ms] [--gap 25]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SolveRun } from '@emplace/core';
import { readSteinlib } from '@emplace/io';
import { createSteinerProblem, solveSteiner, type SteinerMethod } from '@emplace/steiner';

const argv = process.argv.slice(2);
const gapAt = argv.indexOf('--gap');
const minGap = gapAt >= 0 ? Number(argv[gapAt + 1]) : 25;
const [file, method = 'auto', limit = '5000'] = argv.filter((_, i) => i !== gapAt && i !== gapAt + 1);
const inst = readSteinlib(readFileSync(file!, 'utf8'));
const problem = createSteinerProblem(inst.graph, inst.terminals);
const where = (): string =>
  (new Error().stack ?? '')
    .split('\n')
    .slice(3, 9)
    .map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/packages\//, '(').replace(/\)$/, ''))
    .join(' < ');
/** The thread's on-CPU time in ms (Linux), else the wall clock. */
const cpuNow: () => number = existsSync('/proc/thread-self/schedstat')
  ? () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6
  : () => performance.now();
const original = SolveRun.prototype.tick;
let last = cpuNow();
let lastWall = performance.now();
let lastWhere = 'start';
SolveRun.prototype.tick = function (this: SolveRun): Promise<boolean> {
  const now = cpuNow();
  const wall = performance.now();
  const here = where();
  if (now - last > minGap) console.log(`${(now - last).toFixed(0)} ms on CPU (${(wall - lastWall).toFixed(0)} ms wall)\n  from ${lastWhere}\n  to   ${here}`);
  last = now;
  lastWall = wall;
  lastWhere = here;
  return original.call(this);
};
const t0 = performance.now();
last = cpuNow();
lastWall = t0;
const r = await solveSteiner(problem, { method: method as SteinerMethod, timeLimitMs: Number(limit) });
console.log(`${method}: ${r.status} ${r.objective} in ${(performance.now() - t0).toFixed(0)} ms; tail ${(cpuNow() - last).toFixed(0)} ms on CPU after the last tick`);
