import type { Steps } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';
import { assignmentIncumbent } from './capacitated.js';
import type { FacilityProblem } from './problem.js';

/** Open sites, nearest first, whose shift and swap moves are tried for each client. */
const NEAR_SITES = 8;
/** Penalty weight factor per iteration: up while the walk is over capacity, down while it is feasible (strategic oscillation). */
const PENALTY_STEP = 1.1;
/** Iterations a client may not return to the site it left (plus a share of the client count). */
const TENURE_BASE = 7;
const TENURE_PER_CLIENT = 0.02;
/** Iterations without a new best feasible assignment after which the walk ends (times the client count). */
const STALL_PER_CLIENT = 3;
/** Iterations between two checkpoints (an abort is seen at each). */
const ITERATIONS_PER_STEP = 4;
/** Move evaluations per cell of work: one evaluation is a few array reads, a quarter of a relaxation cell's CPU time (measured at 100 x 400: ~140M evaluations/s against the ~40M cells/s the driver's calibration assumes). */
const EVALUATIONS_PER_CELL = 4;

/**
 * Global improvement of a single-source plan with its open sites fixed: the assignment is
 * then a generalized assignment problem (clients = jobs, open sites = agents), and a
 * capacity-penalised tabu search over shift and swap moves (Diaz-Fernandez / Yagiura-Ibaraki
 * style) walks through over-capacity assignments to reach ones that the descent-only moves
 * (region re-optimisation of 3-6 sites, pair exchanges) cannot: a better assignment of a
 * 100 x 400 plan may move 50-60 clients across all its open sites. Each iteration applies the
 * best non-tabu move for cost + alpha x excess load (a tabu move is allowed when it gives a
 * new best feasible assignment); alpha grows while the walk is over capacity and shrinks
 * while it is feasible. Moves of a client are restricted to its NEAR_SITES nearest open
 * sites (swaps with the clients there). Work is counted in cells (one move evaluated = one
 * cell), so that the caller's work balance replays on any machine.
 */
export class SingleSourceEjectionSearch {
  private readonly assign: Int32Array;
  private readonly bestAssign: Int32Array;
  private readonly load: Float64Array;
  /** Open sites nearest first for each client: near[j * NEAR_SITES + k] (-1 past the open count). */
  private readonly near: Int32Array;
  /** Clients by site: members[i * C + t] for t < count[i]; pos[j] = t. */
  private readonly members: Int32Array;
  private readonly count: Int32Array;
  private readonly pos: Int32Array;
  /** Iteration until which client j may not move back to site i: tabu[i * C + j]. */
  private readonly tabu: Int32Array;
  private readonly openList: Int32Array;
  /** Work done, in cells (moves evaluated), over all calls. */
  work = 0;
  /** Calls and calls that improved the assignment (statistics). */
  calls = 0;
  improvements = 0;

  constructor(private readonly pr: FacilityProblem) {
    const { nSites: S, nClients: C } = pr;
    this.assign = new Int32Array(C);
    this.bestAssign = new Int32Array(C);
    this.load = new Float64Array(S);
    this.near = new Int32Array(C * NEAR_SITES);
    this.members = new Int32Array(S * C);
    this.count = new Int32Array(S);
    this.pos = new Int32Array(C);
    this.tabu = new Int32Array(S * C);
    this.openList = new Int32Array(S);
  }

  /**
   * The tabu walk from the plan `inc` on its open sites, for at most `maxWork` cells; returns
   * a plan strictly cheaper than `inc` (unused sites closed), or null.
   */
  *improve(inc: Incumbent, stop: () => boolean, maxWork: number): Steps<Incumbent | null> {
    const { pr, assign, bestAssign, load, tabu } = this;
    const { nClients: C, c, d, cap } = pr;
    const start = inc.solution.assign;
    if (!start) return null;
    this.calls++;
    const work0 = this.work;
    assign.set(start);
    bestAssign.set(start);
    let cost = this.setUp(inc.solution.open);
    const startCost = cost;
    let bestCost = cost;
    let alpha = Math.max(1e-6, cost / Math.max(1e-9, pr.totalDemand));
    tabu.fill(0);
    const tenure = TENURE_BASE + Math.ceil(TENURE_PER_CLIENT * C);
    const maxStall = Math.ceil(STALL_PER_CLIENT * C);
    let stall = 0;
    for (let it = 1; stall < maxStall && this.work - work0 < maxWork; it++) {
      if (it % ITERATIONS_PER_STEP === 0) {
        yield;
        if (stop()) break;
      }
      const m = this.bestMove(alpha, it, cost, bestCost);
      if (m.j < 0) break;
      cost += m.dc;
      this.shift(m.j, m.b, it + tenure);
      if (m.k >= 0) this.shift(m.k, m.a, it + tenure);
      let excess = 0;
      for (let t = 0; t < this.nOpen; t++) {
        const i = this.openList[t]!;
        excess += Math.max(0, load[i]! - cap[i]!);
      }
      if (excess > 1e-9) alpha *= PENALTY_STEP;
      else {
        alpha /= PENALTY_STEP;
        if (cost < bestCost - 1e-9) {
          bestCost = cost;
          bestAssign.set(assign);
          stall = 0;
          continue;
        }
      }
      stall++;
    }
    if (!(bestCost < startCost - 1e-9)) return null;
    // Recomputed from scratch (no drift of the incremental cost), and checked against the capacities.
    for (let i = 0; i < pr.nSites; i++) load[i] = 0;
    for (let j = 0; j < C; j++) load[bestAssign[j]!]! += d[j]!;
    for (let i = 0; i < pr.nSites; i++) if (load[i]! > cap[i]! + 1e-9) return null;
    let check = 0;
    for (let j = 0; j < C; j++) check += c[bestAssign[j]! * C + j]!;
    if (!(check < startCost - 1e-9)) return null;
    this.improvements++;
    return assignmentIncumbent(pr, Uint8Array.from(inc.solution.open), Int32Array.from(bestAssign));
  }

  private nOpen = 0;
  private readonly move = { j: -1, k: -1, a: -1, b: -1, dc: 0 };

  /** Loads, member lists and nearest open sites of the current assignment; returns its serving cost. */
  private setUp(open: Uint8Array): number {
    const { pr, assign, load, members, count, pos, near, openList } = this;
    const { nSites: S, nClients: C, c, d } = pr;
    let n = 0;
    for (let i = 0; i < S; i++) if (open[i]) openList[n++] = i;
    this.nOpen = n;
    load.fill(0);
    count.fill(0);
    let cost = 0;
    for (let j = 0; j < C; j++) {
      const i = assign[j]!;
      load[i]! += d[j]!;
      cost += c[i * C + j]!;
      pos[j] = count[i]!;
      members[i * C + count[i]!] = j;
      count[i]!++;
    }
    // Nearest open sites per client by insertion into a list of NEAR_SITES (S x C cells once).
    for (let j = 0; j < C; j++) {
      const base = j * NEAR_SITES;
      let len = 0;
      for (let t = 0; t < n; t++) {
        const i = openList[t]!;
        const cij = c[i * C + j]!;
        if (cij === Infinity) continue;
        let k = Math.min(len, NEAR_SITES - 1);
        if (len === NEAR_SITES && cij >= c[near[base + k]! * C + j]!) continue;
        while (k > 0 && c[near[base + k - 1]! * C + j]! > cij) {
          near[base + k] = near[base + k - 1]!;
          k--;
        }
        near[base + k] = i;
        if (len < NEAR_SITES) len++;
      }
      for (let k = len; k < NEAR_SITES; k++) near[base + k] = -1;
    }
    this.work += n * C;
    return cost;
  }

  /** Over-capacity amount of site i with load l. */
  private excess(i: number, l: number): number {
    const e = l - this.pr.cap[i]!;
    return e > 0 ? e : 0;
  }

  /**
   * The best non-tabu shift or swap for cost + alpha x excess (a tabu one when it gives a
   * feasible assignment below `bestCost`); in `this.move` (j = -1 when none).
   */
  private bestMove(alpha: number, it: number, cost: number, bestCost: number): typeof this.move {
    const { pr, assign, load, near, members, count, tabu, move } = this;
    const { nClients: C, c, d } = pr;
    move.j = -1;
    let best = Infinity;
    let evaluated = 0;
    let excessNow = 0;
    for (let t = 0; t < this.nOpen; t++) excessNow += this.excess(this.openList[t]!, load[this.openList[t]!]!);
    for (let j = 0; j < C; j++) {
      const a = assign[j]!;
      const dj = d[j]!;
      const caj = c[a * C + j]!;
      const exA = this.excess(a, load[a]!);
      for (let q = 0; q < NEAR_SITES; q++) {
        const b = near[j * NEAR_SITES + q]!;
        if (b < 0) break;
        if (b === a) continue;
        const exB = this.excess(b, load[b]!);
        const jTabu = tabu[b * C + j]! > it;
        // Shift j: a -> b.
        const dcS = c[b * C + j]! - caj;
        const dxS = this.excess(a, load[a]! - dj) - exA + this.excess(b, load[b]! + dj) - exB;
        evaluated++;
        if (this.admissible(jTabu, dcS + alpha * dxS, best, cost + dcS, excessNow + dxS, bestCost)) {
          best = dcS + alpha * dxS;
          this.setMove(j, -1, a, b, dcS);
        }
        // Swap j (a -> b) with each client k of b (b -> a).
        const mb = b * C;
        for (let u = 0; u < count[b]!; u++) {
          const k = members[mb + u]!;
          const cak = c[a * C + k]!;
          if (cak === Infinity) continue;
          const delta = d[k]! - dj;
          const dc = dcS + cak - c[mb + k]!;
          const dx = this.excess(a, load[a]! + delta) - exA + this.excess(b, load[b]! - delta) - exB;
          const f = dc + alpha * dx;
          evaluated++;
          if (f < best && this.admissible(jTabu || tabu[a * C + k]! > it, f, best, cost + dc, excessNow + dx, bestCost)) {
            best = f;
            this.setMove(j, k, a, b, dc);
          }
        }
      }
    }
    this.work += (evaluated + this.nOpen) / EVALUATIONS_PER_CELL;
    return move;
  }

  private admissible(isTabu: boolean, f: number, best: number, newCost: number, newExcess: number, bestCost: number): boolean {
    if (!(f < best - 1e-12)) return false;
    return !isTabu || (newExcess <= 1e-9 && newCost < bestCost - 1e-9);
  }

  private setMove(j: number, k: number, a: number, b: number, dc: number): void {
    const m = this.move;
    m.j = j;
    m.k = k;
    m.a = a;
    m.b = b;
    m.dc = dc;
  }

  /** Moves client j to site `to`, making its return to the site it left tabu until `until`. */
  private shift(j: number, to: number, until: number): void {
    const { pr, assign, load, members, count, pos, tabu } = this;
    const C = pr.nClients;
    const from = assign[j]!;
    const last = members[from * C + count[from]! - 1]!;
    members[from * C + pos[j]!] = last;
    pos[last] = pos[j]!;
    count[from]!--;
    pos[j] = count[to]!;
    members[to * C + count[to]!] = j;
    count[to]!++;
    load[from]! -= pr.d[j]!;
    load[to]! += pr.d[j]!;
    assign[j] = to;
    tabu[from * C + j] = until;
  }
}
