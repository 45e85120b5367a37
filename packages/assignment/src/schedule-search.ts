import { runSteps, type Rng, type Steps } from '@emplace/core';
import type { CompiledSchedule } from './schedule-compile.js';

/**
 * Local search on the full scheduling objective over a compiled model. The state keeps
 * loads per site and dimension, anti-affinity counters per group and domain, and the
 * units on each site, so a move is checked and priced in O(D + groups + degree): the
 * quadratic network term is evaluated incrementally from the moving unit's traffic
 * neighbours only. Moves: shift (one unit to another site) and ejection chains (a unit
 * takes a full site and pushes one of its units elsewhere, which covers swaps when the
 * pushed unit goes to the vacated site). Capacity and every hard constraint hold at all
 * times: the search never leaves the feasible region.
 */
/** Placements the exhaustive construction tries before it gives up (a few ms at 50 sites). */
export const SCHEDULE_EXHAUSTIVE_BUDGET = 100_000;
/** Work between two checkpoints of descendSteps (see there): 64 plain units, or 2-3 ejection attempts. */
const DESCEND_CHECKPOINT_WORK = 64;

export class ScheduleSearch {
  readonly c: CompiledSchedule;
  readonly site: Int32Array;
  readonly load: Float64Array;
  private readonly count: Int32Array;
  private readonly siteUnits: Int32Array;
  private readonly siteSize: Int32Array;
  private readonly pos: Int32Array;
  private readonly scoreBuf: Float64Array;
  total = 0;
  moves = 0;
  /**
   * Why the last construction returned no plan: the exhaustive search tried every site of
   * every unit (`infeasible`: no plan exists) or ran out of its node budget (`budget`);
   * undefined when it was stopped (time limit, abort) or found a plan.
   */
  noPlan: 'infeasible' | 'budget' | undefined;

  constructor(c: CompiledSchedule) {
    this.c = c;
    this.site = new Int32Array(c.U).fill(-1);
    this.load = new Float64Array(c.S * c.D);
    this.count = new Int32Array(c.countLength);
    this.siteUnits = new Int32Array(c.S * Math.max(1, c.U));
    this.siteSize = new Int32Array(c.S);
    this.pos = new Int32Array(c.U).fill(-1);
    this.scoreBuf = new Float64Array(c.S);
  }

  /** Demand of unit u at site t in dimension d. */
  private dem(t: number, u: number, d: number): number {
    return this.c.demand[t * this.c.demandSiteStride + u * this.c.D + d]!;
  }

  /** Can u go to t (from where it is, or from nowhere) without breaking a hard constraint? */
  canPlace(u: number, t: number): boolean {
    const c = this.c;
    if (!c.allowed[t * c.U + u]) return false;
    const s = this.site[u]!;
    if (s === t) return true;
    for (let d = 0; d < c.D; d++) if (this.load[t * c.D + d]! + this.dem(t, u, d) > c.capacity[t * c.D + d]! + 1e-9) return false;
    return this.apartFromGroups(u, s, t);
  }

  /** Same as canPlace but ignoring capacity (for ejection chains). */
  private fitsExceptCapacity(u: number, t: number): boolean {
    const c = this.c;
    return c.allowed[t * c.U + u] === 1 && this.apartFromGroups(u, this.site[u]!, t);
  }

  /** No other unit of u's anti-affinity groups sits in t's domain (u leaving s frees s's domain). */
  private apartFromGroups(u: number, s: number, t: number): boolean {
    const c = this.c;
    for (let k = c.unitGroupStart[u]!; k < c.unitGroupStart[u + 1]!; k++) {
      const g = c.unitGroups[k]!;
      const of = c.domains[c.groupDomain[g]!]!.of;
      if (s >= 0 && of[s] === of[t]) continue;
      if (this.count[c.groupCountOffset[g]! + of[t]!]! > 0) return false;
    }
    return true;
  }

  /** Change of the objective if u moves to t (or is inserted at t when unplaced). */
  delta(u: number, t: number): number {
    const c = this.c;
    const s = this.site[u]!;
    if (s === t) return 0;
    let v = c.unitCost[t * c.U + u]! - (s >= 0 ? c.unitCost[s * c.U + u]! : 0);
    if (c.net) {
      const S = c.S;
      for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
        const sv = this.site[c.adj[k]!]!;
        if (sv < 0) continue;
        const net = c.adjDir[k] ? c.netT! : c.net;
        const w = c.adjWeight[k]!;
        v += w * (net[t * S + sv]! - (s >= 0 ? net[s * S + sv]! : 0));
      }
    }
    return v;
  }

  /** Fills scoreBuf[t] with delta(u, t) for every site in O(S + S * degree). */
  private allDeltas(u: number): Float64Array {
    const c = this.c;
    const S = c.S;
    const s = this.site[u]!;
    const out = this.scoreBuf;
    const base = s >= 0 ? c.unitCost[s * c.U + u]! : 0;
    for (let t = 0; t < S; t++) out[t] = c.unitCost[t * c.U + u]! - base;
    if (c.net) {
      for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
        const sv = this.site[c.adj[k]!]!;
        if (sv < 0) continue;
        const net = c.adjDir[k] ? c.netT! : c.net;
        const w = c.adjWeight[k]!;
        const old = s >= 0 ? net[s * S + sv]! : 0;
        for (let t = 0; t < S; t++) out[t]! += w * (net[t * S + sv]! - old);
      }
    }
    if (s >= 0) out[s] = 0;
    return out;
  }

  /** Moves u to t (t = -1 removes it), updating every counter and the objective. */
  move(u: number, t: number): void {
    const c = this.c;
    const s = this.site[u]!;
    if (s === t) return;
    this.total += t >= 0 ? this.delta(u, t) : -this.removalValue(u);
    if (s >= 0) {
      for (let d = 0; d < c.D; d++) this.load[s * c.D + d]! -= this.dem(s, u, d);
      for (let k = c.unitGroupStart[u]!; k < c.unitGroupStart[u + 1]!; k++) {
        const g = c.unitGroups[k]!;
        this.count[c.groupCountOffset[g]! + c.domains[c.groupDomain[g]!]!.of[s]!]!--;
      }
      const p = this.pos[u]!;
      const last = this.siteUnits[s * c.U + this.siteSize[s]! - 1]!;
      this.siteUnits[s * c.U + p] = last;
      this.pos[last] = p;
      this.siteSize[s]!--;
    }
    this.site[u] = t;
    if (t >= 0) {
      for (let d = 0; d < c.D; d++) this.load[t * c.D + d]! += this.dem(t, u, d);
      for (let k = c.unitGroupStart[u]!; k < c.unitGroupStart[u + 1]!; k++) {
        const g = c.unitGroups[k]!;
        this.count[c.groupCountOffset[g]! + c.domains[c.groupDomain[g]!]!.of[t]!]!++;
      }
      this.pos[u] = this.siteSize[t]!;
      this.siteUnits[t * c.U + this.siteSize[t]!] = u;
      this.siteSize[t]!++;
    } else this.pos[u] = -1;
    this.moves++;
  }

  /** Objective contribution of u at its site (its cost and its placed traffic). */
  private removalValue(u: number): number {
    const c = this.c;
    const s = this.site[u]!;
    let v = c.unitCost[s * c.U + u]!;
    if (c.net) {
      for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
        const sv = this.site[c.adj[k]!]!;
        if (sv >= 0) v += c.adjWeight[k]! * (c.adjDir[k] ? c.netT! : c.net)[s * c.S + sv]!;
      }
    }
    return v;
  }

  /** Resets the state to a full assignment (every unit placed, assumed feasible). */
  loadFrom(site: Int32Array): void {
    this.site.fill(-1);
    this.load.fill(0);
    this.count.fill(0);
    this.siteSize.fill(0);
    this.total = 0;
    for (let u = 0; u < this.c.U; u++) if (site[u]! >= 0) this.move(u, site[u]!);
  }

  /**
   * Places every unplaced unit, hardest first (fewest allowed sites, then largest), on the
   * cheapest feasible site, ejecting one unit elsewhere when no site has room. False
   * when some unit cannot be placed.
   */
  construct(rng: Rng): boolean {
    return runSteps(this.constructSteps(rng, () => false));
  }

  /**
   * `construct` as steps: a checkpoint every 16 insertions (an insertion with ejection
   * scans sites x units x sites); false also when `stop` says so at a checkpoint (no plan yet).
   */
  *constructSteps(rng: Rng, stop: () => boolean): Steps<boolean> {
    const c = this.c;
    const todo: number[] = [];
    const allowedCount = new Int32Array(c.U);
    const size = new Float64Array(c.U);
    const avgCap = new Float64Array(c.D);
    for (let t = 0; t < c.S; t++) for (let d = 0; d < c.D; d++) if (Number.isFinite(c.capacity[t * c.D + d]!)) avgCap[d]! += c.capacity[t * c.D + d]! / c.S;
    for (let u = 0; u < c.U; u++) {
      if (this.site[u]! >= 0) continue;
      todo.push(u);
      for (let t = 0; t < c.S; t++) allowedCount[u]! += c.allowed[t * c.U + u]!;
      for (let d = 0; d < c.D; d++) if (avgCap[d]! > 0) size[u] = Math.max(size[u]!, this.dem(0, u, d) / avgCap[d]!);
    }
    const tie = new Float64Array(c.U);
    for (let u = 0; u < c.U; u++) tie[u] = rng.next();
    const groupSize = (u: number): number => c.unitGroupStart[u + 1]! - c.unitGroupStart[u]!;
    todo.sort((a, b) => allowedCount[a]! - allowedCount[b]! || groupSize(b) - groupSize(a) || size[b]! - size[a]! || tie[a]! - tie[b]!);
    for (let q = 0; q < todo.length; q++) {
      if ((q & 15) === 15) {
        yield;
        if (stop()) return false;
      }
      // The greedy insertion misses plans that need another choice for an earlier unit (a
      // unit kept on its current site that an anti-affinity partner with locality needs):
      // then the complete search decides.
      if (!this.insert(todo[q]!)) return yield* this.exhaustiveSteps(stop);
    }
    return true;
  }

  /**
   * Depth-first search over every allowed site of every unit (fewest allowed sites first),
   * from an empty plan, with the same checks as `canPlace` (capacity, anti-affinity; allowed
   * already folds in forbidden sites, locality and fit). Complete: when it ends without a
   * plan, no plan exists (`noPlan = 'infeasible'`). At most `budget` placements are tried
   * (`noPlan = 'budget'`); a checkpoint every 1024.
   */
  *exhaustiveSteps(stop: () => boolean, budget = SCHEDULE_EXHAUSTIVE_BUDGET): Steps<boolean> {
    const c = this.c;
    const U = c.U;
    this.loadFrom(new Int32Array(U).fill(-1));
    const allowedCount = new Int32Array(U);
    for (let u = 0; u < U; u++) for (let t = 0; t < c.S; t++) allowedCount[u]! += c.allowed[t * U + u]!;
    const order = Int32Array.from({ length: U }, (_, u) => u).sort((a, b) => allowedCount[a]! - allowedCount[b]! || a - b);
    const next = new Int32Array(U + 1);
    let depth = 0;
    let nodes = 0;
    this.noPlan = undefined;
    while (depth < U) {
      if (depth < 0) {
        this.noPlan = 'infeasible';
        return false;
      }
      const u = order[depth]!;
      if (this.site[u]! >= 0) this.move(u, -1);
      let t = next[depth]!;
      while (t < c.S && !this.canPlace(u, t)) t++;
      if (t === c.S) {
        next[depth] = 0;
        depth--;
        continue;
      }
      this.move(u, t);
      next[depth] = t + 1;
      next[++depth] = 0;
      if (++nodes >= budget) {
        if (depth === U) break;
        this.noPlan = 'budget';
        return false;
      }
      if ((nodes & 1023) === 0) {
        yield;
        if (stop()) return false;
      }
    }
    return true;
  }

  private insert(u: number): boolean {
    const c = this.c;
    const deltas = this.allDeltas(u);
    let best = -1;
    let bestV = Infinity;
    for (let t = 0; t < c.S; t++) {
      if (deltas[t]! < bestV && this.canPlace(u, t)) {
        bestV = deltas[t]!;
        best = t;
      }
    }
    if (best >= 0) {
      this.move(u, best);
      return true;
    }
    // Ejection: make room on some site by pushing one of its units to another site.
    let bt = -1;
    let bv = -1;
    let bw = -1;
    let bScore = Infinity;
    const d0 = Float64Array.from(deltas);
    for (let t = 0; t < c.S; t++) {
      if (!this.fitsExceptCapacity(u, t)) continue;
      for (let k = 0; k < this.siteSize[t]!; k++) {
        const v = this.siteUnits[t * c.U + k]!;
        // Room for u at t once v leaves?
        let room = true;
        for (let d = 0; d < c.D && room; d++) {
          if (this.load[t * c.D + d]! - this.dem(t, v, d) + this.dem(t, u, d) > c.capacity[t * c.D + d]! + 1e-9) room = false;
        }
        if (!room) continue;
        for (let w = 0; w < c.S; w++) {
          if (w === t || !this.canPlace(v, w)) continue;
          const score = d0[t]! + this.delta(v, w);
          if (score < bScore) {
            bScore = score;
            bt = t;
            bv = v;
            bw = w;
          }
        }
      }
    }
    if (bt < 0) return false;
    this.move(bv, bw);
    if (!this.canPlace(u, bt)) {
      // Anti-affinity with the pushed unit's new place: undo.
      this.move(bv, bt);
      return false;
    }
    this.move(u, bt);
    return true;
  }

  /**
   * First-improvement descent over shifts, then ejection chains for units whose better
   * sites are full, until no move improves or `stop` says so. Returns the number of
   * improving moves.
   */
  descend(rng: Rng, stop: () => boolean, ejectionSample = 24): number {
    return runSteps(this.descendSteps(rng, stop, ejectionSample));
  }

  /**
   * `descend` as steps: a checkpoint (and a `stop` check) every DESCEND_CHECKPOINT_WORK units
   * of work, where a unit scanned counts 1 and an ejection-chain attempt 1 more per partner it
   * may sample (a delta row each). A fixed 64 units per checkpoint held the event loop for
   * 43-86 ms on the sweep's 2000 x 50 schedule when the chunk was ejection-heavy, 5-12 ms
   * otherwise (`benchmarks/responsiveness/stall-locate.ts schedule:auto`, load 4-6).
   */
  *descendSteps(rng: Rng, stop: () => boolean, ejectionSample = 24): Steps<number> {
    const c = this.c;
    const eps = 1e-9 * Math.max(1, Math.abs(this.total));
    let improvedTotal = 0;
    let improved = true;
    let work = 0;
    const order = rng.permutation(c.U);
    while (improved) {
      improved = false;
      rng.shuffle(order);
      for (let q = 0; q < c.U; q++) {
        if (work >= DESCEND_CHECKPOINT_WORK) {
          work = 0;
          yield;
          if (stop()) return improvedTotal;
        }
        work++;
        const u = order[q]!;
        const deltas = this.allDeltas(u);
        let best = -1;
        let bestV = -eps;
        let blocked = 0;
        for (let t = 0; t < c.S; t++) {
          const dv = deltas[t]!;
          if (dv >= bestV) continue;
          if (this.canPlace(u, t)) {
            bestV = dv;
            best = t;
          } else blocked++;
        }
        if (best >= 0) {
          this.move(u, best);
          improved = true;
          improvedTotal++;
          continue;
        }
        if (blocked > 0) work += ejectionSample;
        if (blocked > 0 && this.ejectionChain(u, deltas, rng, ejectionSample, eps)) {
          improved = true;
          improvedTotal++;
        }
      }
    }
    return improvedTotal;
  }

  /** u -> t on a full site t, one unit v of t -> w; applied when the pair improves. */
  private ejectionChain(u: number, deltas: Float64Array, rng: Rng, sample: number, eps: number): boolean {
    const c = this.c;
    const s = this.site[u]!;
    // Up to three most attractive blocked sites.
    const cand: number[] = [];
    const d0 = Float64Array.from(deltas);
    for (let r = 0; r < 3; r++) {
      let bt = -1;
      let bv = -eps;
      for (let t = 0; t < c.S; t++) {
        if (t === s || d0[t]! >= bv || cand.includes(t)) continue;
        if (!this.fitsExceptCapacity(u, t)) continue;
        bv = d0[t]!;
        bt = t;
      }
      if (bt < 0) break;
      cand.push(bt);
    }
    for (const t of cand) {
      const du = d0[t]!;
      const nT = this.siteSize[t]!;
      if (nT === 0) continue;
      // Tentatively move u (capacity of t may be exceeded until v leaves).
      this.forceMove(u, t);
      let bestV = -1;
      let bestW = -1;
      let bestScore = -eps;
      const tries = Math.min(sample, nT);
      const startK = rng.int(nT);
      for (let r = 0; r < tries; r++) {
        const v = this.siteUnits[t * c.U + ((startK + r) % this.siteSize[t]!)]!;
        if (v === u) continue;
        let ok = true;
        for (let d = 0; d < c.D && ok; d++) if (this.load[t * c.D + d]! - this.dem(t, v, d) > c.capacity[t * c.D + d]! + 1e-9) ok = false;
        if (!ok) continue;
        const dv = this.allDeltas(v);
        for (let w = 0; w < c.S; w++) {
          if (w === t) continue;
          const score = du + dv[w]!;
          if (score >= bestScore) continue;
          if (!this.canPlace(v, w)) continue;
          bestScore = score;
          bestV = v;
          bestW = w;
        }
      }
      if (bestV >= 0) {
        this.move(bestV, bestW);
        return true;
      }
      this.forceMove(u, s);
    }
    return false;
  }

  /** move() without feasibility checks (callers restore feasibility). */
  private forceMove(u: number, t: number): void {
    this.move(u, t);
  }

  /** Random kick: `k` units to random feasible sites. */
  kick(rng: Rng, k: number): void {
    const c = this.c;
    for (let r = 0; r < k; r++) {
      const u = rng.int(c.U);
      for (let tries = 0; tries < 8; tries++) {
        const t = rng.int(c.S);
        if (t !== this.site[u] && this.canPlace(u, t)) {
          this.move(u, t);
          break;
        }
      }
    }
  }

  /** Recomputes the objective from scratch (guards against drift). */
  recompute(): number {
    const c = this.c;
    let v = 0;
    for (let u = 0; u < c.U; u++) v += c.unitCost[this.site[u]! * c.U + u]!;
    if (c.net) {
      for (let u = 0; u < c.U; u++) {
        const s = this.site[u]!;
        for (let k = c.adjStart[u]!; k < c.adjStart[u + 1]!; k++) {
          const v2 = c.adj[k]!;
          if (v2 > u) v += c.adjWeight[k]! * (c.adjDir[k] ? c.netT! : c.net)[s * c.S + this.site[v2]!]!;
        }
      }
    }
    this.total = v;
    return v;
  }
}
