import { runSteps, type Rng, type Steps } from '@emplace/core';
import type { GapInstance, GapPlan, GapWalkOptions } from './gap-instance.js';

/**
 * Ejection-chain local search for GAP with adaptive per-agent penalty weights (after
 * Yagiura, Ibaraki & Glover 2004, "An ejection chain approach for the generalized
 * assignment problem"). The walk moves through infeasible assignments too and minimises
 *   cost + sum_i alpha_i * max(0, load_i - b_i)
 * by first improvement over three neighbourhoods: shift (a job to another agent), swap
 * (two jobs on different agents) and the ejection chain of length two (job j moves to
 * agent b and ejects a job l of b to a third agent c), which reaches the exchanges that a
 * full agent needs and that no shift or swap makes alone. At each local optimum the
 * weights adapt: an agent still over its capacity has its weight raised in proportion to
 * the excess, and every weight falls while the walk is feasible, so the walk keeps crossing
 * the capacity boundary where good plans lie (strategic oscillation with a weight per
 * agent: the agents that are hard to fit are the ones that become expensive to overload).
 * When no new best plan appears for a while, the walk goes back to the best plan and is
 * kicked by a few random shifts (iterated local search).
 *
 * Not used by gap:auto (measured with benchmarks/assignment/gap-phases.ts, CPU-time
 * budgets on Chu-Beasley D 20 x 100 / 20 x 200): alone it beats the tabu walk of
 * gap-tabu.ts (12391 vs 12430 and 6289 vs 6320 at 6 s) and reaches in 0.4 s what LNS reaches
 * in 4 s, but LNS started from its local optimum ended worse than LNS started from the
 * Lagrangian heuristic's plan in 3 of 4 runs (e.g. 12408 vs 12375 at 8 s), and as the
 * turns between branch-and-bound slices it was even (better on 20 x 200, worse on 20 x 100).
 */
export interface GapEjectionOptions extends GapWalkOptions {
  /** Cap on local optima (default: none; the stop callback decides). */
  maxRounds?: number | undefined;
  /** Stop after this many local optima without a new best plan (default: never). */
  maxStaleRounds?: number | undefined;
}

export interface GapEjectionResult extends GapPlan {
  /** Local optima reached. */
  rounds: number;
}

export function gapEjection(inst: GapInstance, start: Int32Array, opts: GapEjectionOptions): GapEjectionResult {
  return runSteps(gapEjectionSteps(inst, start, opts));
}

/** Candidate chains (job, agent, member) between the chain pass's checkpoints. */
const CHAIN_WORK = 1 << 18;

/** The search as steps: a checkpoint after every neighbourhood pass, and inside the chain pass (O(n^2 m)). */
export function* gapEjectionSteps(inst: GapInstance, start: Int32Array, opts: GapEjectionOptions): Steps<GapEjectionResult> {
  const walk = new EjectionWalk(inst, start, opts.rng);
  const target = opts.lowerBound ?? -Infinity;
  const maxRounds = opts.maxRounds ?? Infinity;
  // Local optima without a new best before the walk restarts from the best plan.
  const patience = Math.max(30, 2 * inst.m);
  const maxStale = opts.maxStaleRounds ?? Infinity;
  let rounds = 0;
  let stale = 0;
  let sinceBest = 0;
  while (rounds < maxRounds && walk.bestCost > target + 1e-9 && sinceBest < maxStale) {
    // Local search to a local optimum of the penalised cost, one pass per checkpoint.
    let improving = true;
    while (improving) {
      yield;
      if (opts.stop()) return walk.result(rounds);
      if (walk.shiftPass() || walk.swapPass()) continue;
      const chain = yield* walk.chainPassSteps(opts.stop);
      if (chain < 0) return walk.result(rounds);
      improving = chain === 1;
    }
    rounds++;
    if (walk.record()) {
      stale = 0;
      sinceBest = 0;
      opts.onImprove?.(walk.bestCost, walk.best);
    } else {
      stale++;
      sinceBest++;
    }
    walk.adaptWeights();
    if (stale >= patience && walk.bestCost < Infinity) {
      walk.restart(Math.max(2, Math.round(inst.n / 30)));
      stale = 0;
    }
  }
  return walk.result(rounds);
}

/** The walk: assignment, loads, per-agent weights, and the jobs of each agent (for the chains). */
class EjectionWalk {
  readonly assign: Int32Array;
  readonly load: Float64Array;
  readonly alpha: Float64Array;
  readonly best: Int32Array;
  bestCost = Infinity;
  private cur = 0;
  private readonly alpha0: number;
  /** members[i * n + t], t < count[i]: the jobs on agent i; pos[j]: j's index in its agent's list. */
  private readonly members: Int32Array;
  private readonly count: Int32Array;
  private readonly pos: Int32Array;

  constructor(
    private readonly inst: GapInstance,
    start: Int32Array,
    private readonly rng: Rng,
  ) {
    const { m, n } = inst;
    this.assign = Int32Array.from(start);
    this.load = new Float64Array(m);
    this.members = new Int32Array(m * n);
    this.count = new Int32Array(m);
    this.pos = new Int32Array(n);
    this.best = Int32Array.from(start);
    this.alpha0 = alphaScale(inst);
    this.alpha = new Float64Array(m).fill(this.alpha0);
    this.rebuild();
    if (this.feasibleNow()) this.bestCost = this.cur;
  }

  result(rounds: number): GapEjectionResult {
    return { assignment: this.best, cost: this.bestCost, rounds };
  }

  /** Loads, cost and member lists of the current assignment from scratch. */
  private rebuild(): void {
    const { n, cost, weight } = this.inst;
    this.load.fill(0);
    this.count.fill(0);
    this.cur = 0;
    for (let j = 0; j < n; j++) {
      const a = this.assign[j]!;
      this.load[a]! += weight[a * n + j]!;
      this.cur += cost[a * n + j]!;
      this.pos[j] = this.count[a]!;
      this.members[a * n + this.count[a]!++] = j;
    }
  }

  private feasibleNow(): boolean {
    const { m, capacity } = this.inst;
    for (let i = 0; i < m; i++) if (this.load[i]! > capacity[i]! + 1e-9) return false;
    return true;
  }

  /** Weighted excess of agent i at load l. */
  private pen(i: number, l: number): number {
    const e = l - this.inst.capacity[i]!;
    return e > 1e-9 ? this.alpha[i]! * e : 0;
  }

  private shift(j: number, to: number): void {
    const { n, cost, weight } = this.inst;
    const from = this.assign[j]!;
    this.cur += cost[to * n + j]! - cost[from * n + j]!;
    this.load[from]! -= weight[from * n + j]!;
    this.load[to]! += weight[to * n + j]!;
    // Member lists: swap-remove from `from`, append to `to`.
    const p = this.pos[j]!;
    const last = this.members[from * n + --this.count[from]!]!;
    this.members[from * n + p] = last;
    this.pos[last] = p;
    this.pos[j] = this.count[to]!;
    this.members[to * n + this.count[to]!++] = j;
    this.assign[j] = to;
  }

  /** First improving shift, scanned from a random job. */
  shiftPass(): boolean {
    const { m, n, cost, weight, feasible } = this.inst;
    const { assign, load } = this;
    const j0 = this.rng.int(n);
    for (let t = 0; t < n; t++) {
      const j = t + j0 < n ? t + j0 : t + j0 - n;
      const a = assign[j]!;
      const ka = a * n + j;
      const la = load[a]!;
      const out = this.pen(a, la - weight[ka]!) - this.pen(a, la) - cost[ka]!;
      for (let b = 0; b < m; b++) {
        const kb = b * n + j;
        if (b === a || !feasible[kb]) continue;
        const d = out + cost[kb]! + this.pen(b, load[b]! + weight[kb]!) - this.pen(b, load[b]!);
        if (d < -1e-9) {
          this.shift(j, b);
          return true;
        }
      }
    }
    return false;
  }

  /** First improving swap of two jobs on different agents, scanned from a random job. */
  swapPass(): boolean {
    const { n, cost, weight, feasible } = this.inst;
    const { assign, load } = this;
    const j0 = this.rng.int(n);
    for (let t = 0; t < n; t++) {
      const j = t + j0 < n ? t + j0 : t + j0 - n;
      const a = assign[j]!;
      const ja = a * n + j;
      const loadA = load[a]! - weight[ja]!;
      const penA = this.pen(a, load[a]!);
      for (let l = j + 1; l < n; l++) {
        const b = assign[l]!;
        if (b === a) continue;
        const jb = b * n + j;
        const la = a * n + l;
        if (!feasible[jb] || !feasible[la]) continue;
        const lb = b * n + l;
        const dc = cost[jb]! + cost[la]! - cost[ja]! - cost[lb]!;
        const d = dc + this.pen(a, loadA + weight[la]!) - penA + this.pen(b, load[b]! - weight[lb]! + weight[jb]!) - this.pen(b, load[b]!);
        if (d < -1e-9) {
          this.shift(j, b);
          this.shift(l, a);
          return true;
        }
      }
    }
    return false;
  }

  /**
   * First improving ejection chain of length two: j moves from a to b, and a job l of b
   * moves on to a third agent c (c = a would be a swap). Scanned from a random job.
   */
  *chainPassSteps(stop: () => boolean): Steps<number> {
    const { m, n } = this.inst;
    const j0 = this.rng.int(n);
    // A full pass (at a local optimum) is O(n^2 m): 35 ms on 40 x 400. Checkpoints every
    // ~CHAIN_WORK candidate moves; the rows are scanned in the same order, so the first
    // improving chain found is the same. 1: applied, 0: none, -1: stopped (nothing applied).
    const rows = Math.max(1, Math.floor(CHAIN_WORK / Math.max(1, n * m)));
    for (let t = 0; t < n; t += rows) {
      if (t > 0) {
        yield;
        if (stop()) return -1;
      }
      if (this.chainRows(j0, t, Math.min(n, t + rows))) return 1;
    }
    return 0;
  }

  /** Jobs j0 + t for t in [from, to) (mod n): the first improving chain from them, applied. */
  private chainRows(j0: number, from: number, to: number): boolean {
    const { m, n, cost, weight, feasible } = this.inst;
    const { assign, load, members, count } = this;
    for (let t = from; t < to; t++) {
      const j = t + j0 < n ? t + j0 : t + j0 - n;
      const a = assign[j]!;
      const ja = a * n + j;
      const la = load[a]!;
      const outA = this.pen(a, la - weight[ja]!) - this.pen(a, la) - cost[ja]!;
      for (let b = 0; b < m; b++) {
        const jb = b * n + j;
        if (b === a || !feasible[jb]) continue;
        const lb0 = load[b]! + weight[jb]!;
        const penB = this.pen(b, load[b]!);
        const intoB = outA + cost[jb]!;
        for (let q = 0; q < count[b]!; q++) {
          const l = members[b * n + q]!;
          const lbk = b * n + l;
          const d1 = intoB - cost[lbk]! + this.pen(b, lb0 - weight[lbk]!) - penB;
          for (let c = 0; c < m; c++) {
            const lc = c * n + l;
            if (c === a || c === b || !feasible[lc]) continue;
            const d = d1 + cost[lc]! + this.pen(c, load[c]! + weight[lc]!) - this.pen(c, load[c]!);
            if (d < -1e-9) {
              this.shift(j, b);
              this.shift(l, c);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** True when the current plan is feasible and better than the best (then kept). */
  record(): boolean {
    if (this.cur >= this.bestCost - 1e-9 || !this.feasibleNow()) return false;
    this.bestCost = this.cur;
    this.best.set(this.assign);
    return true;
  }

  /**
   * Over-capacity agents get dearer in proportion to their relative excess; when the
   * local optimum is feasible, every weight falls (the walk may overload again).
   */
  adaptWeights(): void {
    const { m, capacity } = this.inst;
    const lo = this.alpha0 * 1e-3;
    const hi = this.alpha0 * 1e4;
    let over = false;
    for (let i = 0; i < m; i++) {
      const e = this.load[i]! - capacity[i]!;
      if (e > 1e-9) {
        over = true;
        this.alpha[i] = Math.min(hi, this.alpha[i]! * (1 + Math.min(1, 0.1 + (10 * e) / capacity[i]!)));
      }
    }
    if (!over) for (let i = 0; i < m; i++) this.alpha[i] = Math.max(lo, this.alpha[i]! * 0.9);
  }

  /** Back to the best plan, then `moves` random feasible shifts. */
  restart(moves: number): void {
    const { m, n, feasible } = this.inst;
    this.assign.set(this.best);
    this.rebuild();
    for (let t = 0; t < moves; t++) {
      const j = this.rng.int(n);
      const b = this.rng.int(m);
      if (b !== this.assign[j]! && feasible[b * n + j]) this.shift(j, b);
    }
  }
}

/** Scale of the penalty weights: average cost per unit of weight. */
function alphaScale(inst: GapInstance): number {
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
