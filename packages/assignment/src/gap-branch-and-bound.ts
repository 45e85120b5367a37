import type { GapInstance } from './gap-instance.js';
import { GapLagrangian, subgradient } from './gap-lagrangian.js';
import { lagrangianRepair } from './mthg.js';

/**
 * Exact GAP by depth-first branch-and-bound on the Lagrangian bound (relaxed assignment
 * constraints, one knapsack per agent). A node fixes some jobs to agents; its bound is
 * optimised by a short subgradient run warm-started from its parent's multipliers. The
 * branching job is one the relaxation assigns zero or several times; children (one per
 * agent with room) are visited cheapest bound first. Every relaxed solution is repaired
 * into a feasible assignment (Lagrangian heuristic), so the incumbent improves on the way.
 */
export interface GapBnbOptions {
  stop: () => boolean;
  /** Incumbent assignment and its cost (may be undefined / Infinity). */
  incumbent?: Int32Array;
  incumbentCost: number;
  /** Root multipliers (e.g. from a previous subgradient run). */
  rootU: Float64Array;
  rootIterations?: number;
  nodeIterations?: number;
  onImprove?: (cost: number, assignment: Int32Array) => void;
  onNode?: (nodes: number, upper: number) => void;
}

export interface GapBnbResult {
  assignment: Int32Array | undefined;
  cost: number;
  /** Proven lower bound on the optimum (equals `cost` when the search completed). */
  bound: number;
  complete: boolean;
  nodes: number;
  rootBound: number;
}

/** True when every feasible cost is an integer: then bounds may be rounded up. */
export function integralCosts(inst: GapInstance): boolean {
  for (let k = 0; k < inst.cost.length; k++) if (inst.feasible[k] && !Number.isInteger(inst.cost[k]!)) return false;
  return true;
}

export function gapBranchAndBound(inst: GapInstance, opts: GapBnbOptions): GapBnbResult {
  const { m, n, cost, weight, capacity, feasible } = inst;
  const lag = new GapLagrangian(inst);
  const integral = integralCosts(inst);
  let upper = opts.incumbentCost;
  let incumbent: Int32Array | undefined = opts.incumbent ? Int32Array.from(opts.incumbent) : undefined;
  const fixed = new Int32Array(n).fill(-1);
  const residual = Float64Array.from(capacity);
  let nodes = 0;
  let stopped = false;
  let rootBound = -Infinity;

  /** A node is pruned when its bound cannot beat the incumbent (by 1 when costs are integers). */
  const prunes = (b: number): boolean => (integral ? b > upper - 1 + 1e-6 : b >= upper - Math.max(1e-9, 1e-9 * Math.abs(upper)));
  const round = (b: number): number => (integral && Number.isFinite(b) ? Math.ceil(b - 1e-6) : b);

  const tryRepair = (x: Float64Array): void => {
    const a = lagrangianRepair(inst, x, fixed, cost);
    if (!a) return;
    let s = 0;
    for (let j = 0; j < n; j++) s += cost[a[j]! * n + j]!;
    if (s < upper - 1e-9) {
      upper = s;
      incumbent = a;
      opts.onImprove?.(s, a);
    }
  };

  /** Explores the node of the current `fixed`; returns the smallest unresolved bound (Infinity when done). */
  const explore = (uParent: Float64Array, depth: number): number => {
    nodes++;
    if ((nodes & 15) === 0) opts.onNode?.(nodes, upper);
    let evals = 0;
    const res = subgradient(lag, uParent, fixed, {
      upper: () => upper,
      maxIterations: depth === 0 ? (opts.rootIterations ?? 400) : (opts.nodeIterations ?? 25),
      patience: depth === 0 ? 20 : 6,
      theta: depth === 0 ? 1 : 0.5,
      stop: opts.stop,
      target: integral ? upper - 1 + 1e-6 : upper,
      onIterate: () => {
        if (depth === 0 ? evals % 10 === 0 : evals === 0) tryRepair(lag.x);
        evals++;
      },
    });
    const bound = round(res.bound);
    if (depth === 0) rootBound = bound;
    if (prunes(bound)) return Infinity;
    if (opts.stop()) {
      stopped = true;
      return bound;
    }
    // Relaxed solution at the best multipliers: pick the branching job.
    const v = lag.evaluate(res.u, fixed);
    if (v === Infinity) return Infinity;
    const x = lag.x;
    const g = lag.g;
    let pick = -1;
    let pickScore = -Infinity;
    for (let j = 0; j < n; j++) {
      if (fixed[j]! >= 0) continue;
      const gj = g[j]!;
      // Prefer jobs left out or taken twice, large ones first (they decide most).
      let wMax = 0;
      let frac = false;
      for (let i = 0; i < m; i++) {
        const k = i * n + j;
        if (!feasible[k]) continue;
        if (weight[k]! > wMax) wMax = weight[k]!;
        if (x[k]! > 1e-9 && x[k]! < 1 - 1e-9) frac = true;
      }
      const score = (Math.abs(gj) > 1e-9 || frac ? 1e12 : 0) + wMax;
      if (score > pickScore) {
        pickScore = score;
        pick = j;
      }
    }
    if (pick < 0) return Infinity; // every job fixed: the node is a leaf handled by repair.
    if (pickScore < 1e12) {
      // The relaxation is an assignment: its cost equals the bound.
      tryRepair(x);
      if (prunes(bound)) return Infinity;
    }
    // Children: one per agent with room, ordered by their bound at the parent's multipliers.
    const kids: { agent: number; bound: number }[] = [];
    for (let i = 0; i < m; i++) {
      const k = i * n + pick;
      if (!feasible[k] || weight[k]! > residual[i]! + 1e-9) continue;
      if (opts.stop()) {
        // Out of time while ordering the children: the node stays open at its own bound.
        stopped = true;
        return bound;
      }
      fixed[pick] = i;
      const b = round(lag.evaluate(res.u, fixed));
      fixed[pick] = -1;
      if (!prunes(b)) kids.push({ agent: i, bound: b });
    }
    kids.sort((p, q) => p.bound - q.bound || cost[p.agent * n + pick]! - cost[q.agent * n + pick]!);
    let unresolved = Infinity;
    for (let t = 0; t < kids.length; t++) {
      const kid = kids[t]!;
      if (stopped) {
        if (!prunes(kid.bound)) unresolved = Math.min(unresolved, kid.bound);
        continue;
      }
      if (prunes(kid.bound)) continue;
      fixed[pick] = kid.agent;
      residual[kid.agent]! -= weight[kid.agent * n + pick]!;
      const r = explore(res.u, depth + 1);
      residual[kid.agent]! += weight[kid.agent * n + pick]!;
      fixed[pick] = -1;
      if (r < unresolved) unresolved = r;
    }
    return Math.max(bound, unresolved === Infinity ? Infinity : unresolved);
  };

  const open = explore(opts.rootU, 0);
  const complete = !stopped;
  const bound = complete ? upper : Math.min(upper, open);
  return { assignment: incumbent, cost: upper, bound, complete, nodes, rootBound };
}
