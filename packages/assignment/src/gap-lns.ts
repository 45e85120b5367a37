import { runSteps, type Rng, type Steps } from '@emplace/core';
import { gapBranchAndBoundSteps } from './gap-branch-and-bound.js';
import type { GapInstance } from './gap-instance.js';
import { initialMultipliers } from './gap-lagrangian.js';

/**
 * Large-neighbourhood search for GAP that reuses the exact solver: pick a few agents,
 * free every job they hold, and re-solve that sub-GAP exactly (branch-and-bound on the
 * Lagrangian bound, with a small time cap) with all other jobs kept in place. An exact
 * re-optimisation of 3-4 agents reaches moves (long chains, multi-swaps) that shift/swap
 * tabu search does not see.
 */
export interface GapLnsOptions {
  rng: Rng;
  stop: () => boolean;
  /** Time cap per sub-problem (ms). */
  subLimitMs?: number;
  onImprove?: (cost: number, assignment: Int32Array) => void;
  /** Internal lower bound: stop when reached. */
  lowerBound?: number | undefined;
  /** Multipliers of the full problem's Lagrangian dual: their restriction warm-starts each sub-problem. */
  u?: Float64Array | undefined;
}

export interface GapLnsResult {
  assignment: Int32Array;
  cost: number;
  rounds: number;
}

export function gapLns(inst: GapInstance, start: Int32Array, opts: GapLnsOptions): GapLnsResult {
  return runSteps(gapLnsSteps(inst, start, opts));
}

/** The search as steps: the sub-problems' branch-and-bound checkpoints (see core's runSteps / runStepsAsync). */
export function* gapLnsSteps(inst: GapInstance, start: Int32Array, opts: GapLnsOptions): Steps<GapLnsResult> {
  const { m, n, cost } = inst;
  const assign = Int32Array.from(start);
  let cur = 0;
  for (let j = 0; j < n; j++) cur += cost[assign[j]! * n + j]!;
  const k = Math.min(m, m <= 5 ? 3 : 4);
  const subLimitPerAgent = (opts.subLimitMs ?? 400) / 4;
  const agents = new Int32Array(m);
  const inSub = new Int32Array(m).fill(-1);
  let rounds = 0;
  let sinceImprove = 0;
  while (!opts.stop() && cur > (opts.lowerBound ?? -Infinity) + 1e-9) {
    rounds++;
    // Random agent subset, larger (up to 7 agents) the longer nothing improves.
    for (let i = 0; i < m; i++) agents[i] = i;
    opts.rng.shuffle(agents);
    const kk = Math.min(m, 7, k + Math.floor(sinceImprove / (2 * m)));
    const subLimit = subLimitPerAgent * kk;
    inSub.fill(-1);
    for (let t = 0; t < kk; t++) inSub[agents[t]!] = t;
    const jobs: number[] = [];
    for (let j = 0; j < n; j++) if (inSub[assign[j]!]! >= 0) jobs.push(j);
    const nn = jobs.length;
    if (nn === 0) {
      yield;
      continue;
    }
    const { sub, sub0, subCost } = subProblem(inst, assign, agents, kk, jobs, inSub);
    const t0 = performance.now();
    const res = yield* gapBranchAndBoundSteps(sub, {
      stop: () => opts.stop() || performance.now() - t0 > subLimit,
      incumbent: sub0,
      incumbentCost: subCost,
      rootU: opts.u ? Float64Array.from(jobs, (j) => opts.u![j]!) : initialMultipliers(sub),
      rootIterations: opts.u ? 60 : 150,
    });
    if (res.assignment && res.cost < subCost - 1e-9) {
      for (let q = 0; q < nn; q++) assign[jobs[q]!] = agents[res.assignment[q]!]!;
      cur += res.cost - subCost;
      sinceImprove = 0;
      opts.onImprove?.(cur, assign);
    } else sinceImprove++;
  }
  return { assignment: assign, cost: cur, rounds };
}

/** The sub-GAP of the first `kk` agents of `agents` and the jobs they hold, with the current plan as its incumbent. */
function subProblem(inst: GapInstance, assign: Int32Array, agents: Int32Array, kk: number, jobs: number[], inSub: Int32Array): { sub: GapInstance; sub0: Int32Array; subCost: number } {
  const { n, cost, weight, capacity, feasible } = inst;
  const nn = jobs.length;
  const sc = new Float64Array(kk * nn);
  const sw = new Float64Array(kk * nn);
  const sf = new Uint8Array(kk * nn);
  const scap = new Float64Array(kk);
  const sub0 = new Int32Array(nn);
  let subCost = 0;
  for (let t = 0; t < kk; t++) {
    const i = agents[t]!;
    scap[t] = capacity[i]!;
    for (let q = 0; q < nn; q++) {
      const j = jobs[q]!;
      sc[t * nn + q] = cost[i * n + j]!;
      sw[t * nn + q] = weight[i * n + j]!;
      sf[t * nn + q] = feasible[i * n + j]!;
    }
  }
  for (let q = 0; q < nn; q++) {
    sub0[q] = inSub[assign[jobs[q]!]!]!;
    subCost += cost[assign[jobs[q]!]! * n + jobs[q]!]!;
  }
  const sub: GapInstance = { m: kk, n: nn, sense: 'min', cost: sc, weight: sw, capacity: scap, feasible: sf, integral: inst.integral };
  return { sub, sub0, subCost };
}
