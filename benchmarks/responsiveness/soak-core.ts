/**
 * The soak loop shared by `soak.ts` (10,000 solves) and the CI-sized test: many small
 * HiGHS models in one process, a forced runtime failure every `trapEvery` solves (the
 * recovery paths: the HiGHS worker's runtime dropped and re-created in the same thread, or
 * the in-thread runtime dropped and re-created, alternately), memory sampled as it goes.
 *
 * Under `offload: 'auto'` the small LPs run in the idle HiGHS worker once one exists, so
 * the in-thread runtime is only loaded for the forced in-thread failure and the solve
 * after it (`offload: 'thread'`, which checks that the re-created runtime works); the next
 * worker solve drops it again. Where the worker is a child process
 * (EMPLACE_HIGHS_WORKER=process), its memory is read from /proc and counted with the host's.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { BackendError, Rng } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';

export interface SoakReport {
  solves: number;
  optimal: number;
  forcedFailures: number;
  recovered: number;
  unexpectedErrors: number;
  /** Whether the worker processes' memory is counted (read from /proc: Linux). */
  workerProcessesCounted: boolean;
  /** RSS of this process plus its child processes (the HiGHS worker), MiB. */
  rssStartMiB: number;
  rssEndMiB: number;
  /** The worker processes' share of the last sample. */
  workerRssEndMiB: number;
  /** RSS after the first 10 % of solves (the runtime and JIT warmed up) and at the end. */
  rssAfterWarmupMiB: number;
  rssGrowthAfterWarmupMiB: number;
  /** RSS after every tenth of the solves: a single end-minus-warm-up difference moves by tens of MiB with GC timing, the series shows the trend. */
  rssSamplesMiB: number[];
  /** Highest sample after warm-up minus the warm-up sample. */
  rssMaxGrowthAfterWarmupMiB: number;
  /** Least-squares slope of the samples of the second half, MiB per 1,000 solves: a leak shows as a steady positive trend. */
  rssSlopeSecondHalfMiBPer1000: number;
  elapsedMs: number;
}

/** A random knapsack with a side constraint: every 10th a 0-1 MIP (branch-and-bound), the others its LP relaxation. */
function knapsack(rng: Rng, n: number, poison: boolean, mip: boolean): LinearModel {
  const lm = new LinearModel('max');
  const idx = new Int32Array(n);
  const w = new Float64Array(n);
  const w2 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    idx[k] = lm.addVariable({ type: mip ? 'binary' : 'continuous', lb: 0, ub: 1, obj: 1 + Math.floor(rng.next() * 50) });
    // A matrix entry >= 1e15 makes HiGHS's passModel fail (large_matrix_value): a real
    // runtime failure, not a mock, surfacing on the same path as a wasm trap.
    w[k] = poison && k === 0 ? 1e16 : 1 + Math.floor(rng.next() * 30);
    w2[k] = 1 + Math.floor(rng.next() * 30);
  }
  lm.addLe(idx, w, 8 * n);
  lm.addLe(idx, w2, 7 * n);
  return lm;
}

const procReadable = existsSync('/proc/self/status');

/**
 * Resident memory of this process's child processes (the HiGHS worker with
 * EMPLACE_HIGHS_WORKER=process), read from /proc: a leak in the worker must count as well.
 * 0 where /proc is not there (the report says which).
 */
export function childrenRssMiB(): number {
  if (!procReadable) return 0;
  const nodeExe = realpathSync(process.execPath);
  let kib = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      // Node children only: under tsx, its esbuild service is a child too (14 MiB, constant),
      // which the progress lines printed as the worker process's memory.
      if (realpathSync(`/proc/${entry}/exe`) !== nodeExe) continue;
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return kib / 1024;
}

/** This process and its HiGHS worker process (if any) together. */
const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20 + childrenRssMiB();

/** Least-squares slope of ys against their index (0 for fewer than two points). */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

export async function soak(solves: number, trapEvery = 1000, onTick?: (done: number, report: SoakReport) => void): Promise<SoakReport> {
  const rng = new Rng(7);
  const t0 = performance.now();
  const r: SoakReport = {
    solves: 0,
    optimal: 0,
    forcedFailures: 0,
    recovered: 0,
    unexpectedErrors: 0,
    workerProcessesCounted: procReadable,
    rssStartMiB: rssMiB(),
    rssEndMiB: 0,
    workerRssEndMiB: 0,
    rssAfterWarmupMiB: 0,
    rssGrowthAfterWarmupMiB: 0,
    rssSamplesMiB: [],
    rssMaxGrowthAfterWarmupMiB: 0,
    rssSlopeSecondHalfMiBPer1000: 0,
    elapsedMs: 0,
  };
  let afterFailure = false;
  let inThreadNext = false;
  for (let s = 1; s <= solves; s++) {
    const poison = trapEvery > 0 && s % trapEvery === 0;
    try {
      // Poisoned models alternate MIP (run in the HiGHS worker under offload auto: the worker
      // drops its runtime and loads a fresh one) and LP (in-thread: the runtime is dropped and re-created).
      const mip = poison ? Math.round(s / trapEvery) % 2 === 1 : s % 10 === 0;
      const thread = (poison && !mip) || inThreadNext;
      inThreadNext = poison && !mip;
      const sol = await solveLp(knapsack(rng, 12, poison, mip), { mipRelGap: 0, offload: thread ? 'thread' : 'auto' });
      if (poison) r.unexpectedErrors++; // the poisoned model must fail
      else if (sol.status === 'optimal') {
        r.optimal++;
        if (afterFailure) r.recovered++;
        afterFailure = false;
      } else r.unexpectedErrors++;
    } catch (e) {
      if (poison && e instanceof BackendError) {
        r.forcedFailures++;
        afterFailure = true;
      } else r.unexpectedErrors++;
    }
    r.solves = s;
    if (s % Math.ceil(solves / 10) === 0) r.rssSamplesMiB.push(Math.round(rssMiB()));
    if (s === Math.ceil(solves / 10)) r.rssAfterWarmupMiB = rssMiB();
    if (onTick && s % 1000 === 0) onTick(s, r);
  }
  r.rssEndMiB = rssMiB();
  r.workerRssEndMiB = childrenRssMiB();
  r.rssGrowthAfterWarmupMiB = r.rssEndMiB - r.rssAfterWarmupMiB;
  r.rssMaxGrowthAfterWarmupMiB = Math.max(...r.rssSamplesMiB.slice(1), r.rssEndMiB) - r.rssAfterWarmupMiB;
  r.rssSlopeSecondHalfMiBPer1000 = (slope(r.rssSamplesMiB.slice(Math.floor(r.rssSamplesMiB.length / 2))) * 1000) / Math.ceil(solves / 10);
  r.elapsedMs = performance.now() - t0;
  return r;
}
