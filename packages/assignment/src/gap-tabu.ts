import { runSteps, type Rng, type Steps } from '@emplace/core';
import type { GapInstance, GapPlan, GapWalkOptions } from './gap-instance.js';

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
export interface GapTabuOptions extends GapWalkOptions {
  maxIterations: number;
  /** Stop after this many iterations without a new best feasible solution (default: never). */
  maxStale?: number | undefined;
}

export interface GapTabuResult extends GapPlan {
  iterations: number;
}

export function gapTabu(inst: GapInstance, start: Int32Array, opts: GapTabuOptions): GapTabuResult {
  return runSteps(gapTabuSteps(inst, start, opts));
}

/**
 * Pairs of the swap scan between two checkpoints, and the work (shift candidates plus swap
 * pairs) after which an iteration boundary is a checkpoint too: the scan is O(n^2), 20-40
 * ms on 400-800 jobs, so a fixed count of iterations is no bound on the time between them.
 */
const SWAP_CHUNK = 1 << 16;
const CHECK_WORK = 1 << 17;

/**
 * The tabu walk as steps: a checkpoint every 8 iterations, after any iteration once
 * CHECK_WORK candidates were scanned since the last, and inside the swap scan every
 * SWAP_CHUNK pairs (see core's runSteps / runStepsAsync). The extra checkpoints only
 * yield and test `stop`: a walk that is not stopped makes the same moves.
 */
export function* gapTabuSteps(inst: GapInstance, start: Int32Array, opts: GapTabuOptions): Steps<GapTabuResult> {
  const walk = new TabuWalk(inst, start, opts.rng);
  const target = opts.lowerBound ?? -Infinity;
  const maxStale = opts.maxStale ?? Infinity;
  let it = 0;
  let stale = 0;
  for (; it < opts.maxIterations; it++) {
    if ((it & 7) === 0 || walk.work >= CHECK_WORK) {
      if (it > 0) yield;
      walk.work = 0;
      if (opts.stop()) break;
    }
    if (walk.bestCost <= target + 1e-9 || stale >= maxStale) break;
    const moved = yield* walk.stepSteps(it, opts.stop);
    // A stop inside the swap scan abandons the iteration: the best so far is the answer.
    if (moved !== 1) break;
    if (walk.improved) {
      stale = 0;
      opts.onImprove?.(walk.bestCost, walk.best);
    } else stale++;
  }
  return { assignment: walk.best, cost: walk.bestCost, iterations: it };
}

/** The best move of one iteration: a shift of job `j` to agent `to`, or a swap of jobs `j` and `k`. */
interface Move {
  kind: 0 | 1 | 2; // none, shift, swap
  j: number;
  k: number;
  to: number;
  score: number;
}

/** The walk's state: the current (possibly infeasible) assignment, loads, penalty weight and tabu tenures. */
class TabuWalk {
  readonly inst: GapInstance;
  readonly rng: Rng;
  readonly assign: Int32Array;
  readonly load: Float64Array;
  readonly best: Int32Array;
  bestCost: number;
  /** True when the last step found a new best feasible solution. */
  improved = false;
  /** Candidates scanned since the caller last reset it (for work-bounded checkpoints). */
  work = 0;
  private cur = 0;
  private excess = 0;
  private readonly alpha0: number;
  private alpha: number;
  /** good[i * n + j]: agent i is among the K cheapest of job j (swap candidate lists). */
  private readonly good: Uint8Array;
  private readonly tabuUntil: Float64Array;
  private readonly exNow: Float64Array;
  private readonly tMin: number;
  private readonly tMax: number;
  private readonly stagnation: number;
  private sinceBest = 0;
  private readonly mv: Move = { kind: 0, j: -1, k: -1, to: -1, score: Infinity };

  constructor(inst: GapInstance, start: Int32Array, rng: Rng) {
    const { m, n } = inst;
    this.inst = inst;
    this.rng = rng;
    this.assign = Int32Array.from(start);
    this.load = new Float64Array(m);
    this.recompute();
    this.best = Int32Array.from(this.assign);
    this.bestCost = this.excess > 1e-9 ? Infinity : this.cur;
    this.alpha0 = TabuWalk.alphaScale(inst);
    this.alpha = this.alpha0;
    this.good = TabuWalk.candidateAgents(inst, Math.max(3, Math.ceil(m / 3)));
    this.tabuUntil = new Float64Array(m * n);
    this.exNow = new Float64Array(m);
    this.tMin = Math.max(3, Math.floor(n / 20));
    this.tMax = Math.max(this.tMin + 2, Math.floor(n / 6));
    this.stagnation = Math.max(2000, 40 * n);
    // A seeded kick of the start (the start stays the best known until beaten): different
    // seeds explore from different points, the same seed repeats the same walk.
    this.kick(Math.max(1, Math.floor(n / 20)));
  }

  /** Scale of alpha: average cost spread per unit of weight. */
  private static alphaScale(inst: GapInstance): number {
    const { m, n, cost, weight, feasible } = inst;
    let cSum = 0;
    let wSum = 0;
    for (let k = 0; k < m * n; k++) {
      if (!feasible[k]) continue;
      cSum += Math.abs(cost[k]!);
      wSum += weight[k]!;
    }
    return wSum > 0 ? Math.max(1e-6, cSum / wSum) : 1;
  }

  /**
   * Candidate lists: a swap is only tried when one of the two jobs moves to one of its K
   * cheapest agents (cuts the O(n^2) swap scan by about m / K on wide instances).
   */
  private static candidateAgents(inst: GapInstance, K: number): Uint8Array {
    const { m, n, cost, feasible } = inst;
    const good = new Uint8Array(m * n);
    const order = new Int32Array(m);
    for (let j = 0; j < n; j++) {
      let cnt = 0;
      for (let i = 0; i < m; i++) if (feasible[i * n + j]) order[cnt++] = i;
      const sub = order.subarray(0, cnt).sort((x, y) => cost[x * n + j]! - cost[y * n + j]!);
      for (let t = 0; t < Math.min(K, cnt); t++) good[sub[t]! * n + j] = 1;
    }
    return good;
  }

  private excessOf(i: number, l: number): number {
    const b = this.inst.capacity[i]!;
    return l > b ? l - b : 0;
  }

  /** Loads, cost and excess of the current assignment from scratch. */
  private recompute(): void {
    const { m, n, cost, weight } = this.inst;
    this.load.fill(0);
    this.cur = 0;
    for (let j = 0; j < n; j++) {
      const a = this.assign[j]!;
      this.load[a]! += weight[a * n + j]!;
      this.cur += cost[a * n + j]!;
    }
    this.excess = 0;
    for (let i = 0; i < m; i++) this.excess += this.excessOf(i, this.load[i]!);
  }

  /** A few random feasible shifts. */
  private kick(count: number): void {
    const { m, n, feasible } = this.inst;
    for (let t = 0; t < count; t++) {
      const j = this.rng.int(n);
      const i = this.rng.int(m);
      if (i !== this.assign[j]! && feasible[i * n + j]) this.move(j, this.assign[j]!, i);
    }
  }

  private move(j: number, from: number, to: number): void {
    const { n, cost, weight } = this.inst;
    const load = this.load;
    const kf = from * n + j;
    const kt = to * n + j;
    this.excess -= this.excessOf(from, load[from]!) + this.excessOf(to, load[to]!);
    load[from]! -= weight[kf]!;
    load[to]! += weight[kt]!;
    this.excess += this.excessOf(from, load[from]!) + this.excessOf(to, load[to]!);
    if (this.excess < 1e-9) this.excess = 0;
    this.cur += cost[kt]! - cost[kf]!;
    this.assign[j] = to;
  }

  /** True when a tabu move passes the aspiration test (a new best feasible solution). */
  private aspires(dEx: number, dc: number): boolean {
    return this.excess + dEx <= 1e-9 && this.cur + dc < this.bestCost - 1e-9;
  }

  /**
   * One iteration at step `it`: the best admissible move applied (1), none admissible (0),
   * or the run stopped during the swap scan (-1, nothing applied). The swap scan runs in
   * ranges of rows of about SWAP_CHUNK pairs with a checkpoint between them; the ranges
   * are scanned in row order, so the move chosen is the one a single scan would choose.
   */
  *stepSteps(it: number, stop: () => boolean): Steps<number> {
    const mv = this.mv;
    const { m, n } = this.inst;
    mv.kind = 0;
    mv.score = Infinity;
    this.bestShift(it);
    this.work += n * m;
    // Swaps: O(n^2), so only when no shift improves the penalised objective.
    if (mv.score >= -1e-9) {
      this.swapStart();
      for (let j = 0; j < n; ) {
        let end = j;
        let pairs = 0;
        while (end < n && pairs < SWAP_CHUNK) pairs += n - ++end;
        this.bestSwap(it, j, end);
        this.work += pairs;
        j = end;
        if (j < n && pairs > 0) {
          yield;
          if (stop()) return -1;
        }
      }
    }
    if (mv.kind === 0) return 0;
    this.apply(it);
    this.afterMove();
    return 1;
  }

  /**
   * Shifts, scanned from a random job so that ties (frequent with integer costs) are
   * broken by the seed: the seed must drive the walk, not only the tenures.
   */
  private bestShift(it: number): void {
    const { m, n, cost, weight, feasible } = this.inst;
    const { assign, load, tabuUntil, mv } = this;
    const alpha = this.alpha;
    const j0 = this.rng.int(n);
    for (let t = 0; t < n; t++) {
      const j = t + j0 < n ? t + j0 : t + j0 - n;
      const a = assign[j]!;
      const ka = a * n + j;
      const la = load[a]!;
      const dOut = this.excessOf(a, la - weight[ka]!) - this.excessOf(a, la);
      for (let i = 0; i < m; i++) {
        if (i === a) continue;
        const k = i * n + j;
        if (!feasible[k]) continue;
        const dEx = dOut + this.excessOf(i, load[i]! + weight[k]!) - this.excessOf(i, load[i]!);
        const dc = cost[k]! - cost[ka]!;
        const score = dc + alpha * dEx;
        if (score >= mv.score) continue;
        if (tabuUntil[k]! > it && !this.aspires(dEx, dc)) continue;
        mv.score = score;
        mv.kind = 1;
        mv.j = j;
        mv.to = i;
      }
    }
  }

  /** The agents' excess before the swap scan. */
  private swapStart(): void {
    const { load, exNow } = this;
    for (let i = 0; i < this.inst.m; i++) exNow[i] = this.excessOf(i, load[i]!);
  }

  /** Swaps of job j in [from, to) with a later job on a different agent, restricted by the candidate lists. */
  private bestSwap(it: number, from: number, to: number): void {
    const { n, cost, weight, capacity, feasible } = this.inst;
    const { assign, load, tabuUntil, good, exNow, mv } = this;
    const alpha = this.alpha;
    for (let j = from; j < to; j++) {
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
        if (score >= mv.score) continue;
        if ((tabuUntil[jb]! > it || tabuUntil[la]! > it) && !this.aspires(dEx, dc)) continue;
        mv.score = score;
        mv.kind = 2;
        mv.j = j;
        mv.k = l;
      }
    }
  }

  /** Applies the chosen move and makes its reverse tabu for a random tenure. */
  private apply(it: number): void {
    const n = this.inst.n;
    const { assign, mv } = this;
    const tenure = (): number => it + this.tMin + this.rng.int(this.tMax - this.tMin + 1);
    const a = assign[mv.j]!;
    if (mv.kind === 1) {
      this.move(mv.j, a, mv.to);
      this.tabuUntil[a * n + mv.j] = tenure();
    } else {
      const b = assign[mv.k]!;
      this.move(mv.j, a, b);
      this.move(mv.k, b, a);
      this.tabuUntil[a * n + mv.j] = tenure();
      this.tabuUntil[b * n + mv.k] = tenure();
    }
  }

  /** Records a new best, adapts the penalty weight (oscillation), restarts on stagnation. */
  private afterMove(): void {
    this.improved = false;
    if (this.excess <= 1e-9) {
      if (this.cur < this.bestCost - 1e-9) {
        this.bestCost = this.cur;
        this.best.set(this.assign);
        this.sinceBest = 0;
        this.improved = true;
      } else this.sinceBest++;
      this.alpha = Math.max(this.alpha0 * 1e-3, this.alpha / 1.1);
    } else {
      this.sinceBest++;
      this.alpha = Math.min(this.alpha0 * 1e4, this.alpha * 1.1);
    }
    if (this.sinceBest >= this.stagnation && this.bestCost < Infinity) this.restart();
  }

  /** Restart from the best with a random kick of a few shifts. */
  private restart(): void {
    this.sinceBest = 0;
    this.assign.set(this.best);
    this.recompute();
    this.kick(2 + this.rng.int(Math.max(1, Math.floor(this.inst.n / 20))));
    this.tabuUntil.fill(0);
    this.alpha = this.alpha0;
  }
}
