import { runSteps, type Steps } from '@emplace/core';
import type { FacilityProblem } from './problem.js';

/** Cost entries copied or scanned between two checkpoints of the cost copy (whole site rows, at most 8: every 8 rows up to 1,024 clients, fewer rows beyond). */
const COPY_CHECKPOINT_ENTRIES = 1 << 13;

/**
 * Local search over the set of open sites with the fast incremental bookkeeping of
 * Whitaker (1983) as refined by Resende and Werneck (2003, 2007), for UFL (add, drop,
 * swap) and p-median (swap only).
 *
 * For each client j we keep its closest open site b1[j] (distance d1[j]) and second
 * closest b2[j] (d2[j]). From these, three tables give the exact profit of every move
 * without recomputing the objective:
 *   gain[u]      = sum_j max(0, d1_j - c_uj)                      (open u)
 *   loss[r]      = sum_{j: b1_j = r} (d2_j - d1_j)                 (close r)
 *   extra[u, r]  = sum_{j: b1_j = r, c_uj < d2_j} (d2_j - max(c_uj, d1_j))
 * so swap(u in, r out) saves gain[u] - loss[r] + extra[u, r] + f_r - f_u. After a move
 * only the clients whose b1/b2 change (or for which the new site is among the two
 * closest) have their contributions subtracted and re-added: O(S) per affected client
 * instead of O(S * C) per move.
 *
 * Forbidden pairs (cost Infinity) are replaced by a penalty larger than any feasible
 * solution's cost so the arithmetic stays finite; a feasible start never moves to an
 * infeasible solution.
 */
export class Interchange {
  readonly S: number;
  readonly C: number;
  private readonly c: Float64Array;
  private readonly f: Float64Array;
  readonly penalty: number;
  readonly open: Uint8Array;
  private openList: Int32Array;
  private nOpen = 0;
  readonly b1: Int32Array;
  readonly b2: Int32Array;
  private readonly d1: Float64Array;
  private readonly d2: Float64Array;
  private readonly gain: Float64Array;
  private readonly loss: Float64Array;
  private readonly extra: Float64Array;
  private readonly locked: Uint8Array;
  private readonly banned: Uint8Array;
  private movesSinceRebuild = 0;

  constructor(pr: FacilityProblem, fixedOpen?: Uint8Array, fixedClosed?: Uint8Array, costs?: { c: Float64Array; penalty: number }) {
    const { nSites: S, nClients: C } = pr;
    this.S = S;
    this.C = C;
    this.f = pr.f;
    const prepared = costs ?? runSteps(Interchange.penalisedCostsSteps(pr));
    this.penalty = prepared.penalty;
    this.c = prepared.c;
    this.open = new Uint8Array(S);
    this.openList = new Int32Array(S);
    this.b1 = new Int32Array(C);
    this.b2 = new Int32Array(C);
    this.d1 = new Float64Array(C);
    this.d2 = new Float64Array(C);
    this.gain = new Float64Array(S);
    this.loss = new Float64Array(S);
    this.extra = new Float64Array(S * S);
    this.locked = new Uint8Array(S);
    this.banned = new Uint8Array(S);
    for (let i = 0; i < S; i++) {
      if (pr.mustOpen[i] || fixedOpen?.[i]) this.locked[i] = 1;
      if (pr.forbidden[i] || fixedClosed?.[i]) this.banned[i] = 1;
    }
  }

  /** An Interchange whose cost copy is made with checkpoints (two passes over S x C: ~0.1 s in cold code at 900 x 900). */
  static *createSteps(pr: FacilityProblem): Steps<Interchange> {
    const costs = yield* Interchange.penalisedCostsSteps(pr);
    return new Interchange(pr, undefined, undefined, costs);
  }

  /**
   * The cost copy with forbidden pairs at a penalty above any feasible cost: a checkpoint
   * every 8 site rows, or fewer rows once 8 rows pass COPY_CHECKPOINT_ENTRIES entries. Every 8 rows held the event loop
   * 27-55 ms on the 100,000 clients of a stochastic set's UFL equivalent (800,000 entries,
   * cold code; `benchmarks/responsiveness/stall-locate.ts stochastic:ufl-equivalent`).
   */
  private static *penalisedCostsSteps(pr: FacilityProblem): Steps<{ c: Float64Array; penalty: number }> {
    const { nSites: S, nClients: C } = pr;
    const rowsPerStep = Math.min(8, Math.max(1, Math.floor(COPY_CHECKPOINT_ENTRIES / Math.max(1, C))));
    let big = 1;
    for (let i = 0; i < S; i++) big += pr.f[i]!;
    // Each client's largest allowed cost, site rows in order (contiguous reads).
    const worst = new Float64Array(C);
    for (let i = 0; i < S; i++) {
      if (i % rowsPerStep === rowsPerStep - 1) yield;
      const row = i * C;
      for (let j = 0; j < C; j++) {
        const v = pr.c[row + j]!;
        if (v < Infinity && v > worst[j]!) worst[j] = v;
      }
    }
    for (let j = 0; j < C; j++) big += worst[j]!;
    const penalty = 4 * big;
    const c = new Float64Array(S * C);
    for (let i = 0; i < S; i++) {
      if (i % rowsPerStep === rowsPerStep - 1) yield;
      for (let k = i * C; k < (i + 1) * C; k++) c[k] = pr.c[k]! < Infinity ? pr.c[k]! : penalty;
    }
    return { c, penalty };
  }

  /** Sets the open sites and rebuilds every table (O(S * C)). */
  setOpen(open: ArrayLike<number>): void {
    runSteps(this.setOpenSteps(open));
  }

  /** `setOpen` as steps: a checkpoint every 64 clients of the rebuild (O(S) each); with `stop`, as moveSteps. */
  *setOpenSteps(open: ArrayLike<number>, stop?: () => boolean): Steps<boolean> {
    for (let i = 0; i < this.S; i++) this.open[i] = open[i] ? 1 : 0;
    return yield* this.rebuildSteps(stop);
  }

  /** Objective of the current open set (opening + serving, penalised pairs included). */
  objective(): number {
    let t = 0;
    for (let k = 0; k < this.nOpen; k++) t += this.f[this.openList[k]!]!;
    for (let j = 0; j < this.C; j++) t += this.d1[j]!;
    return t;
  }

  /** True when every client is served through an allowed pair. */
  feasible(): boolean {
    if (this.nOpen === 0) return this.C === 0;
    for (let j = 0; j < this.C; j++) if (this.d1[j]! >= this.penalty) return false;
    return true;
  }

  openCount(): number {
    return this.nOpen;
  }

  private *rebuildSteps(stop?: () => boolean): Steps<boolean> {
    const { S, C } = this;
    this.nOpen = 0;
    for (let i = 0; i < S; i++) if (this.open[i]) this.openList[this.nOpen++] = i;
    this.gain.fill(0);
    this.loss.fill(0);
    this.extra.fill(0);
    for (let j = 0; j < C; j++) {
      if ((j & 63) === 63) {
        yield;
        if (stop?.()) return false;
      }
      this.closest(j);
      this.contribute(j, 1);
    }
    this.movesSinceRebuild = 0;
    return true;
  }

  /** Recomputes b1/b2/d1/d2 of client j from the open list. */
  private closest(j: number): void {
    const { C, c } = this;
    let b1 = -1;
    let b2 = -1;
    let d1 = Infinity;
    let d2 = Infinity;
    for (let k = 0; k < this.nOpen; k++) {
      const i = this.openList[k]!;
      const v = c[i * C + j]!;
      if (v < d1) {
        b2 = b1;
        d2 = d1;
        b1 = i;
        d1 = v;
      } else if (v < d2) {
        b2 = i;
        d2 = v;
      }
    }
    if (b1 < 0) d1 = this.penalty * 2;
    if (b2 < 0) d2 = this.penalty * 2;
    this.b1[j] = b1;
    this.b2[j] = b2;
    this.d1[j] = d1;
    this.d2[j] = d2;
  }

  private contribute(j: number, sign: number): void {
    const { S, C, c } = this;
    const r = this.b1[j]!;
    const a = this.d1[j]!;
    const b = this.d2[j]!;
    if (r >= 0) this.loss[r]! += sign * (b - a);
    const gain = this.gain;
    const extra = this.extra;
    for (let u = 0; u < S; u++) {
      const cu = c[u * C + j]!;
      if (cu < a) gain[u]! += sign * (a - cu);
      if (r >= 0 && cu < b) extra[u * S + r]! += sign * (b - (cu > a ? cu : a));
    }
  }

  /** Opens u and/or closes r (either may be -1), updating only the affected clients. */
  move(u: number, r: number): void {
    runSteps(this.moveSteps(u, r));
  }

  /**
   * `move` as steps: a checkpoint every 64 affected clients (O(S) each; early moves of a greedy
   * affect most clients). With `stop`, a stop seen at a checkpoint abandons the update (a move
   * at 2000 x 2000 is ~50 ms): `open` holds the moved set, the tables are stale until
   * setOpenSteps, and the steps return false.
   */
  *moveSteps(u: number, r: number, stop?: () => boolean): Steps<boolean> {
    const { C, c } = this;
    if (++this.movesSinceRebuild > 200) {
      // Bound floating drift of the incremental sums.
      if (u >= 0) this.open[u] = 1;
      if (r >= 0) this.open[r] = 0;
      yield* this.rebuildSteps();
      return true;
    }
    const affected: number[] = [];
    for (let j = 0; j < C; j++) {
      const b1 = this.b1[j]!;
      const b2 = this.b2[j]!;
      if ((r >= 0 && (b1 === r || b2 === r)) || (u >= 0 && c[u * C + j]! < this.d2[j]!)) affected.push(j);
    }
    let stopped = false;
    for (let k = 0; k < affected.length && !stopped; k++) {
      if ((k & 63) === 63) {
        yield;
        if (stop?.()) stopped = true;
      }
      this.contribute(affected[k]!, -1);
    }
    if (u >= 0) this.open[u] = 1;
    if (r >= 0) this.open[r] = 0;
    this.nOpen = 0;
    for (let i = 0; i < this.S; i++) if (this.open[i]) this.openList[this.nOpen++] = i;
    for (let k = 0; k < affected.length && !stopped; k++) {
      if ((k & 63) === 63) {
        yield;
        if (stop?.()) stopped = true;
      }
      const j = affected[k]!;
      this.closest(j);
      this.contribute(j, 1);
    }
    return !stopped;
  }

  /**
   * Best improving move: UFL (`mode = 'ufl'`) considers add, drop and swap; p-median
   * (`'swap'`) only swaps. Returns null at a local optimum.
   */
  bestMove(mode: 'ufl' | 'swap', eps: number): { u: number; r: number; profit: number } | null {
    const { S, f } = this;
    let bestU = -1;
    let bestR = -1;
    let best = eps;
    if (mode === 'ufl') {
      for (let u = 0; u < S; u++) {
        if (this.open[u] || this.banned[u]) continue;
        const p = this.gain[u]! - f[u]!;
        if (p > best) {
          best = p;
          bestU = u;
          bestR = -1;
        }
      }
      if (this.nOpen > 1) {
        for (let k = 0; k < this.nOpen; k++) {
          const r = this.openList[k]!;
          if (this.locked[r]) continue;
          const p = f[r]! - this.loss[r]!;
          if (p > best) {
            best = p;
            bestU = -1;
            bestR = r;
          }
        }
      }
    }
    for (let k = 0; k < this.nOpen; k++) {
      const r = this.openList[k]!;
      if (this.locked[r]) continue;
      const base = f[r]! - this.loss[r]!;
      for (let u = 0; u < S; u++) {
        if (this.open[u] || this.banned[u]) continue;
        const p = base + this.gain[u]! - f[u]! + this.extra[u * S + r]!;
        if (p > best) {
          best = p;
          bestU = u;
          bestR = r;
        }
      }
    }
    if (bestU < 0 && bestR < 0) return null;
    return { u: bestU, r: bestR, profit: best };
  }

  /** The closed, allowed site whose opening saves the most (gain - f), or -1. */
  bestAdd(): number {
    let best = -1;
    let bv = -Infinity;
    for (let u = 0; u < this.S; u++) {
      if (this.open[u] || this.banned[u]) continue;
      const p = this.gain[u]! - this.f[u]!;
      if (p > bv) {
        bv = p;
        best = u;
      }
    }
    return best;
  }

  /** The open set plus the `k` closed, allowed sites of largest gain - f in the current tables (no update between them). */
  bestAddsAtOnce(k: number): Uint8Array {
    const open = Uint8Array.from(this.open);
    const cand: number[] = [];
    for (let u = 0; u < this.S; u++) if (!this.open[u] && !this.banned[u]) cand.push(u);
    cand.sort((a, b) => this.gain[b]! - this.f[b]! - (this.gain[a]! - this.f[a]!) || a - b);
    for (let t = 0; t < k && t < cand.length; t++) open[cand[t]!] = 1;
    return open;
  }

  /** Runs best-improvement moves to a local optimum; `shouldStop` is polled every move. */
  descend(mode: 'ufl' | 'swap', shouldStop: () => boolean, maxMoves = Infinity): number {
    return runSteps(this.descendSteps(mode, shouldStop, maxMoves));
  }

  /** `descend` as steps: a checkpoint after every move (one move is O(S^2) at most; a descent can take thousands). */
  *descendSteps(mode: 'ufl' | 'swap', shouldStop: () => boolean, maxMoves = Infinity): Steps<number> {
    let moves = 0;
    let scale = Math.abs(this.objective()) + 1;
    while (moves < maxMoves && !shouldStop()) {
      const m = this.bestMove(mode, 1e-10 * scale);
      if (!m) break;
      yield* this.moveSteps(m.u, m.r);
      moves++;
      if ((moves & 31) === 0) scale = Math.abs(this.objective()) + 1;
      yield;
    }
    return moves;
  }

  /** Assignment of each client to its closest open site. */
  assignment(): Int32Array {
    return Int32Array.from(this.b1);
  }
}
