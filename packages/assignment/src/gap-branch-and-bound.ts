import { runSteps, type Steps, type SubgradientResult } from '@emplace/core';
import { GapFixing } from './gap-fixing.js';
import type { GapInstance } from './gap-instance.js';
import { GapLagrangian, gapSubgradientSteps } from './gap-lagrangian.js';
import { lagrangianRepair } from './mthg.js';

/**
 * Exact GAP by depth-first branch-and-bound on the Lagrangian bound (relaxed assignment
 * constraints, one knapsack per agent). A node fixes some jobs to agents; its bound is
 * optimised by a short subgradient run warm-started from its parent's multipliers, then
 * tightened by reduced-cost fixing (gap-fixing.ts: pairs that cannot be in an improving
 * assignment are disallowed, jobs that cannot leave an agent are fixed there, for the
 * whole subtree). The branching job is one the relaxation assigns zero or several times;
 * children (one per agent with room) are visited cheapest bound first. Every relaxed
 * solution is repaired into a feasible assignment (Lagrangian heuristic), so the
 * incumbent improves on the way.
 */
export interface GapBnbOptions {
  stop: () => boolean;
  /**
   * Polled at the fine checkpoints inside a node (after each agent of a fixing pass);
   * defaults to `stop`. A caller whose `stop` counts its calls as work (LNS sub-problems)
   * passes a predicate without that side effect here, so the finer checkpoints do not
   * spend the work cap.
   */
  interrupted?: (() => boolean) | undefined;
  /** Incumbent assignment and its cost (may be undefined / Infinity). */
  incumbent?: Int32Array | undefined;
  incumbentCost: number;
  /** Root multipliers (e.g. from a previous subgradient run). */
  rootU: Float64Array;
  rootIterations?: number;
  nodeIterations?: number;
  /**
   * Evaluations without a better bound before a node's step factor is halved (default 6).
   * `nodeIterations` or more keeps the factor constant through the node (see gap.ts).
   */
  nodePatience?: number;
  onImprove?: (cost: number, assignment: Int32Array) => void;
  /**
   * A plan found outside the search (read at every node): when cheaper than the search's
   * incumbent it becomes the incumbent. A search paused between the slices of gap:auto
   * takes up what tabu and LNS found meanwhile. Pruning and fixing done against the older,
   * higher cost stay valid (they were weaker).
   */
  outside?: (() => { cost: number; assignment: Int32Array | undefined }) | undefined;
  onNode?: (nodes: number, upper: number) => void;
  /**
   * A lower bound on the optimum proven outside this search (gap:auto's earlier probes): it
   * holds at every node, so once the incumbent reaches it every node is pruned. A probe
   * that finds a plan at the proven bound then stops at once, where it explored the rest
   * of the tree for the nodes whose own bound was lower.
   */
  lowerBound?: number | undefined;
}

export interface GapBnbResult {
  assignment: Int32Array | undefined;
  cost: number;
  /** Proven lower bound on the optimum (equals `cost` when the search completed). */
  bound: number;
  complete: boolean;
  nodes: number;
  rootBound: number;
  /** Pairs disallowed and jobs fixed by reduced-cost fixing (all nodes together). */
  fixings: number;
}

/** True when every feasible cost is an integer: then bounds may be rounded up. */
export function integralCosts(inst: GapInstance): boolean {
  for (let k = 0; k < inst.cost.length; k++) if (inst.feasible[k] && !Number.isInteger(inst.cost[k]!)) return false;
  return true;
}

export function gapBranchAndBound(inst: GapInstance, opts: GapBnbOptions): GapBnbResult {
  return runSteps(gapBranchAndBoundSteps(inst, opts));
}

/** The search as steps: a checkpoint at every subgradient iteration of every node (see core's runSteps / runStepsAsync). */
export function* gapBranchAndBoundSteps(inst: GapInstance, opts: GapBnbOptions): Steps<GapBnbResult> {
  const search = new BranchAndBound(inst, opts);
  const open = yield* search.explore(opts.rootU, 0);
  const complete = !search.stopped;
  const bound = complete ? search.upper : Math.min(search.upper, open);
  return { assignment: search.incumbent, cost: search.upper, bound, complete, nodes: search.nodes, rootBound: search.rootBound, fixings: search.fixings };
}

/** A child of a node: the agent the branching job goes to and its bound at the parent's multipliers. */
interface Child {
  agent: number;
  bound: number;
}

/** The state of one depth-first search: the current node's fixings, with a trail to undo them. */
class BranchAndBound {
  readonly inst: GapInstance;
  readonly opts: GapBnbOptions;
  readonly lag: GapLagrangian;
  readonly fixing: GapFixing;
  readonly integral: boolean;
  upper: number;
  incumbent: Int32Array | undefined;
  nodes = 0;
  stopped = false;
  rootBound = -Infinity;
  fixings = 0;
  /** The bound proven outside the search (opts.lowerBound, else -Infinity): every node's bound is at least this. */
  readonly proven: number;
  /** L(u) of the node when GapFixing's penalties are its own (see `reduce`), else NaN. */
  tabled = NaN;
  /** Agent of each fixed job (-1 = free). */
  readonly fixed: Int32Array;
  /** Pairs excluded by reduced-cost fixing in the current subtree. */
  readonly disallow: Uint8Array;
  readonly residual: Float64Array;
  /** Undo trails: pairs disallowed and jobs fixed, in order. */
  private readonly disallowTrail: Int32Array;
  private disallowTop = 0;
  private readonly fixTrail: Int32Array;
  private fixTop = 0;

  constructor(inst: GapInstance, opts: GapBnbOptions) {
    this.inst = inst;
    this.opts = opts;
    this.lag = new GapLagrangian(inst);
    this.fixing = new GapFixing(inst);
    this.integral = integralCosts(inst);
    this.upper = opts.incumbentCost;
    this.proven = opts.lowerBound ?? -Infinity;
    this.incumbent = opts.incumbent ? Int32Array.from(opts.incumbent) : undefined;
    this.fixed = new Int32Array(inst.n).fill(-1);
    this.disallow = new Uint8Array(inst.m * inst.n);
    this.residual = Float64Array.from(inst.capacity);
    this.disallowTrail = new Int32Array(inst.m * inst.n);
    this.fixTrail = new Int32Array(inst.n);
  }

  /** A node is pruned when its bound cannot beat the incumbent (by 1 when costs are integers). */
  prunes(b: number): boolean {
    const u = this.upper;
    return this.integral ? b > u - 1 + 1e-6 : b >= u - Math.max(1e-9, 1e-9 * Math.abs(u));
  }

  /** The bound a fixing must reach to exclude its choice (the pruning threshold). */
  cutoff(): number {
    const u = this.upper;
    return this.integral ? u - 1 + 1e-6 : u - Math.max(1e-9, 1e-9 * Math.abs(u));
  }

  round(b: number): number {
    return this.integral && Number.isFinite(b) ? Math.ceil(b - 1e-6) : b;
  }

  tryRepair(x: Float64Array): void {
    const { n, cost } = this.inst;
    const a = lagrangianRepair(this.inst, x, this.fixed, cost);
    if (!a) return;
    let s = 0;
    for (let j = 0; j < n; j++) s += cost[a[j]! * n + j]!;
    if (s < this.upper - 1e-9) {
      this.upper = s;
      this.incumbent = a;
      this.opts.onImprove?.(s, a);
    }
  }

  fix(j: number, i: number): void {
    this.fixed[j] = i;
    this.residual[i]! -= this.inst.weight[i * this.inst.n + j]!;
    this.fixTrail[this.fixTop++] = j;
  }

  /** Undoes the fixings made since the trail marks. */
  undo(disallowMark: number, fixMark: number): void {
    const { n, weight } = this.inst;
    while (this.disallowTop > disallowMark) this.disallow[this.disallowTrail[--this.disallowTop]!] = 0;
    while (this.fixTop > fixMark) {
      const j = this.fixTrail[--this.fixTop]!;
      const i = this.fixed[j]!;
      this.residual[i]! += weight[i * n + j]!;
      this.fixed[j] = -1;
    }
  }

  /** Explores the node of the current fixings; returns the smallest unresolved bound (Infinity when done). */
  *explore(uParent: Float64Array, depth: number): Steps<number> {
    this.nodes++;
    const outside = this.opts.outside?.();
    if (outside?.assignment && outside.cost < this.upper - 1e-9) {
      this.upper = outside.cost;
      this.incumbent = Int32Array.from(outside.assignment);
    }
    if ((this.nodes & 15) === 0) this.opts.onNode?.(this.nodes, this.upper);
    if (this.prunes(this.proven)) return Infinity;
    const res = yield* this.relax(uParent, depth);
    let bound = Math.max(this.round(res.bound), this.proven);
    if (depth === 0) this.rootBound = bound;
    if (this.prunes(bound)) return Infinity;
    if (this.opts.stop()) {
      this.stopped = true;
      return bound;
    }
    const disallowMark = this.disallowTop;
    const fixMark = this.fixTop;
    const reduced = yield* this.reduce(res.u);
    let open = Infinity;
    if (reduced !== Infinity) {
      bound = Math.max(bound, this.round(reduced));
      if (depth === 0) this.rootBound = bound;
      open = yield* this.branch(res.u, bound, depth);
    }
    this.undo(disallowMark, fixMark);
    return open;
  }

  /** The node's subgradient run (longer at the root), with the Lagrangian heuristic on its relaxed solutions. */
  *relax(uParent: Float64Array, depth: number): Steps<SubgradientResult> {
    const { opts } = this;
    let evals = 0;
    return yield* gapSubgradientSteps(this.lag, uParent, this.fixed, {
      upper: () => this.upper,
      maxIterations: depth === 0 ? (opts.rootIterations ?? 400) : (opts.nodeIterations ?? 25),
      patience: depth === 0 ? 20 : (opts.nodePatience ?? 6),
      theta: depth === 0 ? 1 : 0.5,
      stop: opts.stop,
      disallow: this.disallow,
      // The cutoff is re-read: a plan the heuristic finds during the run can prune the node early.
      target: () => this.cutoff(),
      onIterate: (v) => {
        // A relaxation that already prunes the node needs no plan: none in it can improve.
        if ((depth === 0 ? evals % 10 === 0 : evals === 0) && !this.prunes(this.round(v))) this.tryRepair(this.lag.x);
        evals++;
      },
    });
  }

  /**
   * Reduced-cost fixing at multipliers u until nothing changes (at most 4 passes), leaving
   * the relaxation of the reduced node in `lag`. Returns its L(u), or Infinity when the node
   * cannot hold an improving assignment.
   */
  *reduce(u: Float64Array): Steps<number> {
    this.tabled = NaN;
    let v = yield* this.lag.evaluateSteps(u, this.fixed, this.disallow);
    for (let pass = 0; pass < 4 && v !== Infinity && !this.prunes(this.round(v)); pass++) {
      yield;
      if (this.opts.stop()) break;
      const fixMark = this.fixTop;
      const changes = yield* this.fixing.passSteps(
        u,
        v,
        this.cutoff(),
        this.fixed,
        this.disallow,
        (k) => (this.disallowTrail[this.disallowTop++] = k),
        (j, i) => {
          // GapFixing sets fixed[j]; record it on the trail and charge the capacity.
          this.fixed[j] = -1;
          this.fix(j, i);
        },
        this.opts.interrupted ?? this.opts.stop,
      );
      if (changes < 0) return Infinity;
      if (this.fixing.interrupted) {
        // Stopped inside the pass: v (before its fixings) is still a valid bound of the node.
        this.stopped = true;
        break;
      }
      this.fixings += changes;
      if (changes === 0) {
        // No agent's penalties fix on their own: all agents' together (pairTest) may, once tabled.
        if (!this.fixing.tabled) break;
        const more = this.pairTest(v);
        if (more < 0) return Infinity;
        if (more === 0) {
          this.tabled = v;
          break;
        }
        this.fixings += more;
      }
      if (!this.fixForcedJobs(fixMark)) return Infinity;
      yield;
      v = yield* this.lag.evaluateSteps(u, this.fixed, this.disallow);
    }
    return v === Infinity || this.prunes(this.round(v)) ? Infinity : v;
  }

  /** L of child j -> i (k = i * n + j) from the pass's penalties: i's for taking j, the others' for dropping it (sOut: j's penOut sum). */
  childBound(v: number, k: number, sOut: number): number {
    return v + this.fixing.penIn[k]! + sOut - this.fixing.penOut[k]!;
  }

  outSum(j: number): number {
    const { m, n, feasible } = this.inst;
    let s = 0;
    for (let i = 0; i < m; i++) {
      const k = i * n + j;
      if (feasible[k] && !this.disallow[k]) s += this.fixing.penOut[k]!;
    }
    return s;
  }

  /** Disallows the pairs whose childBound (all agents' penalties, not one's) is cut off; -1 when a job has no agent left. */
  pairTest(v: number): number {
    const { m, n, feasible } = this.inst;
    let changes = 0;
    for (let j = 0; j < n; j++) {
      if (this.fixed[j]! >= 0) continue;
      const sOut = this.outSum(j);
      let left = 0;
      for (let i = 0; i < m; i++) {
        const k = i * n + j;
        if (!feasible[k] || this.disallow[k]) continue;
        if (this.prunes(this.round(this.childBound(v, k, sOut)))) {
          this.disallow[k] = 1;
          this.disallowTrail[this.disallowTop++] = k;
          changes++;
        } else left++;
      }
      if (left === 0) return -1;
    }
    return changes;
  }

  /** `children` from the penalties, no evaluation. */
  tableKids(v: number, pick: number): Child[] {
    const { m, n, cost, weight, feasible } = this.inst;
    const sOut = this.outSum(pick);
    const kids: Child[] = [];
    for (let i = 0; i < m; i++) {
      const k = i * n + pick;
      if (!feasible[k] || this.disallow[k] || weight[k]! > this.residual[i]! + 1e-9) continue;
      const b = this.round(this.childBound(v, k, sOut));
      if (!this.prunes(b)) kids.push({ agent: i, bound: b });
    }
    kids.sort((p, q) => p.bound - q.bound || cost[p.agent * n + pick]! - cost[q.agent * n + pick]!);
    return kids;
  }

  /** Jobs left with one allowed agent are fixed there; false when a job has none (or an agent overflows). */
  fixForcedJobs(fixMark: number): boolean {
    const { m, n, feasible, weight } = this.inst;
    for (let t = fixMark; t < this.fixTop; t++) if (this.residual[this.fixed[this.fixTrail[t]!]!]! < -1e-9) return false;
    for (let j = 0; j < n; j++) {
      if (this.fixed[j]! >= 0) continue;
      let only = -1;
      let count = 0;
      for (let i = 0; i < m && count < 2; i++) {
        const k = i * n + j;
        if (feasible[k] && !this.disallow[k] && weight[k]! <= this.residual[i]! + 1e-9) {
          only = i;
          count++;
        }
      }
      if (count === 0) return false;
      if (count === 1) {
        this.fix(j, only);
        if (this.residual[only]! < -1e-9) return false;
      }
    }
    return true;
  }

  /** Branches on a job of the relaxed solution in `lag` (left by `reduce`); returns the smallest open bound. */
  *branch(u: Float64Array, bound: number, depth: number): Steps<number> {
    const { pick, assignmentLike } = this.pickJob();
    if (pick < 0) {
      // Every job fixed (fixing can complete a node after its relaxation): the leaf is its own assignment.
      this.tryRepair(this.lag.x);
      return Infinity;
    }
    if (assignmentLike) {
      // The relaxation is an assignment: its cost equals the bound.
      this.tryRepair(this.lag.x);
      if (this.prunes(bound)) return Infinity;
    }
    const kids = Number.isNaN(this.tabled) ? yield* this.children(pick, u) : this.tableKids(this.tabled, pick);
    if (kids === undefined) {
      // Out of time while ordering the children: the node stays open at its own bound.
      this.stopped = true;
      return bound;
    }
    let unresolved = Infinity;
    let reducedFor = this.upper;
    for (const kid of kids) {
      // The incumbent reached the bound proven outside: nothing is left to search.
      if (this.prunes(this.proven)) break;
      if (this.prunes(kid.bound)) continue;
      if (this.stopped) {
        unresolved = Math.min(unresolved, kid.bound);
        continue;
      }
      if (this.upper < reducedFor) {
        // A better incumbent since this node was reduced: fix again (sharper), which may
        // settle the remaining children (whose pairs are then disallowed) or the node.
        reducedFor = this.upper;
        if ((yield* this.reduce(u)) === Infinity) break;
      }
      const k = kid.agent * this.inst.n + pick;
      const already = this.fixed[pick]!;
      if ((already >= 0 && already !== kid.agent) || this.disallow[k]) continue;
      const fixMark = this.fixTop;
      if (already < 0) this.fix(pick, kid.agent);
      const r = yield* this.explore(u, depth + 1);
      this.undo(this.disallowTop, fixMark);
      if (r < unresolved) unresolved = r;
    }
    return Math.max(bound, unresolved);
  }

  /** The branching job: one left out or taken twice (or fractional), large ones first (they decide most). */
  pickJob(): { pick: number; assignmentLike: boolean } {
    const { m, n, weight, feasible } = this.inst;
    const { x, g } = this.lag;
    let pick = -1;
    let pickScore = -Infinity;
    for (let j = 0; j < n; j++) {
      if (this.fixed[j]! >= 0) continue;
      let wMax = 0;
      let frac = false;
      for (let i = 0; i < m; i++) {
        const k = i * n + j;
        if (!feasible[k] || this.disallow[k]) continue;
        if (weight[k]! > wMax) wMax = weight[k]!;
        if (x[k]! > 1e-9 && x[k]! < 1 - 1e-9) frac = true;
      }
      const score = (Math.abs(g[j]!) > 1e-9 || frac ? 1e12 : 0) + wMax;
      if (score > pickScore) {
        pickScore = score;
        pick = j;
      }
    }
    return { pick, assignmentLike: pickScore < 1e12 };
  }

  /** Children of the branching job, one per allowed agent with room, cheapest bound first (undefined when stopped). */
  *children(pick: number, u: Float64Array): Steps<Child[] | undefined> {
    const { m, n, cost, weight, feasible } = this.inst;
    const kids: Child[] = [];
    for (let i = 0; i < m; i++) {
      const k = i * n + pick;
      if (!feasible[k] || this.disallow[k] || weight[k]! > this.residual[i]! + 1e-9) continue;
      yield;
      if (this.opts.stop()) return undefined;
      this.fixed[pick] = i;
      const b = this.round(yield* this.lag.evaluateSteps(u, this.fixed, this.disallow));
      this.fixed[pick] = -1;
      if (!this.prunes(b)) kids.push({ agent: i, bound: b });
    }
    kids.sort((p, q) => p.bound - q.bound || cost[p.agent * n + pick]! - cost[q.agent * n + pick]!);
    return kids;
  }
}
