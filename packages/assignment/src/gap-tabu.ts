import { runSteps, type Rng, type Steps } from '@emplace/core';
import type { GapInstance } from './gap-instance.js';

/**
 * Tabu search for GAP with strategic oscillation (after Díaz & Fernández 2001): the search
 * walks through infeasible assignments too, paying `alpha` per unit of capacity excess,
 * and `alpha` rises while the walk stays infeasible and falls while it stays feasible, so
 * it keeps crossing the capacity boundary where the good solutions lie. Neighbourhood:
 * every shift (job to another agent) and every swap (two jobs on different agents), best
 * admissible move each iteration. A move is tabu when it puts a job back on an agent it
 * left less than `tenure` iterations ago, unless it yields a new best feasible solution.
 * On stagnation the walk restarts from the best solution with a random kick.
 */
export interface GapTabuOptions {
  rng: Rng;
  stop: () => boolean;
  maxIterations: number;
  /** Lower bound: the search stops when it reaches it (proven optimal). */
  lowerBound?: number;
  onImprove?: (cost: number, assignment: Int32Array) => void;
}

export interface GapTabuResult {
  assignment: Int32Array;
  cost: number;
  iterations: number;
}

export function gapTabu(inst: GapInstance, start: Int32Array, opts: GapTabuOptions): GapTabuResult {
  return runSteps(gapTabuSteps(inst, start, opts));
}

/** The tabu walk as steps: a checkpoint every 16 iterations (see core's runSteps / runStepsAsync). */
export function* gapTabuSteps(inst: GapInstance, start: Int32Array, opts: GapTabuOptions): Steps<GapTabuResult> {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const assign = Int32Array.from(start);
  const load = new Float64Array(m);
  let cur = 0;
  for (let j = 0; j < n; j++) {
    const a = assign[j]!;
    load[a]! += weight[a * n + j]!;
    cur += cost[a * n + j]!;
  }
  const excessOf = (i: number, l: number): number => (l > capacity[i]! ? l - capacity[i]! : 0);
  let excess = 0;
  for (let i = 0; i < m; i++) excess += excessOf(i, load[i]!);

  const best = Int32Array.from(assign);
  let bestCost = excess > 1e-9 ? Infinity : cur;
  const target = opts.lowerBound ?? -Infinity;

  // Scale of alpha: average cost spread per unit of weight.
  let cSum = 0;
  let wSum = 0;
  for (let k = 0; k < m * n; k++) {
    if (!feasible[k]) continue;
    cSum += Math.abs(cost[k]!);
    wSum += weight[k]!;
  }
  const alpha0 = wSum > 0 ? Math.max(1e-6, cSum / wSum) : 1;
  let alpha = alpha0;
  // Candidate lists: a swap is only tried when one of the two jobs moves to one of its
  // K cheapest agents (cuts the O(n^2) swap scan by about m / K on wide instances).
  const K = Math.max(3, Math.ceil(m / 3));
  const good = new Uint8Array(m * n);
  {
    const order = new Int32Array(m);
    for (let j = 0; j < n; j++) {
      let cnt = 0;
      for (let i = 0; i < m; i++) if (feasible[i * n + j]) order[cnt++] = i;
      const sub = order.subarray(0, cnt).sort((x, y) => cost[x * n + j]! - cost[y * n + j]!);
      for (let t = 0; t < Math.min(K, cnt); t++) good[sub[t]! * n + j] = 1;
    }
  }
  const tabuUntil = new Float64Array(m * n);
  const exNow = new Float64Array(m);
  const tMin = Math.max(3, Math.floor(n / 20));
  const tMax = Math.max(tMin + 2, Math.floor(n / 6));
  let it = 0;
  let sinceBest = 0;
  const stagnation = Math.max(2000, 40 * n);
  const rng = opts.rng;
  // A seeded kick of the start (the start stays the best known until beaten): different
  // seeds explore from different points, the same seed repeats the same walk.
  {
    const kicks = Math.max(1, Math.floor(n / 20));
    for (let t = 0; t < kicks; t++) {
      const j = rng.int(n);
      const i = rng.int(m);
      if (i !== assign[j]! && feasible[i * n + j]) move(j, assign[j]!, i);
    }
  }

  for (; it < opts.maxIterations; it++) {
    if ((it & 15) === 0) {
      if (it > 0) yield;
      if (opts.stop()) break;
    }
    if (bestCost <= target + 1e-9) break;
    let mvKind = 0; // 1 shift, 2 swap
    let mvJ = -1;
    let mvK = -1;
    let mvTo = -1;
    let mvScore = Infinity;
    // Shifts, scanned from a random job so that ties (frequent with integer costs) are
    // broken by the seed: the seed must drive the walk, not only the tenures.
    const j0 = rng.int(n);
    for (let t = 0; t < n; t++) {
      const j = t + j0 < n ? t + j0 : t + j0 - n;
      const a = assign[j]!;
      const ka = a * n + j;
      const la = load[a]!;
      const dOut = excessOf(a, la - weight[ka]!) - excessOf(a, la);
      for (let i = 0; i < m; i++) {
        if (i === a) continue;
        const k = i * n + j;
        if (!feasible[k]) continue;
        const dEx = dOut + excessOf(i, load[i]! + weight[k]!) - excessOf(i, load[i]!);
        const dc = cost[k]! - cost[ka]!;
        const score = dc + alpha * dEx;
        if (score >= mvScore) continue;
        if (tabuUntil[k]! > it) {
          // Aspiration: a new best feasible solution.
          if (!(excess + dEx <= 1e-9 && cur + dc < bestCost - 1e-9)) continue;
        }
        mvScore = score;
        mvKind = 1;
        mvJ = j;
        mvTo = i;
      }
    }
    // Swaps: O(n^2), so only when no shift improves the penalised objective.
    const swaps = mvScore >= -1e-9;
    if (swaps) for (let i = 0; i < m; i++) exNow[i] = excessOf(i, load[i]!);
    for (let j = 0; swaps && j < n; j++) {
      const a = assign[j]!;
      const ja = a * n + j;
      const loadA = load[a]! - weight[ja]!;
      const capA = capacity[a]!;
      const exA = exNow[a]!;
      const cJA = cost[ja]!;
      for (let l = j + 1; l < n; l++) {
        const b = assign[l]!;
        if (b === a) continue;
        const jb = b * n + j;
        const la = a * n + l;
        if (good[jb] === 0 && good[la] === 0) continue;
        if (feasible[jb] === 0 || feasible[la] === 0) continue;
        const lb = b * n + l;
        const dc = cost[jb]! + cost[la]! - cJA - cost[lb]!;
        const newA = loadA + weight[la]!;
        const newB = load[b]! - weight[lb]! + weight[jb]!;
        const capB = capacity[b]!;
        const dEx = (newA > capA ? newA - capA : 0) - exA + (newB > capB ? newB - capB : 0) - exNow[b]!;
        const score = dc + alpha * dEx;
        if (score >= mvScore) continue;
        if (tabuUntil[jb]! > it || tabuUntil[la]! > it) {
          if (!(excess + dEx <= 1e-9 && cur + dc < bestCost - 1e-9)) continue;
        }
        mvScore = score;
        mvKind = 2;
        mvJ = j;
        mvK = l;
      }
    }
    if (mvKind === 0) break;
    const tenure = (): number => it + tMin + rng.int(tMax - tMin + 1);
    if (mvKind === 1) {
      const a = assign[mvJ]!;
      move(mvJ, a, mvTo);
      tabuUntil[a * n + mvJ] = tenure();
    } else {
      const a = assign[mvJ]!;
      const b = assign[mvK]!;
      move(mvJ, a, b);
      move(mvK, b, a);
      tabuUntil[a * n + mvJ] = tenure();
      tabuUntil[b * n + mvK] = tenure();
    }
    if (excess <= 1e-9) {
      if (cur < bestCost - 1e-9) {
        bestCost = cur;
        best.set(assign);
        sinceBest = 0;
        opts.onImprove?.(cur, best);
      } else sinceBest++;
      alpha = Math.max(alpha0 * 1e-3, alpha / 1.1);
    } else {
      sinceBest++;
      alpha = Math.min(alpha0 * 1e4, alpha * 1.1);
    }
    if (sinceBest >= stagnation && bestCost < Infinity) {
      // Restart from the best with a random kick of a few shifts.
      sinceBest = 0;
      assign.set(best);
      load.fill(0);
      cur = 0;
      for (let j = 0; j < n; j++) {
        load[assign[j]!]! += weight[assign[j]! * n + j]!;
        cur += cost[assign[j]! * n + j]!;
      }
      excess = 0;
      const kicks = 2 + rng.int(Math.max(1, Math.floor(n / 20)));
      for (let t = 0; t < kicks; t++) {
        const j = rng.int(n);
        const i = rng.int(m);
        if (i !== assign[j]! && feasible[i * n + j]) move(j, assign[j]!, i);
      }
      tabuUntil.fill(0);
      alpha = alpha0;
    }
  }

  function move(j: number, from: number, to: number): void {
    const kf = from * n + j;
    const kt = to * n + j;
    excess -= excessOf(from, load[from]!) + excessOf(to, load[to]!);
    load[from]! -= weight[kf]!;
    load[to]! += weight[kt]!;
    excess += excessOf(from, load[from]!) + excessOf(to, load[to]!);
    if (excess < 1e-9) excess = 0;
    cur += cost[kt]! - cost[kf]!;
    assign[j] = to;
  }

  return { assignment: best, cost: bestCost, iterations: it };
}
