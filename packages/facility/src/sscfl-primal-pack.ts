import { runSteps, type Steps } from '@emplace/core';
import type { FacilityProblem } from './problem.js';
import { SplitTable } from './sscfl-split-table.js';

/** Largest dynamic-programming table (clients x capacity units) for one pair; larger pairs are skipped. */
const MAX_CELLS = 1 << 21;
/** Iterations a pair may not pass excess back the way it came (plus a share of the open sites). */
const TABU_BASE = 2;
/** Factor of the penalty per unit of excess load after an iteration that did not reduce the total excess. */
const PENALTY_GROWTH = 2;

/**
 * Capacity repair of a single-source assignment on fixed open sites by exact pair splits
 * (an ejection chain on capacity): while some open site a is over its capacity, the clients
 * of a and one other open site b are split between them by a 0-1 knapsack DP so that a
 * ends within its capacity, and b takes at most what it has room for plus a's excess; the
 * pair chosen minimises the cost change plus a penalty per unit of excess left at b. The
 * excess so travels from site to site, each step re-packing a whole pair exactly, to the
 * sites that still have room. On plans whose open capacity exceeds the demand by a few
 * units (the good plans of tight instances: a 100 x 400 one at ratio 5 had 1 unit of spare
 * capacity in 8106), one client moved at a time rarely fits; a pair DP hits exact loads.
 * The penalty grows while the total excess does not shrink, so that the walk ends feasible
 * or gives up after `maxIterations`. Demands must be integers (as in SingleSourcePairExchange).
 */
export class SingleSourcePackRepair {
  readonly applicable: boolean;
  private readonly load: Float64Array;
  private readonly openList: Int32Array;
  private readonly clients: Int32Array;
  /** A pair's free clients (gathered by the table) and their split DP. */
  private readonly table: SplitTable;
  private readonly weight: Int32Array;
  /** Iteration until which site b may not pass excess to a: tabu[b * S + a]. */
  private readonly tabu: Int32Array;
  /** Work done, in DP cells (clients x capacity units) and clients scanned, over all calls. */
  work = 0;

  constructor(private readonly pr: FacilityProblem) {
    const { nSites: S, nClients: C, d } = pr;
    let integral = true;
    for (let j = 0; j < C; j++) if (!Number.isInteger(d[j]!) || d[j]! < 0) integral = false;
    this.applicable = integral;
    this.load = new Float64Array(S);
    this.openList = new Int32Array(S);
    this.table = new SplitTable(C);
    this.clients = this.table.clients;
    this.weight = this.table.weight;
    this.tabu = new Int32Array(S * S);
  }

  /**
   * Repairs `assign` in place (every client at an open site, loads possibly above the
   * capacities) into an assignment within every capacity on the same open sites; returns
   * true when it got there (`assign` is then feasible), false otherwise (`assign` is then
   * some assignment on the open sites, possibly still over capacity).
   */
  repair(open: Uint8Array, assign: Int32Array, maxIterations: number): boolean {
    return runSteps(this.repairSteps(open, assign, maxIterations, () => false));
  }

  /**
   * `repair` with a checkpoint after each pair evaluated (one pair DP, some 10^4-10^5 table
   * cells, costs about one checkpoint of the site search); after `stop`, false.
   */
  *repairSteps(open: Uint8Array, assign: Int32Array, maxIterations: number, stop: () => boolean): Steps<boolean> {
    const { pr, load, openList, tabu } = this;
    const { nSites: S, nClients: C, c, d, cap } = pr;
    if (!this.applicable) return false;
    load.fill(0);
    let cost = 0;
    let demand = 0;
    for (let j = 0; j < C; j++) {
      load[assign[j]!]! += d[j]!;
      cost += c[assign[j]! * C + j]!;
      demand += d[j]!;
    }
    let nOpen = 0;
    for (let i = 0; i < S; i++) if (open[i]) openList[nOpen++] = i;
    this.work += C + S;
    // The penalty starts at the plan's mean serving cost per unit of demand: excess is priced like moving demand.
    let alpha = Math.max(1e-9, cost / Math.max(1e-9, demand));
    let excess = this.totalExcess(nOpen);
    const tenure = TABU_BASE + (nOpen >> 2);
    for (let i = 0; i < nOpen; i++) for (let k = 0; k < nOpen; k++) tabu[openList[i]! * S + openList[k]!] = 0;
    for (let it = 1; it <= maxIterations && excess > 1e-9; it++) {
      // The site most over its capacity passes its excess on.
      let a = -1;
      for (let t = 0; t < nOpen; t++) {
        const i = openList[t]!;
        if (load[i]! - cap[i]! > 1e-9 && (a < 0 || load[i]! - cap[i]! > load[a]! - cap[a]!)) a = i;
      }
      // The best partner that is not tabu; when every partner is (two open sites), the best of all.
      let bestB = -1;
      let bestScore = Infinity;
      let anyB = -1;
      let anyScore = Infinity;
      for (let t = 0; t < nOpen; t++) {
        const b = openList[t]!;
        if (b === a) continue;
        const s = this.pairScore(a, b, assign, alpha, -1);
        yield;
        if (stop()) return false;
        if (s < anyScore) {
          anyScore = s;
          anyB = b;
        }
        if (tabu[a * S + b]! <= it && s < bestScore) {
          bestScore = s;
          bestB = b;
        }
      }
      if (bestB < 0) bestB = anyB;
      if (bestB < 0) return false;
      this.pairScore(a, bestB, assign, alpha, bestB);
      tabu[bestB * S + a] = it + tenure;
      const next = this.totalExcess(nOpen);
      if (!(next < excess - 1e-9)) alpha *= PENALTY_GROWTH;
      excess = next;
    }
    if (excess > 1e-9) return false;
    // Checked from scratch: every client at an open site it may use, every load within its capacity.
    load.fill(0);
    for (let j = 0; j < C; j++) {
      const i = assign[j]!;
      if (!open[i] || c[i * C + j] === Infinity) return false;
      load[i]! += d[j]!;
    }
    for (let t = 0; t < nOpen; t++) if (load[openList[t]!]! > cap[openList[t]!]! + 1e-9) return false;
    return true;
  }

  private totalExcess(nOpen: number): number {
    const { load, openList, pr } = this;
    let e = 0;
    for (let t = 0; t < nOpen; t++) {
      const i = openList[t]!;
      e += Math.max(0, load[i]! - pr.cap[i]!);
    }
    return e;
  }

  /**
   * The best split of the clients of a and b with a within its capacity: cost change plus
   * alpha x (excess of b after - excess of a and b before). With apply = b, the split is
   * applied (assign and loads). Infinity when no split keeps a within its capacity.
   */
  private pairScore(a: number, b: number, assign: Int32Array, alpha: number, apply: number): number {
    const { pr, load } = this;
    const { nClients: C, cap } = pr;
    this.table.gather(pr, assign, a, b);
    const { n, current, base, forcedA, total } = this.table;
    this.work += C;
    const W = Math.min(Math.floor(cap[a]! + 1e-9) - forcedA, total - forcedA);
    if (W < 0 || (n + 1) * (W + 1) > MAX_CELLS) return Infinity;
    this.table.fill(n, W);
    this.work += n * (W + 1);
    const excessBefore = Math.max(0, load[a]! - cap[a]!) + Math.max(0, load[b]! - cap[b]!);
    let bestW = -1;
    let best = Infinity;
    for (let w = 0; w <= W; w++) {
      const v = this.table.dp[w]!;
      if (v === Infinity) continue;
      const loadB = total - forcedA - w;
      const s = base + v - current + alpha * (Math.max(0, loadB - cap[b]!) - excessBefore);
      if (s < best) {
        best = s;
        bestW = w;
      }
    }
    if (bestW < 0) return Infinity;
    if (apply === b) this.applySplit(a, b, n, W, bestW, assign);
    return best;
  }

  /** Moves the free clients to the split of weight w at a (the table's trace back). */
  private applySplit(a: number, b: number, n: number, W: number, w: number, assign: Int32Array): void {
    const { clients, weight, table, load } = this;
    const { d } = this.pr;
    for (let t = n - 1; t >= 0; t--) {
      const j = clients[t]!;
      const toA = table.taken(t, W, w);
      const target = toA ? a : b;
      if (toA) w -= weight[t]!;
      if (assign[j] === target) continue;
      load[assign[j]!]! -= d[j]!;
      load[target]! += d[j]!;
      assign[j] = target;
    }
  }
}
