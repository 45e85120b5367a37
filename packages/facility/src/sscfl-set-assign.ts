import { runSteps, type Steps } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';
import { assignmentIncumbent, CutoffTransportation, openSetKey } from './capacitated.js';
import { unitCosts, type FacilityProblem } from './problem.js';
import { SingleSourceSiteSearch } from './sscfl-local-search.js';
import { SingleSourcePackRepair } from './sscfl-primal-pack.js';

/** Pair splits the capacity repair of the rounded LP plan may take (SingleSourcePackRepair). */
const REPAIR_ITERATIONS = 60;
/** Passes of the client-move polish (shift, swap, ejection chains, then exact pair splits) after the repair. */
const POLISH_ROUNDS = 30;

/**
 * The single-source assignment of a FIXED open set (a generalized assignment problem: open
 * sites = agents, clients = jobs) judged from its LP relaxation. With one capacity row per
 * site and demands that do not depend on the site, the LP of this GAP is the transportation
 * problem of split-demand CFL (a_ij = d_j x_ij): its value plus the opening costs is a lower
 * bound on every single-source plan with these open sites, and a basic optimum splits at most
 * (open sites - 1) clients. Rounding each client to its largest LP share leaves a few sites
 * over capacity by a few units, which the exact pair-split repair (SingleSourcePackRepair)
 * moves on to sites with room; the client-move polish with pair splits (SingleSourceSiteSearch)
 * then finishes.
 *
 * Why: the greedy placements of the site search (and the regret greedy) start far from the
 * packing that tight plans need. On the best known open sets of seven generated 100 x 400
 * instances (1-13 units of spare capacity over 12-22 sites) the regret greedy found no room
 * for every client on six; from the rounded LP, 20-30 ms gave plans 0.02-0.14 % above the
 * best known (s940111: 44 625, where the site search's client moves reach 44 732 and a
 * whole-region exact search cut to its root 44 618 in 150 ms). A kicked open set can so be
 * judged nearly at its worth, and the bound tells which sets are worth the assignment at all.
 */
export class SingleSourceSetAssign {
  private readonly transport: CutoffTransportation;
  private readonly polisher: SingleSourceSiteSearch;
  private readonly pack: SingleSourcePackRepair;
  private readonly share: Float64Array;
  private readonly assign: Int32Array;
  private readonly room: Float64Array;
  /** The open set of the last assignment and its sites' capacity prices. */
  private readonly open: Uint8Array;
  /** The LP value (opening plus serving cost) of the last open set solved; Infinity when none fitted or the solve was cut short. */
  lastBound = Infinity;

  constructor(private readonly pr: FacilityProblem) {
    const { nSites: S, nClients: C } = pr;
    this.transport = new CutoffTransportation(pr, unitCosts(pr));
    this.polisher = new SingleSourceSiteSearch(pr);
    this.pack = new SingleSourcePackRepair(pr);
    this.share = new Float64Array(C);
    this.assign = new Int32Array(C);
    this.room = new Float64Array(S);
    this.open = new Uint8Array(S);
  }

  /** Whether the method applies (integral demands: the pair-split repair needs them). */
  get applicable(): boolean {
    return this.pack.applicable;
  }

  /**
   * The LP lower bound of `open` (opening costs plus the transportation cost); Infinity
   * when the open capacity cannot serve the clients. Keeps the LP solution for `assignSteps`.
   * With `below`: once the bound is proven at or above it, the solve stops and returns that
   * proof (a lower bound at or above `below`, no LP solution kept): most sets a caller screens
   * lie far above its incumbent, and their transportations end after a few paths.
   */
  *boundSteps(open: Uint8Array, stop: () => boolean, below = Infinity): Steps<number> {
    const { pr } = this;
    this.open.set(open);
    this.lastBound = Infinity;
    let opening = 0;
    for (let i = 0; i < pr.nSites; i++) if (open[i]) opening += pr.f[i]!;
    const res = below < Infinity ? yield* this.transport.solveBelowSteps(open, below - opening) : yield* this.transport.solveSteps(open);
    if (typeof res === 'number') return stop() ? Infinity : opening + res;
    if (!res || stop()) return Infinity;
    const value = res.cost + opening;
    // Each client at its largest share (ties: the lower site index, flows come site by site).
    const { share, assign } = this;
    share.fill(0);
    for (const fl of res.flows) {
      if (fl.fraction > share[fl.client]! + 1e-12) {
        share[fl.client] = fl.fraction;
        assign[fl.client] = fl.site;
      }
    }
    this.lastBound = value;
    return value;
  }

  /** `boundSteps` run to the end. */
  bound(open: Uint8Array): number {
    return runSteps(this.boundSteps(open, () => false));
  }

  /**
   * A single-source plan on the open set of the last `boundSteps` (its LP solution rounded,
   * repaired, polished), or null when the bound found no fit, the repair did not reach the
   * capacities, or `stop`. The plan's open sites are those serving a client (and mustOpen).
   */
  *assignSteps(stop: () => boolean): Steps<Incumbent | null> {
    const { pr, open, assign, room } = this;
    const { nSites: S, nClients: C, d } = pr;
    if (this.lastBound === Infinity || !this.pack.applicable) return null;
    if (!(yield* this.pack.repairSteps(open, assign, REPAIR_ITERATIONS, stop)) || stop()) return null;
    for (let i = 0; i < S; i++) room[i] = open[i] ? pr.cap[i]! : 0;
    for (let j = 0; j < C; j++) room[assign[j]!]! -= d[j]!;
    yield* this.polisher.polishAssignmentSteps(open, assign, room, stop, true, POLISH_ROUNDS);
    // A copy: `assign` is this object's working buffer.
    return assignmentIncumbent(pr, open, Int32Array.from(assign));
  }

  /** The LP bound and the plan of `open` in one call (tests, benchmarks). */
  solve(open: Uint8Array): { bound: number; plan: Incumbent | null } {
    const bound = this.bound(open);
    return { bound, plan: runSteps(this.assignSteps(() => false)) };
  }
}

/** Open sets remembered as judged (see SingleSourceSetJudge); the memory is cleared beyond this many. */
const JUDGED_LIMIT = 1 << 16;
/** Work of one LP bound and of one rounded assignment, in cells per site x client (the caller's unit, see single-source.ts). */
const BOUND_CELLS = 1;
const ASSIGN_CELLS = 8;

/**
 * The open sets of the branch-and-bound's Lagrangian relaxation judged at their worth: each
 * new set whose LP bound lies below the incumbent gets the LP-rounded assignment
 * (SingleSourceSetAssign), offered when it beats the incumbent. The Lagrangian heuristic's own
 * repair places clients greedily from the knapsack solutions and packs the overflow, which on
 * tight sets ends 0.3-0.5 % above what the set is worth: on s940111 (generated 100 x 400,
 * ratio 5) the relaxation chose the best known open set at node 49 of a 30 s run, LP 44 530,
 * with the incumbent at 44 715, and the repair judged it above that (the rounded LP plan of
 * that set is 44 625). The bound holds for plans that open exactly the set: one at or above
 * the incumbent is skipped even though a plan closing some of its sites might beat it (closing
 * sites is the site search's move). A set's answer never changes as the incumbent falls (a
 * bound at or above it stays there; a plan that did not beat it does not beat a lower one), so
 * each set is judged once.
 */
export class SingleSourceSetJudge {
  private readonly sets = new Set<string>();
  /** Work done, in cells (site x client entries), over all calls. */
  work = 0;
  /** Sets judged. */
  seen = 0;

  private constructor(
    private readonly pr: FacilityProblem,
    private readonly setAssign: SingleSourceSetAssign,
  ) {}

  /** The judge of `pr`'s open sets; null when the rounded assignment does not apply (demands not integral). */
  static create(pr: FacilityProblem): SingleSourceSetJudge | null {
    const sa = new SingleSourceSetAssign(pr);
    return sa.applicable ? new SingleSourceSetJudge(pr, sa) : null;
  }

  /**
   * Whether `open` is new to the judge, and then remembered: a set's answer never changes as
   * the incumbent falls (see the class comment), so each set is judged once.
   */
  admit(open: Uint8Array): boolean {
    const key = openSetKey(open);
    if (this.sets.has(key)) return false;
    if (this.sets.size >= JUDGED_LIMIT) this.sets.clear();
    this.sets.add(key);
    return true;
  }

  /**
   * The plan of `open` when its LP bound is below the incumbent `ub()` and its rounded
   * assignment beats it; else null. In steps (the transportation, the repair and the polish
   * yield): at 100 x 1000 one judgement takes several hundred milliseconds, which a caller's
   * thread must not wait out in one piece.
   */
  *judgeSteps(open: Uint8Array, ub: () => number, stop: () => boolean): Steps<Incumbent | null> {
    this.seen++;
    const cells = this.pr.nSites * this.pr.nClients;
    this.work += BOUND_CELLS * cells;
    const tol = (u: number): number => 1e-9 * Math.max(1, Math.abs(u));
    const bound = yield* this.setAssign.boundSteps(open, stop, ub() - tol(ub()));
    if (!(bound < ub() - tol(ub())) || stop()) return null;
    this.work += ASSIGN_CELLS * cells;
    const plan = yield* this.setAssign.assignSteps(stop);
    if (!plan || !(plan.value < ub() - tol(ub()))) return null;
    return plan;
  }

  /** `admit` and `judgeSteps` run to the end (tests, benchmarks). */
  judge(open: Uint8Array, ub: number, stop: () => boolean): Incumbent | null {
    if (!this.admit(open)) return null;
    return runSteps(this.judgeSteps(open, () => ub, stop));
  }
}
