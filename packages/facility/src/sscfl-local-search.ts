import { runSteps, type Steps } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';
import { assignmentIncumbent } from './capacitated.js';
import type { FacilityProblem } from './problem.js';
import { SingleSourcePairExchange } from './sscfl-pair-exchange.js';
import { SingleSourcePackRepair } from './sscfl-primal-pack.js';

/** Closed sites tried as the replacement of an open one in a swap move (the cheapest for its clients). */
const SWAP_CANDIDATES = 12;
/** Client moves between two checkpoints of the assignment polish (a checkpoint lets an abort in). */
const CLIENTS_PER_STEP = 64;
/** Sweeps of pair re-optimisation when the client moves are exhausted (each one improving). */
const PAIR_SWEEPS = 3;
/**
 * Tight moves tried at a local optimum of the site moves (see tightMove): drops and swaps
 * whose clients find no room one by one, best capacity-free estimate first.
 */
const TIGHT_CANDIDATES = 6;
/** Tight moves whose capacity-free estimate lies above this fraction of the plan's cost are not tried. */
const TIGHT_MARGIN = 0.005;
/** Pair splits one tight move's capacity repair may take. */
const TIGHT_REPAIR_ITERATIONS = 40;

/**
 * Local search over the open sites of a single-source plan, each move evaluated with the
 * assignment repaired locally instead of re-solved (O(S C) per move rather than the O(S C^2)
 * of a regret assignment):
 *   - drop i: i's clients, heaviest first, at the cheapest open site with room;
 *   - add k: the clients that k serves cheaper move to it, best saving per unit of demand first;
 *   - swap i for k (k among the closed sites cheapest for i's clients): both.
 * The best improving move is applied, then the assignment is polished with shift, swap and
 * ejection-chain moves (j moves to a full site b, which passes one of its clients on to a
 * third site: the GAP neighbourhood of Yagiura et al.). Steps yield after every batch of
 * move evaluations, so a caller driving them through `runStepsAsync` sees an abort promptly.
 */
export class SingleSourceSiteSearch {
  private readonly open: Uint8Array;
  private readonly assign: Int32Array;
  private readonly room: Float64Array;
  private readonly tAssign: Int32Array;
  private readonly tRoom: Float64Array;
  private readonly list: Int32Array;
  private readonly key: Float64Array;
  private readonly score: Float64Array;
  private readonly cands: Int32Array;
  /** Clients by site (CSR, rebuilt at each polish round; entries are checked against `assign`). */
  private readonly memberStart: Int32Array;
  private readonly members: Int32Array;
  /** Exact re-optimisation of pairs of open sites (the thorough polish, after the client moves). */
  private readonly pairs: SingleSourcePairExchange;
  /** The best client move found so far (improveClient). */
  private readonly move = new ClientMove();
  /** Capacity repair of tight moves by exact pair splits (null: demands not integral). */
  private readonly pack: SingleSourcePackRepair | null;
  private readonly tightDrop: Int32Array;
  private readonly tightAdd: Int32Array;
  private readonly tightKey: Float64Array;
  private readonly savedAssign: Int32Array;
  /** Tight moves tried and applied (statistics). */
  tightTried = 0;
  tightApplied = 0;
  /** Number of site moves applied and evaluated (statistics). */
  movesApplied = 0;
  movesEvaluated = 0;

  constructor(private readonly pr: FacilityProblem) {
    const { nSites: S, nClients: C } = pr;
    this.open = new Uint8Array(S);
    this.assign = new Int32Array(C);
    this.room = new Float64Array(S);
    this.tAssign = new Int32Array(C);
    this.tRoom = new Float64Array(S);
    this.list = new Int32Array(Math.max(C, S));
    this.key = new Float64Array(Math.max(C, S));
    this.score = new Float64Array(S);
    this.cands = new Int32Array(S);
    this.memberStart = new Int32Array(S + 1);
    this.members = new Int32Array(C);
    this.pairs = new SingleSourcePairExchange(pr);
    const pack = new SingleSourcePackRepair(pr);
    this.pack = pack.applicable ? pack : null;
    this.tightDrop = new Int32Array(S * (S + 1));
    this.tightAdd = new Int32Array(S * (S + 1));
    this.tightKey = new Float64Array(S * (S + 1));
    this.savedAssign = new Int32Array(C);
  }

  /**
   * Improves `start` (a feasible plan) to a local optimum of the site moves, or until `stop`;
   * returns the best plan. With a `kick` (a site move applied first, improving or not, as the
   * perturbation of an iterated local search), the local optimum reached is returned even
   * when it is worse than `start`; null when the kick finds no room. The kicked sites are not
   * locked: locking them left descents 1-5 % above their start at 100 x 400, and the walk
   * found nothing in 300 steps where without it it improved 42992 -> 42852.
   */
  *improve(start: Incumbent, stop: () => boolean, kick?: SiteKick): Steps<Incumbent> {
    const out = yield* this.descend(start, stop, kick, true);
    return out ?? start;
  }

  /** `improve` with a kick: the local optimum after it (null when the kick is infeasible). */
  *kickAndDescend(start: Incumbent, stop: () => boolean, kick: SiteKick): Steps<Incumbent | null> {
    return yield* this.descend(start, stop, kick);
  }

  private *descend(start: Incumbent, stop: () => boolean, kick: SiteKick | undefined, tight = false): Steps<Incumbent | null> {
    const { pr, open, assign, room } = this;
    const { nSites: S, nClients: C } = pr;
    const startOpen = start.solution.open;
    const startAssign = start.solution.assign;
    if (!startAssign) return start;
    for (let i = 0; i < S; i++) {
      open[i] = startOpen[i]!;
      room[i] = open[i] ? pr.cap[i]! : 0;
    }
    for (let j = 0; j < C; j++) {
      assign[j] = startAssign[j]!;
      room[assign[j]!]! -= pr.d[j]!;
    }
    if (kick) {
      if (this.tryMove(kick.drop, kick.add) === Infinity) return null;
      this.applyTrial(kick.drop, kick.add);
    }
    yield* this.polish(stop);
    const eps = 1e-9 * Math.max(1, Math.abs(start.value));
    while (!stop()) {
      let bestDelta = -eps;
      let bestDrop = -1;
      let bestAdd = -1;
      const consider = (drop: number, add: number): void => {
        const delta = this.tryMove(drop, add);
        this.movesEvaluated++;
        if (delta < bestDelta) {
          bestDelta = delta;
          bestDrop = drop;
          bestAdd = add;
        }
      };
      for (let k = 0; k < S; k++) if (!open[k] && !pr.forbidden[k]) consider(-1, k);
      yield;
      for (let i = 0; i < S && !stop(); i++) {
        if (!open[i] || pr.mustOpen[i]) continue;
        consider(i, -1);
        const n = this.swapCandidates(i);
        for (let t = 0; t < n; t++) consider(i, this.cands[t]!);
        yield;
      }
      if (bestDrop < 0 && bestAdd < 0) {
        // A local optimum of the greedy moves: the moves they could not place, packed exactly.
        if (tight && !stop() && (yield* this.tightMove(stop))) {
          this.movesApplied++;
          yield* this.polish(stop);
          continue;
        }
        break;
      }
      this.tryMove(bestDrop, bestAdd);
      this.applyTrial(bestDrop, bestAdd);
      this.movesApplied++;
      yield* this.polish(stop);
    }
    // A copy: `assign` is this search's working buffer, which the next call overwrites (a plan
    // returned without the copy changed under its holder, and its value with it).
    const inc = assignmentIncumbent(pr, open, Int32Array.from(assign));
    return kick || inc.value < start.value ? inc : start;
  }

  /**
   * Drops and swaps judged after an exact capacity repair instead of the greedy one of
   * tryMove, which places the moved clients one by one and fails when the open capacity
   * covers the demand by only a few units (the good plans of tight instances: on a
   * generated 100 x 400 one at ratio 5, swapping one site for a 24 units smaller one left 1
   * unit of room in 8106 and saved 65 after the polish, a move no greedy placement could
   * make). Candidates: every drop and swap whose open capacity still covers the demand
   * and whose capacity-free estimate (opening costs, each moved client at its cheapest
   * other open site) is below TIGHT_MARGIN of the plan's cost; the TIGHT_CANDIDATES of least
   * estimate are repaired by exact pair splits (SingleSourcePackRepair) and polished; the
   * first that lowers the cost is kept (true).
   */
  private *tightMove(stop: () => boolean): Steps<boolean> {
    const { pr, open, assign, room, tAssign, tightDrop, tightAdd, tightKey, key } = this;
    const pack = this.pack;
    if (!pack) return false;
    const { nSites: S, nClients: C, c, d } = pr;
    let spare = 0;
    for (let i = 0; i < S; i++) if (open[i]) spare += room[i]!;
    const cur0 = this.currentCost();
    // Each client's cheapest open site other than its own (capacity-free).
    for (let j = 0; j < C; j++) {
      let best = Infinity;
      for (let i = 0; i < S; i++) if (open[i] && i !== assign[j] && c[i * C + j]! < best) best = c[i * C + j]!;
      key[j] = best;
    }
    let n = 0;
    for (let i = 0; i < S; i++) {
      if (!open[i] || pr.mustOpen[i]) continue;
      for (let k = -1; k < S; k++) {
        if (k >= 0 && (open[k] || pr.forbidden[k])) continue;
        if (spare - pr.cap[i]! + (k >= 0 ? pr.cap[k]! : 0) < -1e-9) continue;
        let est = -pr.f[i]! + (k >= 0 ? pr.f[k]! : 0);
        for (let j = 0; j < C; j++) {
          if (assign[j] !== i) continue;
          est += Math.min(key[j]!, k >= 0 ? c[k * C + j]! : Infinity) - c[i * C + j]!;
        }
        if (!(est < TIGHT_MARGIN * cur0)) continue;
        if (n === tightKey.length) break;
        tightDrop[n] = i;
        tightAdd[n] = k;
        tightKey[n] = est;
        n++;
      }
    }
    yield;
    const order = Array.from({ length: n }, (_, t) => t).sort((x, y) => tightKey[x]! - tightKey[y]! || x - y);
    const cur = this.currentCost();
    const saved = this.savedAssign;
    for (let r = 0; r < Math.min(n, TIGHT_CANDIDATES) && !stop(); r++) {
      const drop = tightDrop[order[r]!]!;
      const add = tightAdd[order[r]!]!;
      this.tightTried++;
      // The dropped site's clients at the added site, or at their cheapest other open site; then the capacity repair.
      tAssign.set(assign);
      open[drop] = 0;
      if (add >= 0) open[add] = 1;
      let placed = true;
      for (let j = 0; j < C && placed; j++) {
        if (tAssign[j] !== drop) continue;
        let best = add >= 0 && c[add * C + j]! < Infinity ? add : -1;
        if (best < 0) for (let i = 0; i < S; i++) if (open[i] && c[i * C + j]! < (best < 0 ? Infinity : c[best * C + j]!)) best = i;
        tAssign[j] = best;
        placed = best >= 0;
      }
      const ok = placed && (yield* pack.repairSteps(open, tAssign, TIGHT_REPAIR_ITERATIONS, stop));
      if (ok) {
        // The repaired plan polished (client moves and pair splits) before it is judged: the
        // repair only restores the capacities, and its gain shows after the polish.
        saved.set(assign);
        assign.set(tAssign);
        for (let i = 0; i < S; i++) room[i] = open[i] ? pr.cap[i]! : 0;
        for (let j = 0; j < C; j++) room[assign[j]!]! -= d[j]!;
        yield* this.polish(stop);
        if (this.currentCost() < cur - 1e-9 * Math.max(1, Math.abs(cur))) {
          this.tightApplied++;
          return true;
        }
        assign.set(saved);
      }
      open[drop] = 1;
      if (add >= 0) open[add] = 0;
      for (let i = 0; i < S; i++) room[i] = open[i] ? pr.cap[i]! : 0;
      for (let j = 0; j < C; j++) room[assign[j]!]! -= d[j]!;
    }
    return false;
  }

  /** Opening costs plus serving costs of the current plan. */
  private currentCost(): number {
    const { pr, open, assign } = this;
    let v = 0;
    for (let i = 0; i < pr.nSites; i++) if (open[i]) v += pr.f[i]!;
    for (let j = 0; j < pr.nClients; j++) v += pr.c[assign[j]! * pr.nClients + j]!;
    return v;
  }

  /** Makes the trial plan of the last `tryMove(drop, add)` the current one. */
  private applyTrial(drop: number, add: number): void {
    this.assign.set(this.tAssign);
    this.room.set(this.tRoom);
    if (drop >= 0) this.open[drop] = 0;
    if (add >= 0) this.open[add] = 1;
  }

  /** Polishes a complete assignment in place (shift, swap, ejection chains); `room` is each site's spare capacity, kept up to date. */
  polishAssignment(open: Uint8Array, assign: Int32Array, room: Float64Array, stop: () => boolean, ejection: boolean, maxRounds: number): void {
    runSteps(this.polishAssignmentSteps(open, assign, room, stop, ejection, maxRounds));
  }

  /** `polishAssignment` with a checkpoint every CLIENTS_PER_STEP clients; `assign` and `room` are written back at the end (also after a stop). */
  *polishAssignmentSteps(open: Uint8Array, assign: Int32Array, room: Float64Array, stop: () => boolean, ejection: boolean, maxRounds: number): Steps<void> {
    this.open.set(open);
    this.assign.set(assign);
    this.room.set(room);
    yield* this.polish(stop, ejection, maxRounds);
    assign.set(this.assign);
    room.set(this.room);
  }

  /** The closed sites cheapest for the clients of open site i (opening cost included), at most SWAP_CANDIDATES; returns how many. */
  private swapCandidates(i: number): number {
    const { pr, open, assign, score, cands } = this;
    const { nSites: S, nClients: C, c } = pr;
    let n = 0;
    for (let k = 0; k < S; k++) {
      if (open[k] || pr.forbidden[k]) continue;
      cands[n++] = k;
      score[k] = pr.f[k]!;
    }
    if (n === 0) return 0;
    for (let j = 0; j < C; j++) {
      if (assign[j] !== i) continue;
      for (let t = 0; t < n; t++) score[cands[t]!]! += c[cands[t]! * C + j]!;
    }
    const ids = cands.subarray(0, n);
    ids.sort((a, b) => score[a]! - score[b]! || a - b);
    return Math.min(n, SWAP_CANDIDATES);
  }

  /**
   * Applies "close `drop`, open `add`" (either may be -1) to the trial copy of the plan and
   * returns the change of cost (Infinity when a client of `drop` finds no room).
   */
  private tryMove(drop: number, add: number): number {
    const { pr, tAssign, tRoom, list, key } = this;
    const { nClients: C, c, d } = pr;
    tAssign.set(this.assign);
    tRoom.set(this.room);
    let delta = 0;
    if (add >= 0) {
      delta += pr.f[add]!;
      tRoom[add] = pr.cap[add]!;
    }
    if (drop >= 0) {
      delta -= pr.f[drop]!;
      let n = 0;
      for (let j = 0; j < C; j++) if (tAssign[j] === drop) list[n++] = j;
      const ids = list.subarray(0, n);
      ids.sort((a, b) => d[b]! - d[a]! || a - b);
      tRoom[drop] = -Infinity; // closed: no client may land there
      for (let t = 0; t < n; t++) {
        const j = ids[t]!;
        const site = this.cheapestWithRoom(j, drop, add);
        if (site < 0) return Infinity;
        delta += c[site * C + j]! - c[drop * C + j]!;
        tAssign[j] = site;
        tRoom[site]! -= d[j]!;
      }
    }
    if (add >= 0) {
      let n = 0;
      for (let j = 0; j < C; j++) {
        const saving = c[tAssign[j]! * C + j]! - c[add * C + j]!;
        if (tAssign[j] === add || !(saving > 0)) continue;
        list[n++] = j;
        key[j] = saving / Math.max(1e-12, d[j]!);
      }
      const ids = list.subarray(0, n);
      ids.sort((a, b) => key[b]! - key[a]! || a - b);
      for (let t = 0; t < n; t++) {
        const j = ids[t]!;
        if (tRoom[add]! < d[j]! - 1e-9) continue;
        const from = tAssign[j]!;
        delta -= c[from * C + j]! - c[add * C + j]!;
        tRoom[from]! += d[j]!;
        tRoom[add]! -= d[j]!;
        tAssign[j] = add;
      }
    }
    return delta;
  }

  /** The cheapest site for client j that is open in the trial (open, not `drop`, or `add`) and has room; -1 when none. */
  private cheapestWithRoom(j: number, drop: number, add: number): number {
    const { pr, open, tRoom } = this;
    const { nSites: S, nClients: C, c, d } = pr;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 0; i < S; i++) {
      if (i === drop || (!open[i] && i !== add) || tRoom[i]! < d[j]! - 1e-9) continue;
      const v = c[i * C + j]!;
      if (v < bestCost) {
        bestCost = v;
        best = i;
      }
    }
    return bestCost === Infinity ? -1 : best;
  }

  /** Shift, swap and (with `ejection`) ejection-chain moves on the current assignment until none improves (at most `maxRounds` passes). */
  private *polish(stop: () => boolean, ejection = true, maxRounds = 30): Steps<void> {
    for (let round = 0; round < maxRounds && !stop(); round++) {
      let improved = false;
      this.buildMembers();
      for (let j0 = 0; j0 < this.pr.nClients; j0 += CLIENTS_PER_STEP) {
        const j1 = Math.min(this.pr.nClients, j0 + CLIENTS_PER_STEP);
        for (let j = j0; j < j1; j++) if (this.improveClient(j, ejection)) improved = true;
        yield;
        if (stop()) return;
      }
      if (improved) continue;
      // A local optimum of the client moves: the thorough polish goes on with exact pair splits.
      if (!ejection || !((yield* this.pairs.improve(this.open, this.assign, this.room, stop, PAIR_SWEEPS)) > 0)) return;
    }
  }

  private buildMembers(): void {
    const { pr, assign, memberStart, members } = this;
    const { nSites: S, nClients: C } = pr;
    memberStart.fill(0);
    for (let j = 0; j < C; j++) memberStart[assign[j]! + 1]!++;
    for (let i = 0; i < S; i++) memberStart[i + 1]! += memberStart[i]!;
    const fill = this.list;
    for (let i = 0; i < S; i++) fill[i] = memberStart[i]!;
    for (let j = 0; j < C; j++) members[fill[assign[j]!]!++] = j;
  }

  /** The best improving move of client j: a shift, a swap with a client of another site, or an ejection chain; true when applied. */
  private improveClient(j: number, ejection: boolean): boolean {
    const { pr, open, assign, room, memberStart, members, move } = this;
    const { nSites: S, nClients: C, c, d } = pr;
    const a = assign[j]!;
    const ca = c[a * C + j]!;
    const tol = 1e-9;
    move.gain = 1e-9 * Math.max(1, ca);
    move.b = -1;
    move.k = -1;
    for (let b = 0; b < S; b++) {
      if (b === a || !open[b]) continue;
      // Only cheaper sites: a swap whose j side loses is found from its other client's side.
      const g1 = ca - c[b * C + j]!;
      if (!(g1 > 0)) continue;
      if (room[b]! >= d[j]! - tol) {
        move.consider(g1, b, -1, -1);
        continue;
      }
      // b is full: pass one of its clients k on, to a (a swap: a gets room[a] + d_j - d_k) or to a third site.
      const need = d[j]! - room[b]!;
      for (let t = memberStart[b]!; t < memberStart[b + 1]!; t++) {
        const k = members[t]!;
        if (assign[k] !== b || d[k]! < need - tol) continue;
        const cbk = c[b * C + k]!;
        if (room[a]! + d[j]! - d[k]! >= -tol) move.consider(g1 + cbk - c[a * C + k]!, b, k, a);
        if (!ejection) continue;
        for (let e = 0; e < S; e++) {
          if (e === a || e === b || !open[e] || room[e]! < d[k]! - tol) continue;
          move.consider(g1 + cbk - c[e * C + k]!, b, k, e);
        }
      }
    }
    if (move.b < 0) return false;
    const { b: bestB, k: bestK, e: bestC } = move;
    if (bestK >= 0) {
      room[bestB]! += d[bestK]!;
      room[bestC]! -= d[bestK]!;
      assign[bestK] = bestC;
    }
    room[a]! += d[j]!;
    room[bestB]! -= d[j]!;
    assign[j] = bestB;
    return true;
  }
}

/** A site move applied as a perturbation: close `drop`, open `add` (either may be -1). */
export interface SiteKick {
  drop: number;
  add: number;
}

/** A client move: j to site b, and (k >= 0) b's client k on to site e; kept when its gain is the best so far. */
class ClientMove {
  gain = 0;
  b = -1;
  k = -1;
  e = -1;

  consider(gain: number, b: number, k: number, e: number): void {
    if (!(gain > this.gain)) return;
    this.gain = gain;
    this.b = b;
    this.k = k;
    this.e = e;
  }
}
