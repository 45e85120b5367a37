import { runSteps, runStepsAsync, type Rng, type SolveRun, type Steps } from '@emplace/core';
import type { BackendName } from '@emplace/lp';
import type { Incumbent, SearchResult } from './branch-and-bound.js';
import { cflNeighbourhoodSearch, siteProximity } from './cfl-lns.js';
import { LagrangianRelaxation } from './lagrangian.js';
import type { FacilityProblem } from './problem.js';
import type { FlowShare } from './solution.js';
import { Transportation, type TransportationResult } from './transportation.js';
import { weightedUpperQuantile } from './weighted-quantile.js';

/**
 * Adds sites to `open` (cheapest `key` first, default f_i / C_i) until the open
 * capacity covers the total demand. Returns false when even all usable sites cannot.
 */
export function coverDemand(pr: FacilityProblem, open: Uint8Array, key?: Float64Array, fixed?: Int8Array): boolean {
  let cap = 0;
  for (let i = 0; i < pr.nSites; i++) if (open[i]) cap += pr.cap[i]!;
  const need = pr.totalDemand * (1 - 1e-12);
  if (cap >= need) return true;
  const cand: number[] = [];
  for (let i = 0; i < pr.nSites; i++) if (!open[i] && !pr.forbidden[i] && !(fixed && fixed[i] === 0)) cand.push(i);
  const k = (i: number): number => (key ? key[i]! : pr.f[i]! / Math.max(1e-12, pr.cap[i]!));
  cand.sort((a, b) => k(a) - k(b) || a - b);
  for (const i of cand) {
    if (cap >= need) break;
    open[i] = 1;
    cap += pr.cap[i]!;
  }
  return cap >= need;
}

/**
 * The exact transportation with an early exit for the swap search, whose candidates only have to
 * beat the incumbent (most do not). Valid for the reason of cfl-small-transport.ts: successive
 * shortest paths from every client at its cheapest site never decrease the unit cost of the path,
 * so after a path of unit cost p the optimum is at least the cost so far plus p times the excess
 * left. On tight 100 x 400 instances the transportations take about 70 % of a 20 s run once the
 * move ranking is cheap (CPU profile of fresh 881001).
 */
export class CutoffTransportation extends Transportation {
  /** Solves cut short by the threshold. */
  cutoffs = 0;

  /**
   * solveSteps, except that once the serving cost is proven at or above `threshold` it stops and
   * returns that lower bound (a number; the shares and duals are then not those of the set).
   */
  *solveBelowSteps(open: Uint8Array, threshold: number): Steps<TransportationResult | number | null> {
    let cost = this.start(open);
    if (cost === Infinity) return null;
    const margin = 1e-9 * Math.max(1, Math.abs(threshold));
    let excess = this.excess();
    while (excess > 0) {
      if (this.stop()) {
        this.interrupted = true;
        return null;
      }
      const moved = this.augment();
      if (moved < 0) return null;
      cost += moved * this.pathCost;
      excess = this.excess();
      const bound = cost + excess * this.pathCost;
      if (excess > 0 && bound >= threshold + margin) {
        this.cutoffs++;
        return bound;
      }
      yield;
    }
    return this.flows();
  }
}

/** Exact evaluation of open sets for split-demand CFL (transportation), memoised by set. */
export class CflEvaluator {
  readonly transport: CutoffTransportation;
  private readonly pr: FacilityProblem;
  private readonly memo = new Map<string, number>();
  /** Lower bounds of sets whose transportation stopped early (evaluateSteps with `cutoff`). */
  private readonly lowerMemo = new Map<string, number>();
  evaluations = 0;

  constructor(pr: FacilityProblem, unit: Float64Array) {
    this.pr = pr;
    this.transport = new CutoffTransportation(pr, unit);
  }

  /** Opening + optimal serving cost of the open set, or null if it cannot serve all clients. */
  evaluate(open: Uint8Array, threshold = Infinity): Incumbent | null {
    return runSteps(this.evaluateSteps(open, threshold));
  }

  /**
   * `evaluate` as steps: a checkpoint after every augmenting path of the transportation. With
   * `cutoff`, a set whose value is proven at or above `threshold` may be answered null before its
   * transportation ends (the caller rejects such sets anyway); the transportation's duals are then
   * not the set's.
   */
  *evaluateSteps(open: Uint8Array, threshold = Infinity, cutoff = false): Steps<Incumbent | null> {
    const pr = this.pr;
    // The set's memo key (the same after the copy below).
    const key = openSetKey(open);
    if (threshold < Infinity) {
      const known = this.memo.get(key);
      if (known !== undefined && known >= threshold) return null;
      const lower = this.lowerMemo.get(key);
      if (lower !== undefined && lower >= threshold) return null;
    }
    for (let i = 0; i < pr.nSites; i++) if (open[i] && pr.forbidden[i]) return null;
    for (let i = 0; i < pr.nSites; i++) if (!open[i] && pr.mustOpen[i]) return null;
    this.evaluations++;
    // The transportation reads `open` across its checkpoints: a copy the caller cannot change meanwhile.
    const set = Uint8Array.from(open);
    let opening = 0;
    for (let i = 0; i < pr.nSites; i++) if (set[i]) opening += pr.f[i]!;
    const t = cutoff && threshold < Infinity ? yield* this.transport.solveBelowSteps(set, threshold - opening) : yield* this.transport.solveSteps(set);
    if (typeof t === 'number') {
      this.lowerMemo.set(key, Math.max(this.lowerMemo.get(key) ?? -Infinity, t + opening));
      return null;
    }
    if (!t) {
      // An interrupted solve says nothing about this set: do not remember it as infeasible.
      if (!this.transport.interrupted) this.memo.set(key, Infinity);
      return null;
    }
    const value = t.cost + opening;
    this.memo.set(key, value);
    return { value, solution: { open: set, assign: new Int32Array(pr.nClients), flows: t.flows } };
  }

  /** Value only, from the memo when this set was seen. */
  value(open: Uint8Array): number {
    return runSteps(this.valueSteps(open));
  }

  /** `value` as steps (see evaluateSteps). */
  *valueSteps(open: Uint8Array): Steps<number> {
    const m = this.memo.get(openSetKey(open));
    if (m !== undefined) return m;
    const r = yield* this.evaluateSteps(open);
    return r ? r.value : Infinity;
  }
}

/** A compact string key of a 0/1 site vector (16 sites per character), for the per-set memos. */
export function openSetKey(open: Uint8Array): string {
  let s = '';
  for (let i = 0; i < open.length; i += 16) {
    let w = 0;
    for (let b = 0; b < 16 && i + b < open.length; b++) if (open[i + b]) w |= 1 << b;
    s += String.fromCharCode(w + 1);
  }
  return s;
}

/**
 * Opening cost plus each client's cheapest open site: a lower bound on the split-demand
 * (and single-source) cost of the open set, capacities ignored. `scratch` has nClients
 * entries (no allocation per call).
 */
export function uncapacitatedBound(pr: FacilityProblem, open: Uint8Array, scratch: Float64Array): number {
  let value = nearestOpenSites(pr, open, scratch, undefined);
  for (let j = 0; j < pr.nClients; j++) value += scratch[j]!;
  return value;
}

/**
 * Each client's cheapest open site: its cost into `best` (Infinity when no open site serves
 * it) and, when given, the site into `assign`. Returns the opening cost of the open sites.
 */
export function nearestOpenSites(pr: FacilityProblem, open: Uint8Array, best: Float64Array, assign: Int32Array | undefined): number {
  const { nSites: S, nClients: C, c } = pr;
  best.fill(Infinity);
  let opening = 0;
  for (let i = 0; i < S; i++) {
    if (!open[i]) continue;
    opening += pr.f[i]!;
    const row = i * C;
    for (let j = 0; j < C; j++) {
      const x = c[row + j]!;
      if (x < best[j]!) {
        best[j] = x;
        if (assign !== undefined) assign[j] = i;
      }
    }
  }
  return opening;
}

/** `uncapacitatedBound` with its own scratch array, for `siteLocalSearch`'s `lowerBound`. */
export function uncapacitatedBounder(pr: FacilityProblem): (open: Uint8Array) => number {
  const scratch = new Float64Array(pr.nClients);
  return (open) => uncapacitatedBound(pr, open, scratch);
}

/**
 * Site-level local search for capacitated problems: drop, add and (for small site
 * counts) swap moves, first improvement, each candidate evaluated exactly by `value`
 * (transportation for split demand, the single-source assignment heuristic otherwise).
 * `value` may return steps (CflEvaluator.valueSteps), so that one long evaluation has
 * checkpoints of its own.
 */
export function siteLocalSearch(...args: Parameters<typeof siteLocalSearchSteps>): { open: Uint8Array; value: number } {
  return runSteps(siteLocalSearchSteps(...args));
}

/** siteLocalSearch as steps: a checkpoint after every exact evaluation (see core's runStepsAsync). */
export function* siteLocalSearchSteps(
  pr: FacilityProblem,
  start: Uint8Array,
  value: (open: Uint8Array) => number | Steps<number>,
  shouldStop: () => boolean,
  swaps = pr.nSites <= 60,
  lowerBound?: (open: Uint8Array) => number,
): Steps<{ open: Uint8Array; value: number }> {
  const S = pr.nSites;
  const open = Uint8Array.from(start);
  let cur = yield* stepsValue(value(open));
  // A candidate whose lower bound cannot beat `cur` would be rejected anyway: skip its
  // exact evaluation (same moves, same result, fewer transportations).
  const screened = (o: Uint8Array): number | Steps<number> => (lowerBound !== undefined && lowerBound(o) >= cur - 1e-9 * Math.max(1, cur) ? Infinity : value(o));
  let improved = true;
  while (improved && !shouldStop()) {
    improved = false;
    let capOpen = 0;
    for (let i = 0; i < S; i++) if (open[i]) capOpen += pr.cap[i]!;
    // Drop.
    for (let r = 0; r < S && !shouldStop(); r++) {
      if (!open[r] || pr.mustOpen[r]) continue;
      if (capOpen - pr.cap[r]! < pr.totalDemand * (1 - 1e-12)) continue;
      open[r] = 0;
      const v = yield* stepsValue(screened(open));
      yield;
      if (v < cur - 1e-9 * Math.max(1, cur)) {
        cur = v;
        capOpen -= pr.cap[r]!;
        improved = true;
      } else open[r] = 1;
    }
    // Add.
    for (let u = 0; u < S && !shouldStop(); u++) {
      if (open[u] || pr.forbidden[u]) continue;
      open[u] = 1;
      const v = yield* stepsValue(screened(open));
      yield;
      if (v < cur - 1e-9 * Math.max(1, cur)) {
        cur = v;
        capOpen += pr.cap[u]!;
        improved = true;
      } else open[u] = 0;
    }
    if (!swaps || improved) continue;
    outer: for (let r = 0; r < S; r++) {
      if (!open[r] || pr.mustOpen[r]) continue;
      for (let u = 0; u < S; u++) {
        if (shouldStop()) break outer;
        if (open[u] || pr.forbidden[u]) continue;
        if (capOpen - pr.cap[r]! + pr.cap[u]! < pr.totalDemand * (1 - 1e-12)) continue;
        open[r] = 0;
        open[u] = 1;
        const v = yield* stepsValue(screened(open));
        yield;
        if (v < cur - 1e-9 * Math.max(1, cur)) {
          cur = v;
          capOpen += pr.cap[u]! - pr.cap[r]!;
          improved = true;
          break outer;
        }
        open[r] = 1;
        open[u] = 0;
      }
    }
  }
  return { open, value: cur };
}

/** A value that is either known or still to be computed by steps. */
function* stepsValue(x: number | Steps<number>): Steps<number> {
  return typeof x === 'number' ? x : yield* x;
}

/**
 * Single-source assignment of clients to a fixed open set (a generalized assignment
 * problem): regret-ordered greedy (largest difference between the two cheapest sites
 * that still have room first, Martello-Toth style), then shift and swap improvements.
 * Returns null when the greedy cannot place every client.
 */
export function singleSourceAssign(pr: FacilityProblem, open: Uint8Array): Incumbent | null {
  const { nSites: S, nClients: C, c, d, cap } = pr;
  const room = new Float64Array(S);
  for (let i = 0; i < S; i++) room[i] = open[i] ? cap[i]! : 0;
  const assign = new Int32Array(C).fill(-1);
  const done = new Uint8Array(C);
  for (let placed = 0; placed < C; placed++) {
    let bestJ = -1;
    let bestRegret = -Infinity;
    let bestSite = -1;
    for (let j = 0; j < C; j++) {
      if (done[j]) continue;
      let b1 = -1;
      let v1 = Infinity;
      let v2 = Infinity;
      for (let i = 0; i < S; i++) {
        if (!open[i] || room[i]! < d[j]! - 1e-9) continue;
        const v = c[i * C + j]!;
        if (v < v1) {
          v2 = v1;
          v1 = v;
          b1 = i;
        } else if (v < v2) v2 = v;
      }
      if (b1 < 0 || v1 === Infinity) return null;
      const regret = v2 === Infinity ? Infinity : v2 - v1;
      if (regret > bestRegret || (regret === bestRegret && d[j]! > d[bestJ]!)) {
        bestRegret = regret;
        bestJ = j;
        bestSite = b1;
      }
    }
    done[bestJ] = 1;
    assign[bestJ] = bestSite;
    room[bestSite]! -= d[bestJ]!;
  }
  improveAssignment(pr, open, assign, room);
  return assignmentIncumbent(pr, open, assign);
}

/**
 * Shift (one client to a cheaper site with room) and swap (two clients exchange sites)
 * moves, first improvement, until none applies (at most 50 rounds). `room` is each
 * site's spare capacity and is kept up to date.
 */
export function improveAssignment(pr: FacilityProblem, open: Uint8Array, assign: Int32Array, room: Float64Array): void {
  runSteps(improveAssignmentSteps(pr, open, assign, room));
}

/** `improveAssignment` with a checkpoint every 128 clients of each pass: a pass of swaps is C^2/2 pairs, and up to 50 passes at 1000 clients held the thread past an abort's 50 ms (issue 13). */
export function* improveAssignmentSteps(pr: FacilityProblem, open: Uint8Array, assign: Int32Array, room: Float64Array): Steps<void> {
  const { nSites: S, nClients: C, c, d } = pr;
  let improved = true;
  let rounds = 0;
  while (improved && rounds++ < 50) {
    improved = false;
    for (let j = 0; j < C; j++) {
      const a = assign[j]!;
      const ca = c[a * C + j]!;
      for (let i = 0; i < S; i++) {
        if (i === a || !open[i] || room[i]! < d[j]! - 1e-9) continue;
        if (c[i * C + j]! < ca - 1e-12) {
          room[a]! += d[j]!;
          room[i]! -= d[j]!;
          assign[j] = i;
          improved = true;
          break;
        }
      }
    }
    for (let j = 0; j < C; j++) {
      if ((j & 127) === 127) yield;
      for (let k = j + 1; k < C; k++) {
        const a = assign[j]!;
        const b = assign[k]!;
        if (a === b) continue;
        const delta = c[b * C + j]! + c[a * C + k]! - c[a * C + j]! - c[b * C + k]!;
        if (!(delta < -1e-12)) continue;
        if (room[b]! + d[k]! - d[j]! < -1e-9 || room[a]! + d[j]! - d[k]! < -1e-9) continue;
        room[a]! += d[j]! - d[k]!;
        room[b]! += d[k]! - d[j]!;
        assign[j] = b;
        assign[k] = a;
        improved = true;
      }
    }
  }
}

/** The single-source solution of a complete assignment: opened sites that serve nobody are closed (pre-opened ones kept). */
export function assignmentIncumbent(pr: FacilityProblem, open: Uint8Array, assign: Int32Array): Incumbent {
  const { nSites: S, nClients: C, c } = pr;
  let value = 0;
  const used = new Uint8Array(S);
  for (let j = 0; j < C; j++) {
    value += c[assign[j]! * C + j]!;
    used[assign[j]!] = 1;
  }
  const finalOpen = new Uint8Array(S);
  for (let i = 0; i < S; i++) {
    finalOpen[i] = open[i] && (used[i] || pr.mustOpen[i]) ? 1 : 0;
    if (finalOpen[i]) value += pr.f[i]!;
  }
  return { value, solution: { open: finalOpen, assign } };
}

/**
 * A feasible split-demand plan in O(S C) (no transportation): the sites with the cheapest
 * opening cost per unit of capacity until the capacity covers the demand, then each client
 * at its cheapest open site with room, the rest of its demand at the next ones. Null when
 * `allowed` pairs or stranded capacity block it (the full greedy decides then). `sorted`: each
 * client's sites by cost, ties by site (LagrangianRelaxation.costOrder), to find the cheapest
 * open site with room by a walk from the front instead of a scan of every site (the same site).
 */
export function firstFitSplitPlan(pr: FacilityProblem, sorted?: { order: Int32Array; sortedCost: Float64Array } | undefined): Incumbent | null {
  const { nSites: S, nClients: C, c, d } = pr;
  const open = new Uint8Array(S);
  for (let i = 0; i < S; i++) if (pr.mustOpen[i]) open[i] = 1;
  if (!coverDemand(pr, open)) return null;
  const room = new Float64Array(S);
  for (let i = 0; i < S; i++) room[i] = open[i] ? pr.cap[i]! : 0;
  const flows: FlowShare[] = [];
  const assign = new Int32Array(C);
  let value = 0;
  for (let i = 0; i < S; i++) if (open[i]) value += pr.f[i]!;
  for (let j = 0; j < C; j++) {
    let left = d[j]!;
    let first = true;
    while (first || left > 1e-12 * Math.max(1, d[j]!)) {
      const best = sorted ? firstOpenWithRoom(sorted, j, S, open, room, d[j] === 0) : cheapestOpenWithRoom(pr, j, open, room);
      if (best < 0) return null;
      const take = d[j] === 0 ? 0 : Math.min(left, room[best]!);
      const fraction = d[j] === 0 ? 1 : take / d[j]!;
      if (first) assign[j] = best;
      first = false;
      flows.push({ site: best, client: j, fraction });
      value += fraction * c[best * C + j]!;
      room[best]! -= take;
      left -= take;
      if (d[j] === 0) break;
    }
  }
  return { value, solution: { open, assign, flows } };
}

/** The lowest-index site of least cost to client j among the open ones with room (or any open one for a zero demand); -1: none. */
function cheapestOpenWithRoom(pr: FacilityProblem, j: number, open: Uint8Array, room: Float64Array): number {
  const { nSites: S, nClients: C, c, d } = pr;
  let best = -1;
  for (let i = 0; i < S; i++) if (open[i] && c[i * C + j]! < Infinity && (room[i]! > 0 || d[j] === 0) && (best < 0 || c[i * C + j]! < c[best * C + j]!)) best = i;
  return best;
}

/** cheapestOpenWithRoom by the client's sites in cost order: the first that qualifies (ties are in site order). */
function firstOpenWithRoom(sorted: { order: Int32Array; sortedCost: Float64Array }, j: number, S: number, open: Uint8Array, room: Float64Array, zeroDemand: boolean): number {
  const base = j * S;
  for (let t = 0; t < S; t++) {
    if (!(sorted.sortedCost[base + t]! < Infinity)) return -1;
    const i = sorted.order[base + t]!;
    if (open[i] && (room[i]! > 0 || zeroDemand)) return i;
  }
  return -1;
}

/** One candidate move of lagrangianSwapSearch: close `drop1`, `drop2` and open `add1`, `add2` (-1 = none), with its Lagrangian bound. */
export interface SwapMove {
  drop1: number;
  drop2: number;
  add1: number;
  add2: number;
  bound: number;
}

/** Candidate moves priced per round (the cheapest Lagrangian bounds): beyond this the bound screens too little to pay. */
const MAX_SWAP_MOVES = 8000;

/**
 * Site local search for split-demand CFL guided by a Lagrangian relaxation: moves that close up to
 * two open sites and open up to two closed ones. With multipliers v and the site costs rho_i(v) of
 * the Cornuejols-Sridharan-Thizy relaxation, sumV + sum_{i in O} rho_i bounds from below every plan
 * opening exactly O (the relaxation with y fixed), so a move whose bound cannot beat the incumbent
 * is skipped without a transportation, and the others are tried cheapest bound first. On tight
 * instances (capacity 3-5 x demand) with the root's multipliers only tens to hundreds of the
 * ~10^6 double moves pass the screen, which makes the double moves affordable: single
 * moves alone stop at plans 0.1-0.3 % above the optimum. First improvement, then a new round.
 * `fixed` (-1 free, 0 closed, 1 open) holds reduced-cost fixings valid below the incumbent: such
 * sites never move. A checkpoint after each augmenting path and each move. `descents` (optional,
 * shared by the descents of one kicked search) maps every set a finished descent passed through to
 * the plan it ended at: a descent reaching such a set ends there at once.
 */
export function* lagrangianSwapSearchSteps(
  pr: FacilityProblem,
  evaluator: CflEvaluator,
  start: Incumbent,
  rho: Float64Array,
  sumV: number,
  fixed: Int8Array | undefined,
  shouldStop: () => boolean,
  descents?: Map<string, Incumbent>,
): Steps<Incumbent> {
  let inc = start;
  const open = Uint8Array.from(start.solution.open);
  const scratch = new Float64Array(pr.nClients);
  const movable = swapMovable(pr, rho, fixed);
  const dual = new NeighbourDualBound(pr, evaluator.transport);
  const path: string[] = [];
  for (;;) {
    if (descents) {
      // The descent from a set is determined by the set (same multipliers, fixing and limits): one
      // met before, in an earlier descent that ran to its end, ends where that one ended.
      const key = openSetKey(open);
      const known = descents.get(key);
      if (known) {
        inc = known;
        break;
      }
      path.push(key);
    }
    const cur = inc.value;
    const tol = 1e-9 * Math.max(1, Math.abs(cur));
    // The incumbent's duals (a memoised evaluation may have left another set's in the transportation).
    if (!(yield* evaluator.transport.solveSteps(open))) return inc;
    dual.prepare(open);
    const moves = yield* swapMovesSteps(pr, open, rho, sumV, cur - tol, movable, dual, shouldStop);
    let improved = false;
    for (const mv of moves) {
      if (shouldStop()) return inc;
      setMove(open, mv, 0);
      // The uncapacitated cost of the set (O(open x C)) screens before the transportation.
      if (uncapacitatedBound(pr, open, scratch) < cur - tol) {
        const cand = yield* evaluator.evaluateSteps(open, cur - tol, true);
        if (cand && cand.value < cur - tol) {
          inc = yield* closeIdleSteps(pr, cand, evaluator);
          open.set(inc.solution.open);
          improved = true;
          break;
        }
      }
      yield;
      setMove(open, mv, 1);
    }
    if (!improved) {
      // Only a descent that ran to its end tells where its sets lead.
      if (shouldStop()) return inc;
      break;
    }
  }
  if (descents) for (const key of path) descents.set(key, inc);
  return inc;
}

/**
 * Lower bounds on the transportation cost of open sets near a solved one, from its optimal dual
 * (alpha, beta): for any beta >= 0, alpha_j = min over open i of (u_ij + beta_i) is dual feasible,
 * so f(O') + sum_j d_j alpha_j - sum_{i in O'} C_i beta_i <= cost(O') (LP duality of the
 * transportation). Keeping the solved set's beta, a closed site's clients are re-priced at their
 * next open site (each client keeps its three cheapest open sites, so two drops cost O(C)), and an
 * opened site gets the beta that maximises the bound (a weighted quantile over the clients it
 * attracts: the same value as its continuous knapsack). At the solved set itself the bound is the
 * exact cost; for drops it is much tighter than the Lagrangian set bound, which leaves the
 * dropped site's clients at their old prices.
 */
export class NeighbourDualBound {
  private readonly beta: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly s1: Int32Array;
  private readonly s2: Int32Array;
  private readonly a: Float64Array;
  private readonly gainIdx: Int32Array;
  /** The attracted clients' gains and demands for the selection in addSite (reordered by it). */
  private readonly vals: Float64Array;
  private readonly wts: Float64Array;
  private base = 0;
  /** sum_j w_j k1_j (w_j = d_j, or 1 for a zero-demand client): the prices of the prepared set. */
  private priceSum = 0;
  /** Each open site's clients (those whose cheapest open site it is, s1), in CSR form: the only prices a drop changes. */
  private readonly dropStart: Int32Array;
  private readonly dropList: Int32Array;
  private readonly dropFill: Int32Array;
  /** Per closed site u, at the prepared prices: the best beta_u (addBeta) and sum_j w_j min(k1_j, p_uj) (addSum); valid while addStamp = stamp. */
  private readonly addBeta: Float64Array;
  private readonly addSum: Float64Array;
  private readonly addStamp: Int32Array;
  /** Per pair of closed sites (u1 S + u2), sum_j w_j min(k1_j, p_u1j, p_u2j) at their addBeta; valid while pairStamp = stamp. */
  private readonly pairSum: Float64Array;
  private readonly pairStamp: Int32Array;
  private stamp = 0;

  constructor(
    private readonly pr: FacilityProblem,
    private readonly transport: Transportation,
  ) {
    const { nSites: S, nClients: C } = pr;
    this.beta = new Float64Array(S);
    this.k1 = new Float64Array(C);
    this.k2 = new Float64Array(C);
    this.k3 = new Float64Array(C);
    this.s1 = new Int32Array(C);
    this.s2 = new Int32Array(C);
    this.a = new Float64Array(C);
    this.gainIdx = new Int32Array(C);
    this.vals = new Float64Array(C);
    this.wts = new Float64Array(C);
    this.dropStart = new Int32Array(S + 1);
    this.dropList = new Int32Array(C);
    this.dropFill = new Int32Array(S);
    this.addBeta = new Float64Array(S);
    this.addSum = new Float64Array(S);
    this.addStamp = new Int32Array(S);
    this.pairSum = new Float64Array(S * S);
    this.pairStamp = new Int32Array(S * S);
  }

  /** Reads the duals of the transportation just solved for `open` (its last solve). */
  prepare(open: Uint8Array): void {
    const { pr, beta, k1, k2, k3, s1, s2 } = this;
    const { nSites: S, nClients: C, d } = pr;
    const u = this.transport.u;
    this.transport.capacityPrices(beta);
    k1.fill(Infinity);
    k2.fill(Infinity);
    k3.fill(Infinity);
    s1.fill(-1);
    s2.fill(-1);
    this.base = 0;
    for (let i = 0; i < S; i++) {
      if (!open[i]) continue;
      this.base += pr.f[i]! - pr.cap[i]! * beta[i]!;
      const row = i * C;
      for (let j = 0; j < C; j++) {
        // A zero-demand client pays c_ij at its cheapest open site, whatever the prices.
        const key = d[j]! > 0 ? u[row + j]! + beta[i]! : pr.c[row + j]!;
        if (key < k3[j]!) {
          if (key < k2[j]!) {
            k3[j] = k2[j]!;
            if (key < k1[j]!) {
              k2[j] = k1[j]!;
              s2[j] = s1[j]!;
              k1[j] = key;
              s1[j] = i;
            } else {
              k2[j] = key;
              s2[j] = i;
            }
          } else k3[j] = key;
        }
      }
    }
    this.stamp++;
    // The clients of each open site by s1 (a counting sort), and the prepared prices' sum.
    const { dropStart, dropList, dropFill } = this;
    dropStart.fill(0);
    this.priceSum = 0;
    for (let j = 0; j < C; j++) {
      if (s1[j]! >= 0) dropStart[s1[j]! + 1]!++;
      this.priceSum += d[j]! > 0 ? d[j]! * k1[j]! : k1[j]!;
    }
    for (let i = 0; i < S; i++) dropStart[i + 1]! += dropStart[i]!;
    dropFill.set(dropStart.subarray(0, S));
    for (let j = 0; j < C; j++) if (s1[j]! >= 0) dropList[dropFill[s1[j]!]!++] = j;
  }

  /**
   * A lower bound on the cost of the prepared set with the move applied, in O(clients of the dropped
   * sites): the dual bound of `bound` with each added site's beta_u chosen once, at the prepared
   * prices (addBeta), instead of at the prices after the drops. Any beta_u >= 0 gives a valid bound
   * (usually a little below `bound`, which picks beta_u after the drops), so a move it already puts at
   * or above `limit` is discarded without `bound`'s O(C) passes; for a pure drop it is `bound`. A pair of
   * adds is first screened by their gains counted apart (O(1)); then the value returned may be any
   * valid bound at or above the limit.
   */
  quick(mv: SwapMove, limit = Infinity): number {
    const { pr, k1, k2, k3, s2, beta, dropStart, dropList } = this;
    const { nClients: C, d } = pr;
    const unit = this.transport.u;
    const r1 = mv.drop1;
    const r2 = mv.drop2;
    const u1 = mv.add1;
    const u2 = mv.add2;
    let lb = this.base;
    if (r1 >= 0) lb -= pr.f[r1]! - pr.cap[r1]! * beta[r1]!;
    if (r2 >= 0) lb -= pr.f[r2]! - pr.cap[r2]! * beta[r2]!;
    let b1 = 0;
    let b2 = 0;
    if (u1 < 0) lb += this.priceSum;
    else if (u2 < 0) {
      this.addBase(u1);
      b1 = this.addBeta[u1]!;
      lb += pr.f[u1]! - pr.cap[u1]! * b1 + this.addSum[u1]!;
    } else {
      this.addBase(u1);
      this.addBase(u2);
      b1 = this.addBeta[u1]!;
      b2 = this.addBeta[u2]!;
      lb += pr.f[u1]! - pr.cap[u1]! * b1 + pr.f[u2]! - pr.cap[u2]! * b2;
      // min(k, p1, p2) >= min(k, p1) + min(k, p2) - k: the two adds' gains counted apart bound the
      // pair's from below, in O(1); the pair's own sum (O(C), memoised) only when that passes.
      const apart = this.addSum[u1]! + this.addSum[u2]! - this.priceSum;
      // The dropped clients' changes below are >= 0: a pair already at the limit stays there.
      if (lb + apart >= limit) return lb + apart;
      lb += this.pairBase(u1, u2);
    }
    // The dropped sites' clients move to their next open site (the third when both cheapest close).
    for (let r = 0; r < 2; r++) {
      const site = r === 0 ? r1 : r2;
      if (site < 0) continue;
      const other = r === 0 ? r2 : r1;
      for (let t = dropStart[site]!; t < dropStart[site + 1]!; t++) {
        const j = dropList[t]!;
        const w = d[j]! > 0 ? d[j]! : 1;
        let old = k1[j]!;
        let now = s2[j] === other && other >= 0 ? k3[j]! : k2[j]!;
        if (u1 >= 0) {
          const p1 = d[j]! > 0 ? unit[u1 * C + j]! + b1 : pr.c[u1 * C + j]!;
          if (p1 < old) old = p1;
          if (p1 < now) now = p1;
        }
        if (u2 >= 0) {
          const p2 = d[j]! > 0 ? unit[u2 * C + j]! + b2 : pr.c[u2 * C + j]!;
          if (p2 < old) old = p2;
          if (p2 < now) now = p2;
        }
        if (now === Infinity) return Infinity;
        lb += w * (now - old);
      }
    }
    return Number.isNaN(lb) ? -Infinity : lb;
  }

  /** addBeta / addSum of closed site u at the prepared prices (once per prepare). */
  private addBase(u: number): void {
    if (this.addStamp[u] === this.stamp) return;
    this.addStamp[u] = this.stamp;
    const { pr, k1, vals, wts } = this;
    const { nClients: C, d } = pr;
    const unit = this.transport.u;
    const row = u * C;
    let n = 0;
    let total = 0;
    for (let j = 0; j < C; j++) {
      if (!(d[j]! > 0)) continue;
      const g = k1[j]! - unit[row + j]!;
      if (g > 0) {
        vals[n] = g;
        wts[n++] = d[j]!;
        total += d[j]!;
      }
    }
    const b = capacityPrice(vals, wts, n, total, pr.cap[u]!);
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const p = d[j]! > 0 ? unit[row + j]! + b : pr.c[row + j]!;
      const x = p < k1[j]! ? p : k1[j]!;
      sum += d[j]! > 0 ? d[j]! * x : x;
    }
    this.addBeta[u] = b;
    this.addSum[u] = sum;
  }

  /** sum_j w_j min(k1_j, p_u1j, p_u2j) at the addBeta of both (once per pair and prepare). */
  private pairBase(u1: number, u2: number): number {
    const { pr, k1 } = this;
    const { nSites: S, nClients: C, d } = pr;
    const key = u1 < u2 ? u1 * S + u2 : u2 * S + u1;
    if (this.pairStamp[key] === this.stamp) return this.pairSum[key]!;
    const unit = this.transport.u;
    const b1 = this.addBeta[u1]!;
    const b2 = this.addBeta[u2]!;
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const pos = d[j]! > 0;
      let x = k1[j]!;
      const p1 = pos ? unit[u1 * C + j]! + b1 : pr.c[u1 * C + j]!;
      const p2 = pos ? unit[u2 * C + j]! + b2 : pr.c[u2 * C + j]!;
      if (p1 < x) x = p1;
      if (p2 < x) x = p2;
      sum += pos ? d[j]! * x : x;
    }
    this.pairStamp[key] = this.stamp;
    this.pairSum[key] = sum;
    return sum;
  }

  /** The bound of the prepared set with the move applied (Infinity when a client loses every site it may use). */
  bound(mv: SwapMove): number {
    const { pr, beta, k1, k2, k3, s1, s2, a } = this;
    const { nClients: C, d } = pr;
    const r1 = mv.drop1;
    const r2 = mv.drop2;
    let lb = this.base;
    if (r1 >= 0) lb -= pr.f[r1]! - pr.cap[r1]! * beta[r1]!;
    if (r2 >= 0) lb -= pr.f[r2]! - pr.cap[r2]! * beta[r2]!;
    for (let j = 0; j < C; j++) {
      let x = k1[j]!;
      const t1 = s1[j]!;
      if (t1 === r1 || t1 === r2) {
        const t2 = s2[j]!;
        // With two drops the third site is reached only when both cheapest ones closed; with one, the second.
        x = t2 === r1 || t2 === r2 ? k3[j]! : k2[j]!;
      }
      a[j] = x;
    }
    if (mv.add1 >= 0) lb += this.addSite(mv.add1);
    if (mv.add2 >= 0) lb += this.addSite(mv.add2);
    for (let j = 0; j < C; j++) {
      const x = a[j]!;
      if (x === Infinity) return Infinity;
      lb += d[j]! > 0 ? d[j]! * x : x;
    }
    return lb;
  }

  /**
   * Opens u on the client prices `a`: picks beta_u >= 0 maximising sum_j d_j min(a_j, u_uj + beta_u)
   * - C_u beta_u, lowers `a` accordingly and returns f_u - C_u beta_u.
   */
  private addSite(u: number): number {
    const { pr, a, gainIdx, vals, wts } = this;
    const { nClients: C, d } = pr;
    const unit = this.transport.u;
    const row = u * C;
    let n = 0;
    let total = 0;
    for (let j = 0; j < C; j++) {
      if (d[j]! > 0) {
        const g = a[j]! - unit[row + j]!;
        if (g > 0) {
          gainIdx[n] = j;
          vals[n] = g;
          wts[n++] = d[j]!;
          total += d[j]!;
        }
      } else if (pr.c[row + j]! < a[j]!) a[j] = pr.c[row + j]!;
    }
    const betaU = capacityPrice(vals, wts, n, total, pr.cap[u]!);
    for (let t = 0; t < n; t++) {
      const j = gainIdx[t]!;
      const p = unit[row + j]! + betaU;
      if (p < a[j]!) a[j] = p;
    }
    return pr.f[u]! - pr.cap[u]! * betaU;
  }
}

/**
 * beta_u of an added site u of capacity `cap`, from the n clients it attracts (gains `vals`, demands
 * `wts`, total demand `total`; reordered): the gain at which their demand, by decreasing gain, first
 * reaches the capacity, found by a weighted selection (linear time; a sort of the attracted clients
 * ran for every ranked move and took most of the swap search's time); 0 when they do not fill it.
 * Clients that lost every other site (infinite gain) overfill u alone: any finite beta_u >= 0 keeps
 * the bound valid (another opened site may serve the rest), so the largest finite gain is taken.
 */
function capacityPrice(vals: Float64Array, wts: Float64Array, n: number, total: number, cap: number): number {
  const b = total >= cap ? weightedUpperQuantile(vals, wts, n, cap) : 0;
  if (b !== Infinity) return b;
  let finite = 0;
  for (let t = 0; t < n; t++) if (vals[t]! < Infinity && vals[t]! > finite) finite = vals[t]!;
  return finite;
}

/** Applies a move to `open` (way 0) or undoes it (way 1). */
function setMove(open: Uint8Array, mv: SwapMove, way: 0 | 1): void {
  if (mv.drop1 >= 0) open[mv.drop1] = way;
  if (mv.drop2 >= 0) open[mv.drop2] = way;
  if (mv.add1 >= 0) open[mv.add1] = 1 - way;
  if (mv.add2 >= 0) open[mv.add2] = 1 - way;
}

/**
 * The moves of lagrangianSwapSearch whose set bound is below `limit` and whose open capacity
 * still covers the demand, cheapest bound first (at most MAX_SWAP_MOVES). Open sites are
 * scanned by decreasing rho and closed ones by increasing rho, so each loop stops at the first
 * site that cannot bring the bound under the limit. None once `shouldStop` answers true: the
 * ranking of thousands of moves must not run on after an abort or the deadline.
 */
function* swapMovesSteps(
  pr: FacilityProblem,
  open: Uint8Array,
  rho: Float64Array,
  sumV: number,
  limit: number,
  movable: (i: number) => boolean,
  dual: NeighbourDualBound,
  shouldStop: () => boolean,
): Steps<SwapMove[]> {
  const moves = setBoundMoves(pr, open, rho, sumV, limit, movable);
  // The transportation-dual bound of the same sets (both are valid): a move fails if either cannot
  // beat the limit; the tighter one ranks. O(C log C) per move with adds (about 0.2 ms at
  // C = 1000 under load): a checkpoint every 32 (every 128 held the thread ~25-100 ms).
  const kept: SwapMove[] = [];
  for (let t = 0; t < moves.length; t++) {
    if ((t & 31) === 31) {
      if (shouldStop()) return [];
      yield;
    }
    const mv = moves[t]!;
    // The O(dropped clients) bound first: most moves fail there, and only the rest pay for `bound`.
    const q = dual.quick(mv, limit);
    if (!(q < limit)) continue;
    const b = mv.add1 >= 0 ? dual.bound(mv) : q;
    if (b > mv.bound) mv.bound = b;
    if (q > mv.bound) mv.bound = q;
    if (b < limit) kept.push(mv);
  }
  kept.sort(byBoundThenSites);
  return kept;
}

/** Moves by bound, then by their sites (a total order: the ranking replays). */
function byBoundThenSites(x: SwapMove, y: SwapMove): number {
  return x.bound - y.bound || x.drop1 - y.drop1 || x.drop2 - y.drop2 || x.add1 - y.add1 || x.add2 - y.add2;
}

/**
 * The first ranking of swapMovesSteps: the moves (<= 2 drops, <= 2 adds) whose Lagrangian set
 * bound (sumV + the rho of the open sites after the move) is below `limit` and whose open
 * capacity covers the demand, cheapest first, at most MAX_SWAP_MOVES.
 */
function setBoundMoves(pr: FacilityProblem, open: Uint8Array, rho: Float64Array, sumV: number, limit: number, movable: (i: number) => boolean): SwapMove[] {
  const S = pr.nSites;
  const need = pr.totalDemand * (1 - 1e-12);
  let base = sumV;
  let capOpen = 0;
  const outs: number[] = [];
  const ins: number[] = [];
  for (let i = 0; i < S; i++) {
    if (open[i]) {
      base += rho[i]!;
      capOpen += pr.cap[i]!;
      if (movable(i)) outs.push(i);
    } else if (movable(i)) ins.push(i);
  }
  outs.sort((x, y) => rho[y]! - rho[x]! || x - y);
  ins.sort((x, y) => rho[x]! - rho[y]! || x - y);
  // Drop sets (none, one, two) with their bound and capacity after the drop.
  const drops: { d1: number; d2: number; b: number; cap: number }[] = [{ d1: -1, d2: -1, b: base, cap: capOpen }];
  const minIn = ins.length > 0 ? Math.min(0, rho[ins[0]!]!) : 0;
  const minIn2 = ins.length > 1 ? minIn + Math.min(0, rho[ins[1]!]!) : minIn;
  for (let a = 0; a < outs.length; a++) {
    const r1 = outs[a]!;
    const b1 = base - rho[r1]!;
    // Later first drops have smaller rho: none of them (with any second drop and adds) gets under the limit.
    if (b1 - (a + 1 < outs.length ? Math.max(0, rho[outs[a + 1]!]!) : 0) + minIn2 >= limit) break;
    drops.push({ d1: r1, d2: -1, b: b1, cap: capOpen - pr.cap[r1]! });
    for (let c = a + 1; c < outs.length; c++) {
      const r2 = outs[c]!;
      const b2 = b1 - rho[r2]!;
      if (b2 + minIn2 >= limit) break;
      drops.push({ d1: r1, d2: r2, b: b2, cap: capOpen - pr.cap[r1]! - pr.cap[r2]! });
    }
  }
  const moves: SwapMove[] = [];
  for (const dr of drops) {
    if (dr.d1 >= 0 && dr.cap >= need && dr.b < limit) moves.push({ drop1: dr.d1, drop2: dr.d2, add1: -1, add2: -1, bound: dr.b });
    for (let a = 0; a < ins.length; a++) {
      const u1 = ins[a]!;
      const b1 = dr.b + rho[u1]!;
      if (b1 + minIn >= limit) break;
      if (b1 < limit && dr.cap + pr.cap[u1]! >= need) moves.push({ drop1: dr.d1, drop2: dr.d2, add1: u1, add2: -1, bound: b1 });
      // Two adds only with at least one drop (pure double adds rarely pay on tight instances: each add costs its opening).
      if (dr.d1 < 0) continue;
      for (let c = a + 1; c < ins.length; c++) {
        const u2 = ins[c]!;
        const b2 = b1 + rho[u2]!;
        if (b2 >= limit) break;
        if (dr.cap + pr.cap[u1]! + pr.cap[u2]! >= need) moves.push({ drop1: dr.d1, drop2: dr.d2, add1: u1, add2: u2, bound: b2 });
      }
    }
    if (moves.length > 2 * MAX_SWAP_MOVES) break;
  }
  moves.sort(byBoundThenSites);
  if (moves.length > MAX_SWAP_MOVES) moves.length = MAX_SWAP_MOVES;
  return moves;
}

/** Closes open sites that carry no load (saving their opening cost), re-evaluated exactly. */
export function* closeIdleSteps(pr: FacilityProblem, inc: Incumbent, evaluator: CflEvaluator): Steps<Incumbent> {
  const flows = inc.solution.flows;
  if (!flows) return inc;
  const used = new Uint8Array(pr.nSites);
  for (const sh of flows) used[sh.site] = 1;
  let changed = false;
  const open = Uint8Array.from(inc.solution.open);
  for (let i = 0; i < pr.nSites; i++) {
    if (open[i] && !used[i] && !pr.mustOpen[i]) {
      open[i] = 0;
      changed = true;
    }
  }
  if (!changed) return inc;
  const again = yield* evaluator.evaluateSteps(open);
  return again && again.value < inc.value ? again : inc;
}

/** See swapSearchFromRoot. */
const KICK_MIN_FREE_SITES = 30;

/** Sites the root's reduced-cost fixing left free (all of them when it fixed none). */
export function freeAfterRoot(pr: FacilityProblem, search: SearchResult): number {
  let free = 0;
  for (let i = 0; i < pr.nSites; i++) if (!search.rootFixed || search.rootFixed[i] === -1) free++;
  return free;
}

/** More than KICK_MIN_FREE_SITES sites free after the root: a reduced MIP too wide to prove in the time (see swapSearchFromRoot). */
export function wideAfterRoot(pr: FacilityProblem, search: SearchResult): boolean {
  return freeAfterRoot(pr, search) > KICK_MIN_FREE_SITES;
}
/** On a wide reduced problem the search stops this long before the deadline (at most 3 % of the budget): the result still has to be built. */
const SEARCH_DEADLINE_MARGIN_MS = 500;

export interface SwapSearchOptions {
  /** MIP backend of the neighbourhood search. */
  backend?: BackendName | undefined;
  /** Receives each improved plan of the neighbourhood search. */
  report?: ((inc: Incumbent) => void) | undefined;
  /** Receives the neighbourhood search's counters (lnsMips, lnsProved, lnsImprovements, lnsSize). */
  stats?: Record<string, string | number | boolean | undefined> | undefined;
  /** Other plans (the branch-and-bound's heuristic plans): the kicks descend from them too, cheapest first with the near plans. */
  seeds?: readonly Incumbent[] | undefined;
  /** A wide search ends by this run.elapsedMs() (the caller resumes the branch-and-bound after it); default: just before the deadline. */
  untilMs?: number | undefined;
}

/**
 * The Lagrangian-guided swap search (lagrangianSwapSearchSteps) from the incumbent, at the
 * root's best multipliers and (when still valid) its reduced-cost fixing: on tight capacities the
 * root bound stalls 0.3-0.9 % below the optimum while the Lagrangian heuristic's plans stay
 * 0.1-0.6 % above it. With at most KICK_MIN_FREE_SITES free sites it gets 30 % of the time left
 * (the reduced MIP next in reducedMip proves the rest); on a wider reduced problem it descends,
 * then iterates (kick and descend again, keeping the best; see kickedSearch) up to just before the
 * deadline, and if the kicks run out of moves, the large-neighbourhood search takes the rest.
 */
export async function swapSearchFromRoot(pr: FacilityProblem, run: SolveRun, evaluator: CflEvaluator, inc: Incumbent, search: SearchResult, options: SwapSearchOptions = {}): Promise<Incumbent> {
  const v = search.rootV;
  if (!v) return inc;
  const lr = new LagrangianRelaxation(pr);
  // The clients' site orders that the evaluation sorts on first use (C sorts of S: 30-40 ms in
  // one stretch at 100 x 1000), built with checkpoints; stopped meanwhile, the incumbent stands.
  await runStepsAsync(lr.prepareSteps(() => run.shouldStop(), true), run);
  if (run.shouldStop() || lr.evaluate(v, new Int8Array(pr.nSites).fill(-1)) === Infinity) return inc;
  const rho = Float64Array.from(lr.rho);
  let sumV = 0;
  for (let j = 0; j < v.length; j++) sumV += v[j]!;
  // With at most KICK_MIN_FREE_SITES sites left free by the root, the reduced MIP (next in
  // reducedMip) is small enough to prove the optimum in the time left (generated capb/capc
  // 100 x 1000: 8-22 free sites): the search then gets 30 % of the time left and no kicks.
  const wide = wideAfterRoot(pr, search);
  const remaining = run.remainingMs();
  const until = remaining === Infinity ? Infinity : run.elapsedMs() + (wide ? 0.75 : 0.3) * remaining;
  const stop = (): boolean => run.shouldStop() || run.elapsedMs() > until;
  const fixed = search.fixedBelow !== undefined && search.fixedBelow >= inc.value ? search.rootFixed : undefined;
  // A wide reduced problem: the descent, then iterated local search (kick and descend again), up to
  // just before the deadline. The reduced MIP after this cannot finish on 30+ free sites at such
  // limits (fresh 100 x 400 at 20 s: never proved, at best its warm start back), while kicks keep
  // finding the far-apart double moves that the descent missed; it is skipped for lack of time.
  const budget = run.deadline - run.startedAt;
  const end = options.untilMs ?? Math.max(until, budget - Math.min(SEARCH_DEADLINE_MARGIN_MS, 0.03 * budget));
  const stopAtEnd = (): boolean => run.shouldStop() || run.elapsedMs() > end;
  let best = await runStepsAsync(lagrangianSwapSearchSteps(pr, evaluator, inc, rho, sumV, fixed, wide ? stopAtEnd : stop), run);
  if (!(until < Infinity && wide)) return best;
  const kicked = await kickedSearch(pr, run, evaluator, best, rho, sumV, fixed, stopAtEnd, options.seeds);
  best = kicked.incumbent;
  // No kick left (every move within 0.3 % of the plan tried): the large-neighbourhood search
  // (cfl-lns.ts) decides whole regions exactly for the rest of the time.
  if (kicked.exhausted && !stopAtEnd()) {
    const lns = await cflNeighbourhoodSearch(pr, run, evaluator, best, siteProximity(pr, evaluator.transport.u), { fixed, untilMs: end, backend: options.backend, report: options.report });
    best = lns.incumbent;
    if (options.stats) Object.assign(options.stats, { lnsMips: lns.stats.mips, lnsProved: lns.stats.proved, lnsImprovements: lns.stats.improvements, lnsSize: lns.stats.finalSize });
  }
  return best;
}

/** Kicks in a row that found no move before kickedSearch gives up (see kickSteps: a null kick). */
const KICKS_EXHAUSTED = 3;
/** Kicks go to moves whose set bound is within this fraction above the plan kicked from. */
const KICK_RANGE = 0.003;
/** Near plans evaluated exactly per best plan (nearPlansSteps): the first this many moves by bound. */
const NEAR_PLANS = 64;

/** The ranked moves of the plan kicked from last (kickSteps), by its open-set key. */
interface KickMoves {
  key: string;
  moves: SwapMove[];
}

/** A plan to kick to: its open set and exact value (flows are recomputed when it is taken). */
interface NearPlan {
  value: number;
  open: Uint8Array;
}

/**
 * Kick and descend again (kickSteps, lagrangianSwapSearchSteps) until `stop`, keeping the best
 * plan. The kicks are best-first over the local optima met so far: each local optimum within
 * KICK_RANGE of the best is expanded once into its near plans (nearPlansSteps, exact values), and
 * every kick takes the cheapest near plan not yet tried, whichever optimum it came from. On tight
 * capacities the improving change is often a chain: a double move up by 0.2 %, a descent to another
 * optimum a little above the best, and a single swap from there below it; this order walks such
 * chains first. Once every near plan has been tried, random kicks (kickSteps) take over.
 * `exhausted`: it ended because KICKS_EXHAUSTED random kicks in a row found no move to make.
 */
export async function kickedSearch(
  pr: FacilityProblem,
  run: SolveRun,
  evaluator: CflEvaluator,
  start: Incumbent,
  rho: Float64Array,
  sumV: number,
  fixed: Int8Array | undefined,
  stop: () => boolean,
  seeds: readonly Incumbent[] = [],
): Promise<{ incumbent: Incumbent; exhausted: boolean }> {
  let best = start;
  let empty = 0;
  const tried = new Set<string>([openSetKey(start.solution.open)]);
  // Seed plans that respect the fixing (it holds below the incumbent only for plans that keep it).
  const pool: NearPlan[] = seeds
    .filter((p) => !tried.has(openSetKey(p.solution.open)) && (fixed === undefined || p.solution.open.every((o, i) => fixed[i] === -1 || fixed[i] === o)))
    .map((p) => ({ value: p.value, open: p.solution.open }));
  const expanded = new Set<string>();
  // Where each set met in a finished descent leads (see lagrangianSwapSearchSteps): most kicks fall back into a known basin.
  const descents = new Map<string, Incumbent>();
  let toExpand: Incumbent | null = start;
  const ranked: KickMoves = { key: '', moves: [] };
  while (!stop()) {
    if (toExpand) {
      expanded.add(openSetKey(toExpand.solution.open));
      const near = await runStepsAsync(nearPlansSteps(pr, evaluator, toExpand, rho, sumV, fixed, stop), run);
      toExpand = null;
      for (const p of near) if (!tried.has(openSetKey(p.solution.open))) pool.push({ value: p.value, open: p.solution.open });
      // Cheapest last, popped first (a few hundred plans at most: a sort per expansion is cheap).
      pool.sort((x, y) => y.value - x.value);
      continue;
    }
    let from: Incumbent | null;
    const plan = pool.pop();
    if (plan) {
      const key = openSetKey(plan.open);
      if (tried.has(key)) continue;
      tried.add(key);
      const r = await runStepsAsync(evaluator.evaluateSteps(plan.open), run);
      from = r ? await runStepsAsync(closeIdleSteps(pr, r, evaluator), run) : null;
      if (!from) continue;
    } else {
      from = await runStepsAsync(kickSteps(pr, evaluator, best, rho, sumV, fixed, run.rng, stop, ranked, tried), run);
      if (!from) {
        if (++empty >= KICKS_EXHAUSTED) return { incumbent: best, exhausted: true };
        continue;
      }
      empty = 0;
    }
    const next = await runStepsAsync(lagrangianSwapSearchSteps(pr, evaluator, from, rho, sumV, fixed, stop, descents), run);
    if (next.value < best.value - 1e-9 * Math.abs(best.value)) best = next;
    if (stop()) break;
    // A new local optimum close to the best: its near plans join the pool.
    if (next.value <= best.value + KICK_RANGE * Math.abs(best.value) && !expanded.has(openSetKey(next.solution.open))) toExpand = next;
  }
  return { incumbent: best, exhausted: false };
}

/** The sites a swap move may open or close: not forced either way, not fixed by the root, with a finite Lagrangian cost. */
function swapMovable(pr: FacilityProblem, rho: Float64Array, fixed: Int8Array | undefined): (i: number) => boolean {
  return (i) => !pr.mustOpen[i] && !pr.forbidden[i] && (fixed === undefined || fixed[i] === -1) && rho[i]! < Infinity;
}

/**
 * The plans one move away from `inc` (swapMovesSteps: up to two closings and two openings) whose
 * set bound is within KICK_RANGE above it, the first NEAR_PLANS by bound, evaluated exactly and
 * sorted by value. From a local optimum none beats `inc`; the cheapest of them are the steps out
 * of its basin that cost least, and on tight capacities the bound ranks them poorly (880002-like
 * instances: the exact value's best near plan is the 13th by bound), so kicks in exact order
 * reach the next basin in a few descents where random ones among the best bounds wander.
 */
export function* nearPlansSteps(pr: FacilityProblem, evaluator: CflEvaluator, inc: Incumbent, rho: Float64Array, sumV: number, fixed: Int8Array | undefined, shouldStop: () => boolean): Steps<Incumbent[]> {
  const open = Uint8Array.from(inc.solution.open);
  const movable = swapMovable(pr, rho, fixed);
  if (!(yield* evaluator.transport.solveSteps(open))) return [];
  const dual = new NeighbourDualBound(pr, evaluator.transport);
  dual.prepare(open);
  const moves = yield* swapMovesSteps(pr, open, rho, sumV, inc.value + KICK_RANGE * Math.abs(inc.value), movable, dual, shouldStop);
  const out: Incumbent[] = [];
  for (let t = 0; t < moves.length && t < NEAR_PLANS && !shouldStop(); t++) {
    setMove(open, moves[t]!, 0);
    const r = yield* evaluator.evaluateSteps(open);
    setMove(open, moves[t]!, 1);
    if (r) out.push(r);
  }
  out.sort((a, b) => a.value - b.value);
  return out;
}

/**
 * A kick for the iterated swap search: one of the first 16 moves, by bound within 0.3 % above `inc`,
 * whose set is not in `tried` (random, seeded), applied and evaluated exactly. From a local optimum
 * every move whose bound beats `inc` has failed, so these are the relaxation's next-best neighbours:
 * a small step that the next descent may turn into an improvement elsewhere. The kicked set joins
 * `tried`; `ranked` keeps the ranking of `inc` for the next kick from it. Null when none applies.
 */
function* kickSteps(pr: FacilityProblem, evaluator: CflEvaluator, inc: Incumbent, rho: Float64Array, sumV: number, fixed: Int8Array | undefined, rng: Rng, shouldStop: () => boolean, ranked: KickMoves, tried: Set<string>): Steps<Incumbent | null> {
  const open = Uint8Array.from(inc.solution.open);
  const key = openSetKey(open);
  // Kicks repeat from the same best plan until it changes: its ranking is computed once.
  if (ranked.key !== key) {
    const movable = swapMovable(pr, rho, fixed);
    if (!(yield* evaluator.transport.solveSteps(open))) return null;
    const dual = new NeighbourDualBound(pr, evaluator.transport);
    dual.prepare(open);
    const moves = yield* swapMovesSteps(pr, open, rho, sumV, inc.value * 1.003, movable, dual, shouldStop);
    // An interrupted ranking is not remembered.
    if (shouldStop()) return null;
    ranked.key = key;
    ranked.moves = moves;
  }
  // Among the first 16 moves that lead to a set not kicked to before (a repeated kick re-enters a
  // known basin: the descents' memo answers, nothing is learnt). None left: null (see kickedSearch).
  const pick: number[] = [];
  for (let t = 0; t < ranked.moves.length && pick.length < 16; t++) {
    setMove(open, ranked.moves[t]!, 0);
    if (!tried.has(openSetKey(open))) pick.push(t);
    setMove(open, ranked.moves[t]!, 1);
  }
  if (pick.length === 0 || shouldStop()) return null;
  setMove(open, ranked.moves[pick[rng.int(pick.length)]!]!, 0);
  tried.add(openSetKey(open));
  const r = yield* evaluator.evaluateSteps(open);
  return r ? yield* closeIdleSteps(pr, r, evaluator) : null;
}
