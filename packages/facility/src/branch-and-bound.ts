import { subgradientAsync, type SolveRun } from '@emplace/core';
import { LagrangianRelaxation, type SiteFixing } from './lagrangian.js';
import type { FacilityProblem } from './problem.js';
import type { RawSolution } from './solution.js';

/** A feasible solution and its value. */
export interface Incumbent {
  value: number;
  solution: RawSolution;
}

/** Variant-specific pieces the search needs. */
export interface SearchHooks {
  /**
   * Builds a feasible solution from the Lagrangian selection (may return null); `deep` asks for
   * local search too. `sumV` is sum_j v_j of the multipliers `rho` was evaluated at: for
   * split-demand CFL, sumV + sum_{i in O} rho_i bounds from below every solution opening
   * exactly the set O (the relaxation with y fixed to O).
   */
  heuristic(sel: Uint8Array, rho: Float64Array, fixed: SiteFixing, deep: boolean, sumV?: number): Incumbent | null;
  /** Call the heuristic only every this many subgradient iterations (default 1: on every new selection), and at the best multipliers. */
  nodeStride?: number;
  /** Exact optimum for a node whose sites are all fixed (open = fixed === 1), or null if infeasible. */
  leaf(open: Uint8Array): Incumbent | null;
}

export interface SearchOptions {
  /** Subgradient iterations at the root. */
  rootIterations: number;
  /** Subgradient iterations at other nodes. */
  nodeIterations: number;
  /** false: root bound + heuristic only (the `lagrangian` method). */
  branch: boolean;
  /** Phase name for progress events. */
  phase: string;
  /**
   * Every feasible objective is a multiple of this (e.g. 1 for integer data with single
   * assignment), so a node bound can be rounded up to the next multiple; 0 = none.
   */
  granule?: number;
  /** Root only: fix sites by reduced costs, then stop and return the root fixing (for a MIP on the reduced problem). */
  fixAndStop?: boolean;
  /** Stop the root subgradient once run.elapsedMs() passes this. */
  rootDeadlineMs?: number;
  /** Stop the whole search (softly, not as a time-limit stop) once run.elapsedMs() passes this. */
  searchDeadlineMs?: number;
  /** Start from this fixing and these multipliers (e.g. a previous root's), instead of from scratch. */
  startFixed?: Int8Array;
  startV?: Float64Array;
  /** Receives each improved incumbent (the caller turns it into options.onIncumbent reports). */
  report?: (inc: Incumbent) => void;
}

export interface SearchResult {
  incumbent: Incumbent | null;
  /** Proven lower bound on the optimum. */
  bound: number;
  /** True when the search space was exhausted (bound = incumbent within the tolerance). */
  complete: boolean;
  nodes: number;
  iterations: number;
  fixedAtRoot: number;
  /** With fixAndStop: the root's site fixing (valid for every solution better than `fixedBelow`). */
  rootFixed?: Int8Array;
  /** Any solution violating rootFixed costs at least this. */
  fixedBelow?: number;
  /** With fixAndStop: the root's best multipliers. */
  rootV?: Float64Array;
}

interface Node {
  fixed: SiteFixing;
  v: Float64Array;
  lb: number;
}

/**
 * Lagrangian branch-and-bound over the site variables y: at each node, subgradient
 * optimisation of the multipliers (warm-started from the parent), Lagrangian heuristic
 * upper bounds, reduced-cost fixing (a site whose forced status would lift the bound
 * above the incumbent is fixed the other way), then a branch on the free site whose
 * Lagrangian cost rho_i is closest to the decision threshold. Depth-first, the child
 * that follows the Lagrangian solution first.
 *
 * The reported bound is the minimum over the bounds of every pruned node, every leaf
 * value and every node still open: a proof, not an estimate.
 */
export async function lagrangianSearch(pr: FacilityProblem, run: SolveRun, hooks: SearchHooks, start: Incumbent | null, opts: SearchOptions): Promise<SearchResult> {
  const lr = new LagrangianRelaxation(pr);
  const S = pr.nSites;
  const C = pr.nClients;
  let incumbent = start;
  let iterations = 0;
  let nodes = 0;
  let closedMin = Infinity;
  const ub = (): number => (incumbent ? incumbent.value : Infinity);
  const tolAbs = (): number => Math.max(1e-12, 0.5 * run.tolerance * Math.max(1, Math.abs(ub())));
  const granule = opts.granule ?? 0;
  /** A node bound rounded up to the objective granule (valid: no feasible value lies in between). */
  const nb = (L: number): number => {
    if (!(granule > 0) || !Number.isFinite(L)) return L;
    const k = Math.ceil(L / granule - 1e-6);
    return k * granule;
  };
  const offer = (cand: Incumbent | null): void => {
    if (cand && cand.value < ub() - 1e-12 * Math.max(1, Math.abs(cand.value))) {
      incumbent = cand;
      opts.report?.(cand);
      run.progress({ phase: opts.phase, incumbent: cand.value, bound: globalBound() }, true);
    }
  };
  const stack: Node[] = [];
  let current: Node | null = null;
  let currentLb = -Infinity;
  const globalBound = (): number => {
    let b = closedMin;
    for (const n of stack) if (n.lb < b) b = n.lb;
    if (current && currentLb < b) b = currentLb;
    return Math.min(b, ub());
  };

  const rootFixed = new Int8Array(S).fill(-1);
  for (let i = 0; i < S; i++) {
    if (pr.mustOpen[i]) rootFixed[i] = 1;
    if (pr.forbidden[i]) rootFixed[i] = 0;
  }
  if (opts.startFixed) for (let i = 0; i < S; i++) if (opts.startFixed[i] !== -1) rootFixed[i] = opts.startFixed[i]!;
  stack.push({ fixed: rootFixed, v: opts.startV ? Float64Array.from(opts.startV) : lr.initialMultipliers(), lb: -Infinity });
  let fixedAtRoot = 0;
  let rootFixing: Int8Array | undefined;
  let rootV: Float64Array | undefined;
  let fixedBelow: number | undefined;
  let lastSelHash = -1;
  const bestV = new Float64Array(C);

  let improvements = 0;
  /** True when, at the last evaluation, forcing any free site against the selection lifts the bound to the incumbent. */
  const allDecided = (L: number, fixed: SiteFixing): boolean => {
    const limit = ub() - tolAbs();
    if (!(limit < Infinity)) return false;
    for (let i = 0; i < S; i++) {
      if (fixed[i] !== -1) continue;
      if (nb(lr.forcedBound(L, i, lr.sel[i] ? 0 : 1, fixed)) < limit) return false;
    }
    return true;
  };

  /** Subgradient optimisation of the node's multipliers (core's driver), then the relaxation restored at the best ones. */
  const subgradient = async (node: Node, maxIter: number, lambda0: number, root: boolean): Promise<number> => {
    const v = node.v;
    const res = await subgradientAsync(
      v,
      {
        evaluate: (u) => lr.evaluate(u, node.fixed),
        g: lr.g,
        upper: ub,
        maxIterations: maxIter,
        theta: lambda0,
        patience: root ? 25 : 10,
        minTheta: 1e-6,
        improvement: 1e-13,
        noTargetGap: 0.1,
        bestU: bestV,
        // One iteration can take milliseconds on large instances (an O(S C) evaluation plus
        // a heuristic): the deadline and the abort are polled before every one.
        stop: () => run.shouldStop() || (root && opts.rootDeadlineMs !== undefined && run.elapsedMs() > opts.rootDeadlineMs),
        done: (bestL) => nb(bestL) >= ub() - tolAbs(),
        onIterate: (L, u, improved, it) => {
          // Once reduced-cost fixing would decide every free site at these multipliers, the
          // node holds a single candidate set: stop here and let the fixing and the leaf's
          // exact evaluation close it (the bound need not creep up to the incumbent).
          if (improved && opts.branch && ++improvements % 3 === 0 && allDecided(L, node.fixed)) return true;
          // Lagrangian heuristic when the selection changes.
          const h = selectionHash(lr.sel);
          if (h !== lastSelHash && it % (hooks.nodeStride ?? 1) === 0) {
            lastSelHash = h;
            offer(hooks.heuristic(lr.sel, lr.rho, node.fixed, root && it % 20 === 0, sumOf(u)));
          }
          if (root && it % 10 === 0) run.progress({ phase: opts.phase, incumbent: ub(), bound: nb(L), iterations: iterations + it + 1 });
          return false;
        },
      },
      run,
    );
    iterations += res.iterations;
    if (res.stoppedBy === 'infeasible') return Infinity;
    const bestL = res.bound;
    // Restore the relaxation at the best multipliers (for fixing and branching).
    v.set(bestV);
    const L = lr.evaluate(v, node.fixed);
    iterations++;
    if ((hooks.nodeStride ?? 1) > 1 && L < Infinity) {
      const h = selectionHash(lr.sel);
      if (h !== lastSelHash) {
        lastSelHash = h;
        offer(hooks.heuristic(lr.sel, lr.rho, node.fixed, false, sumOf(v)));
      }
    }
    return Math.max(L, bestL);
  };

  while (stack.length > 0) {
    if (await run.tick()) break;
    if (opts.searchDeadlineMs !== undefined && run.elapsedMs() > opts.searchDeadlineMs) break;
    const node = stack.pop()!;
    current = node;
    currentLb = node.lb;
    nodes++;
    const isRoot = nodes === 1;
    if (node.lb >= ub() - tolAbs()) {
      closedMin = Math.min(closedMin, node.lb);
      current = null;
      continue;
    }
    let L = await subgradient(node, isRoot ? opts.rootIterations : opts.nodeIterations, isRoot ? 2 : 0.5, isRoot);
    if (isRoot) offer(hooks.heuristic(lr.sel, lr.rho, node.fixed, true, sumOf(node.v)));
    L = Math.max(nb(L), node.lb);
    currentLb = L;
    if (L >= ub() - tolAbs()) {
      closedMin = Math.min(closedMin, L);
      current = null;
      continue;
    }
    if (!opts.branch && !opts.fixAndStop) {
      current = node;
      break;
    }
    // Reduced-cost fixing (twice: fixing can lift the bound and allow more).
    let infeasibleNode = false;
    for (let round = 0; round < 2 && !infeasibleNode; round++) {
      let changed = 0;
      const limit = ub() - tolAbs();
      for (let i = 0; i < S; i++) {
        if (node.fixed[i] !== -1) continue;
        const up = nb(lr.forcedBound(L, i, 1, node.fixed));
        const down = nb(lr.forcedBound(L, i, 0, node.fixed));
        if (up >= limit && down >= limit) {
          infeasibleNode = true;
          closedMin = Math.min(closedMin, Math.min(up, down));
          break;
        }
        if (up >= limit) {
          node.fixed[i] = 0;
          changed++;
        } else if (down >= limit) {
          node.fixed[i] = 1;
          changed++;
        }
      }
      if (isRoot) fixedAtRoot += changed;
      if (changed === 0 || infeasibleNode) break;
      const L2 = await subgradient(node, Math.min(opts.nodeIterations, 30), 0.25, false);
      L = Math.max(L, nb(L2));
      currentLb = L;
      if (L >= ub() - tolAbs()) {
        closedMin = Math.min(closedMin, L);
        infeasibleNode = true;
        break;
      }
    }
    if (infeasibleNode) {
      current = null;
      continue;
    }
    if (isRoot) {
      rootFixing = Int8Array.from(node.fixed);
      rootV = Float64Array.from(bestV);
      fixedBelow = ub() - tolAbs();
    }
    if (opts.fixAndStop) {
      current = node;
      break;
    }
    // Leaf?
    let branchOn = -1;
    let bestScore = Infinity;
    const threshold = pr.variant === 'pmedian' ? pmedianThreshold(lr, node.fixed) : 0;
    for (let i = 0; i < S; i++) {
      if (node.fixed[i] !== -1) continue;
      const score = Math.abs(lr.rho[i]! - threshold);
      if (score < bestScore) {
        bestScore = score;
        branchOn = i;
      }
    }
    if (branchOn < 0) {
      const open = new Uint8Array(S);
      for (let i = 0; i < S; i++) open[i] = node.fixed[i] === 1 ? 1 : 0;
      const leaf = hooks.leaf(open);
      if (leaf) {
        offer(leaf);
        closedMin = Math.min(closedMin, leaf.value);
      }
      current = null;
      continue;
    }
    const openFirst = lr.sel[branchOn] === 1;
    const child = (value: 0 | 1): Node => {
      const fixed = Int8Array.from(node.fixed);
      fixed[branchOn] = value;
      return { fixed, v: Float64Array.from(bestV), lb: L };
    };
    // Push the second-explored child first.
    stack.push(child(openFirst ? 0 : 1));
    stack.push(child(openFirst ? 1 : 0));
    current = null;
    run.progress({ phase: opts.phase, incumbent: ub(), bound: globalBound(), iterations, message: `${nodes} nodes` });
  }
  const bound = globalBound();
  // A stop during the last node may have cut an evaluation short (an interrupted
  // transportation reads as infeasible): no proof then.
  const complete = stack.length === 0 && current === null && opts.branch && !run.shouldStop();
  return {
    incumbent,
    bound: complete ? Math.min(closedMin, ub()) : bound,
    complete,
    nodes,
    iterations,
    fixedAtRoot,
    ...(rootFixing ? { rootFixed: rootFixing } : {}),
    ...(fixedBelow !== undefined ? { fixedBelow } : {}),
    ...(rootV ? { rootV } : {}),
  };
}

function sumOf(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]!;
  return s;
}

/** FNV-style hash of which sites a relaxation selects (a selection change triggers the heuristic). */
export function selectionHash(sel: ArrayLike<number>): number {
  let h = 2166136261;
  for (let i = 0; i < sel.length; i++) {
    h ^= (sel[i]! > 0 ? 1 : 0) + i * 31;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** p-median: the rho value between the p-th and (p+1)-th cheapest free site (the selection threshold). */
function pmedianThreshold(lr: LagrangianRelaxation, fixed: SiteFixing): number {
  let maxSel = -Infinity;
  let minOut = Infinity;
  let count = 0;
  for (let i = 0; i < lr.S; i++) {
    if (fixed[i] !== -1) continue;
    if (lr.sel[i]) {
      count++;
      if (lr.rho[i]! > maxSel) maxSel = lr.rho[i]!;
    } else if (lr.rho[i]! < minOut) minOut = lr.rho[i]!;
  }
  if (count === 0) return minOut;
  if (minOut === Infinity) return maxSel;
  return 0.5 * (maxSel + minOut);
}
