import { runStepsAsync, subgradientSteps, type SolveRun, type Steps } from '@emplace/core';
import { LagrangianRelaxation, type SiteFixing } from './lagrangian.js';
import type { FacilityProblem } from './problem.js';
import { SearchState } from './search-state.js';
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
  /**
   * `heuristic` and `leaf` as steps, for hooks whose evaluation can take long (a
   * transportation on a large CFL): the search then drives them with checkpoints. A
   * heuristic asked for during the subgradient runs at once for a fixed number of
   * checkpoints (about 4M cell operations: all of it on small instances, so the next step
   * already sees its plan, as with `heuristic`); what is left runs at the next checkpoint,
   * before the next iteration (the relaxation it saw is a copy). Counted, not timed, so that
   * a seed gives the same search whatever the machine's load.
   */
  heuristicSteps?(sel: Uint8Array, rho: Float64Array, fixed: SiteFixing, deep: boolean, sumV?: number): Steps<Incumbent | null>;
  leafSteps?(open: Uint8Array): Steps<Incumbent | null>;
}

/** A heuristic started in a subgradient iteration and not finished within its time slice: it resumes at the next checkpoint. */
interface PendingHeuristic {
  steps: Steps<Incumbent | null>;
  next: IteratorResult<void, Incumbent | null>;
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
   * The searched problem relaxes the caller's (sscfl's split CFL): its plans are not the
   * caller's, so progress events carry its bound only (its costs fell below the sscfl optimum:
   * audit seed 6711 sscfl case 11, 71 against 75).
   */
  relaxation?: boolean;
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
  /**
   * Once the root's reduced-cost fixing is known: the search deadline from then on (replacing
   * searchDeadlineMs), e.g. a share of the budget that depends on how much the root fixed.
   */
  searchDeadlineAfterRoot?: (rootFixed: Int8Array) => number;
  /** Start from this fixing and these multipliers (e.g. a previous root's), instead of from scratch. */
  startFixed?: Int8Array;
  startV?: Float64Array;
  /** Receives each improved incumbent (the caller turns it into options.onIncumbent reports). */
  report?: (inc: Incumbent) => void;
  /** Branch on the free site whose selection, averaged over the node's subgradient iterations (y-bar <- 0.9 y-bar + 0.1 y), is nearest 1/2. */
  branchOnAverage?: boolean;
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
  const search = new SiteSearch(pr, run, hooks, start, opts);
  await search.search();
  return search.result();
}

/** A lagrangianSearch stopped at its search deadline, to be resumed from its open nodes. */
export interface PausedSearch {
  readonly result: SearchResult;
  /** Explores on until `untilMs` (run.elapsedMs()), with `better` as incumbent if cheaper (node bounds stay valid). */
  resume(untilMs: number, better?: Incumbent): Promise<SearchResult>;
}

export async function pausableSearch(pr: FacilityProblem, run: SolveRun, hooks: SearchHooks, start: Incumbent | null, opts: SearchOptions): Promise<PausedSearch> {
  const search = new SiteSearch(pr, run, hooks, start, opts);
  await search.search();
  return {
    result: search.result(),
    async resume(untilMs: number, better?: Incumbent): Promise<SearchResult> {
      if (better) search.adopt(better);
      await search.resume(untilMs);
      return search.result();
    },
  };
}

/** How a node's processing ended: closed (pruned, leaf or infeasible), branched, or the search stops at it. */
type NodeOutcome = 'closed' | 'branched' | 'stop';

/** The state of one lagrangianSearch: incumbent, open nodes, bound bookkeeping, counters. */
class SiteSearch extends SearchState<Node> {
  private readonly lr: LagrangianRelaxation;
  private rootFixing: Int8Array | undefined;
  /** The search deadline in force (opts.searchDeadlineMs, then searchDeadlineAfterRoot's). */
  private deadlineMs: number | undefined;
  private rootV: Float64Array | undefined;
  private fixedBelow: number | undefined;
  private lastSelHash = -1;
  private improvements = 0;
  private readonly bestV: Float64Array;
  /** opts.branchOnAverage: the averaged selection y-bar. */
  private readonly yBar: Float64Array | null;
  private yBarFresh = true;
  /** Checkpoints a heuristic may pass inside a subgradient iteration before the rest is deferred (see SearchHooks.heuristicSteps). */
  private readonly syncCheckpoints: number;

  constructor(
    private readonly pr: FacilityProblem,
    run: SolveRun,
    private readonly hooks: SearchHooks,
    start: Incumbent | null,
    private readonly opts: SearchOptions,
  ) {
    super(run, start, opts.granule ?? 0, opts.phase, opts.report);
    this.deadlineMs = opts.searchDeadlineMs;
    this.lr = new LagrangianRelaxation(pr);
    this.bestV = new Float64Array(pr.nClients);
    this.yBar = opts.branchOnAverage ? new Float64Array(pr.nSites) : null;
    this.syncCheckpoints = Math.max(8, Math.floor(4e6 / Math.max(1, pr.nSites * pr.nClients)));
  }

  protected override relaxation(): boolean {
    return this.opts.relaxation === true;
  }

  private close(bound: number): 'closed' {
    this.closeAt(bound);
    return 'closed';
  }

  async search(): Promise<void> {
    const { pr, opts, run } = this;
    const S = pr.nSites;
    const rootFixed = new Int8Array(S).fill(-1);
    for (let i = 0; i < S; i++) {
      if (pr.mustOpen[i]) rootFixed[i] = 1;
      if (pr.forbidden[i]) rootFixed[i] = 0;
    }
    if (opts.startFixed) for (let i = 0; i < S; i++) if (opts.startFixed[i] !== -1) rootFixed[i] = opts.startFixed[i]!;
    await runStepsAsync(this.lr.prepareSteps(() => run.shouldStop()), run);
    // Stopped while preparing: the root stays open (no bound), and the node loop below ends at
    // its first check, before any evaluation (so its multipliers are not needed).
    const v = opts.startV ? Float64Array.from(opts.startV) : run.shouldStop() ? new Float64Array(pr.nClients) : this.lr.initialMultipliers();
    this.stack.push({ fixed: rootFixed, v, lb: -Infinity });
    await this.explore();
  }

  /** See PausedSearch; nothing once the run stopped or a node was cut short. */
  async resume(untilMs: number): Promise<void> {
    if (this.current !== null || this.run.shouldStop()) return;
    this.deadlineMs = untilMs;
    await this.explore();
  }

  /** `inc` as incumbent if cheaper, unreported (the caller has). */
  adopt(inc: Incumbent): void {
    if (inc.value < this.ub()) this.incumbent = inc;
  }

  /** The depth-first loop over the open nodes, up to the search deadline. */
  private async explore(): Promise<void> {
    const { run } = this;
    while (this.stack.length > 0) {
      if (await run.tick()) break;
      if (this.deadlineMs !== undefined && run.elapsedMs() > this.deadlineMs) break;
      const node = this.stack.pop()!;
      this.current = node;
      this.currentLb = node.lb;
      this.nodes++;
      if ((await this.processNode(node, this.nodes === 1)) === 'stop') break;
      this.current = null;
    }
  }

  private async processNode(node: Node, isRoot: boolean): Promise<NodeOutcome> {
    if (node.lb >= this.ub() - this.tolAbs()) return this.close(node.lb);
    this.yBarFresh = true;
    let L = await this.subgradient(node, isRoot ? this.opts.rootIterations : this.opts.nodeIterations, isRoot ? 2 : 0.5, isRoot);
    if (isRoot) await this.heuristic(this.lr.sel, this.lr.rho, node.fixed, true, sumOf(node.v));
    L = Math.max(this.nb(L), node.lb);
    this.currentLb = L;
    if (L >= this.ub() - this.tolAbs()) return this.close(L);
    if (!this.opts.branch && !this.opts.fixAndStop) return 'stop';
    const fixedL = await this.reducedCostFixing(node, L, isRoot);
    if (fixedL === null) return 'closed';
    L = fixedL;
    if (isRoot) {
      this.rootFixing = Int8Array.from(node.fixed);
      if (this.opts.searchDeadlineAfterRoot) this.deadlineMs = this.opts.searchDeadlineAfterRoot(this.rootFixing);
      this.rootV = Float64Array.from(this.bestV);
      this.fixedBelow = this.ub() - this.tolAbs();
    }
    if (this.opts.fixAndStop) return 'stop';
    return await this.branchOrLeaf(node, L);
  }

  /**
   * Reduced-cost fixing, twice (fixing can lift the bound and allow more), each round
   * followed by a short re-optimisation. Returns the node's bound, or null when the node
   * closed (its bound reached the incumbent, or a site can be neither open nor closed).
   */
  private async reducedCostFixing(node: Node, L: number, isRoot: boolean): Promise<number | null> {
    const { lr, pr } = this;
    for (let round = 0; round < 2; round++) {
      // Stopped (before, or in the re-optimisation of round 1): the fixings so far stand.
      if (this.run.shouldStop()) return L;
      let changed = 0;
      const limit = this.ub() - this.tolAbs();
      for (let i = 0; i < pr.nSites; i++) {
        // Two forced bounds per site (O(S) each for p-median): let the event loop in every 64 sites.
        // Stopped: the fixings so far stand and L is still the node's bound; no more O(C) probes.
        if ((i & 63) === 63 && (await this.run.tick())) return L;
        if (node.fixed[i] !== -1) continue;
        const up = this.nb(lr.forcedBound(L, i, 1, node.fixed));
        const down = this.nb(lr.forcedBound(L, i, 0, node.fixed));
        if (up >= limit && down >= limit) {
          if (isRoot) this.fixedAtRoot += changed;
          this.close(Math.min(up, down));
          return null;
        }
        if (up >= limit) {
          node.fixed[i] = 0;
          changed++;
        } else if (down >= limit) {
          node.fixed[i] = 1;
          changed++;
        }
      }
      if (isRoot) this.fixedAtRoot += changed;
      if (changed === 0) break;
      const L2 = await this.subgradient(node, Math.min(this.opts.nodeIterations, 30), 0.25, false);
      L = Math.max(L, this.nb(L2));
      this.currentLb = L;
      if (L >= this.ub() - this.tolAbs()) {
        this.close(L);
        return null;
      }
    }
    return L;
  }

  /**
   * Branches on the free site whose rho_i is closest to the selection threshold, or with
   * opts.branchOnAverage whose y-bar is nearest 1/2 (CFL's cover knapsack selects sites of
   * positive rho, so rho near 0 says little there); the child following the relaxation first.
   * With every site fixed, evaluates the leaf exactly.
   */
  private async branchOrLeaf(node: Node, L: number): Promise<NodeOutcome> {
    const { lr, pr } = this;
    const S = pr.nSites;
    let branchOn = -1;
    let bestScore = Infinity;
    const threshold = pr.variant === 'pmedian' ? pmedianThreshold(lr, node.fixed) : 0;
    const yBar = this.yBar;
    if (yBar) {
      let bestFrac = 0.02;
      for (let i = 0; i < S; i++) {
        if (node.fixed[i] !== -1) continue;
        const frac = Math.min(yBar[i]!, 1 - yBar[i]!);
        if (frac > bestFrac) {
          bestFrac = frac;
          branchOn = i;
        }
      }
    }
    const byThreshold = branchOn < 0;
    for (let i = 0; i < S && byThreshold; i++) {
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
      const { hooks, run } = this;
      const leaf = hooks.leafSteps ? await runStepsAsync(hooks.leafSteps(open), run) : hooks.leaf(open);
      if (!leaf) return 'closed';
      this.offer(leaf);
      return this.close(leaf.value);
    }
    const openFirst = lr.sel[branchOn] === 1;
    const child = (value: 0 | 1): Node => {
      const fixed = Int8Array.from(node.fixed);
      fixed[branchOn] = value;
      return { fixed, v: Float64Array.from(this.bestV), lb: L };
    };
    // Push the second-explored child first.
    this.stack.push(child(openFirst ? 0 : 1));
    this.stack.push(child(openFirst ? 1 : 0));
    this.current = null;
    this.progress({ phase: this.opts.phase, incumbent: this.ub(), bound: this.globalBound(), iterations: this.iterations, message: `${this.nodes} nodes` });
    return 'branched';
  }

  /** True when, at the last evaluation, forcing any free site against the selection lifts the bound to the incumbent. */
  private allDecided(L: number, fixed: SiteFixing): boolean {
    const limit = this.ub() - this.tolAbs();
    if (!(limit < Infinity)) return false;
    for (let i = 0; i < this.pr.nSites; i++) {
      if (fixed[i] !== -1) continue;
      if (this.nb(this.lr.forcedBound(L, i, this.lr.sel[i] ? 0 : 1, fixed)) < limit) return false;
    }
    return true;
  }

  /** Runs the Lagrangian heuristic (through its steps when the hooks have them) and offers its plan. */
  private async heuristic(sel: Uint8Array, rho: Float64Array, fixed: SiteFixing, deep: boolean, sumV?: number): Promise<void> {
    const { hooks, run } = this;
    // Stopped: no new heuristic (a transportation or a packing), the incumbent stands.
    if (run.shouldStop()) return;
    this.offer(hooks.heuristicSteps ? await runStepsAsync(hooks.heuristicSteps(sel, rho, fixed, deep, sumV), run) : hooks.heuristic(sel, rho, fixed, deep, sumV));
  }

  /**
   * Subgradient optimisation of the node's multipliers (core's driver, driven here so that a
   * heuristic with steps runs between iterations), then the relaxation restored at the best ones.
   */
  private async subgradient(node: Node, maxIter: number, lambda0: number, root: boolean): Promise<number> {
    const { lr, run, opts, hooks } = this;
    const v = node.v;
    const pending: { job: PendingHeuristic | null } = { job: null };
    const steps = subgradientSteps(v, {
      evaluate: (u) => lr.evaluate(u, node.fixed),
      g: lr.g,
      upper: () => this.ub(),
      maxIterations: maxIter,
      theta: lambda0,
      patience: root ? 25 : 10,
      // Stop a node at theta 1e-4 (was 1e-6: seven more halvings of patience iterations each,
      // rarely lifting the bound enough to close): branching and fixing do better with them.
      // Subgradient iterations, same optima: OR-Library cap41..134 46157 -> 37106, generated
      // Cornuejols 30-50 x 100 27539 -> 24416, pmed1-10 11567 -> 9636.
      minTheta: 1e-4,
      improvement: 1e-13,
      noTargetGap: 0.1,
      bestU: this.bestV,
      // One iteration can take milliseconds on large instances (an O(S C) evaluation plus
      // a heuristic): the deadline and the abort are polled before every one.
      stop: () => run.shouldStop() || (root && opts.rootDeadlineMs !== undefined && run.elapsedMs() > opts.rootDeadlineMs),
      done: (bestL) => this.nb(bestL) >= this.ub() - this.tolAbs(),
      onIterate: (L, u, improved, it) => this.onIterate(node, root, pending, L, u, improved, it),
    });
    let step = steps.next();
    while (!step.done) {
      await this.finishPending(pending);
      await run.tick();
      step = steps.next();
    }
    await this.finishPending(pending);
    const res = step.value;
    this.iterations += res.iterations;
    if (res.stoppedBy === 'infeasible') return Infinity;
    // Restore the relaxation at the best multipliers (for fixing and branching).
    v.set(this.bestV);
    const L = lr.evaluate(v, node.fixed);
    this.iterations++;
    if ((hooks.nodeStride ?? 1) > 1 && L < Infinity) {
      const h = selectionHash(lr.sel);
      if (h !== this.lastSelHash) {
        this.lastSelHash = h;
        await this.heuristic(lr.sel, lr.rho, node.fixed, false, sumOf(v));
      }
    }
    return Math.max(L, res.bound);
  }

  /** After each subgradient evaluation: the early close test, the Lagrangian heuristic on a new selection, progress. True stops the loop. */
  private onIterate(node: Node, root: boolean, pending: { job: PendingHeuristic | null }, L: number, u: Float64Array, improved: boolean, it: number): boolean {
    const { lr, opts, hooks } = this;
    const yBar = this.yBar;
    if (yBar) {
      const sel = lr.sel;
      if (this.yBarFresh) {
        for (let i = 0; i < yBar.length; i++) yBar[i] = sel[i]!;
        this.yBarFresh = false;
      } else for (let i = 0; i < yBar.length; i++) yBar[i] = 0.9 * yBar[i]! + 0.1 * sel[i]!;
    }
    // Once reduced-cost fixing would decide every free site at these multipliers, the
    // node holds a single candidate set: stop here and let the fixing and the leaf's
    // exact evaluation close it (the bound need not creep up to the incumbent).
    if (improved && opts.branch && ++this.improvements % 3 === 0 && this.allDecided(L, node.fixed)) return true;
    // Lagrangian heuristic when the selection changes.
    const h = selectionHash(lr.sel);
    if (h !== this.lastSelHash && it % (hooks.nodeStride ?? 1) === 0) {
      this.lastSelHash = h;
      // Deep (local-search) heuristics only once the root has not closed within 200 iterations:
      // most small instances close before that, and on them the local search's transportations
      // were most of the work (all 33 OR-Library cap files: 3281 -> 1526 transportations,
      // 43675 -> 46157 iterations, same optima; 16 generated Cornuejols 30-100 x 100-200:
      // 2835 -> 1854 transportations, 112962 -> 107725 iterations).
      const deep = root && it % 20 === 0 && it >= 200;
      if (hooks.heuristicSteps) {
        const steps = hooks.heuristicSteps(Uint8Array.from(lr.sel), Float64Array.from(lr.rho), node.fixed, deep, sumOf(u));
        let next = steps.next();
        for (let k = 0; !next.done && k < this.syncCheckpoints; k++) next = steps.next();
        if (next.done) this.offer(next.value);
        else pending.job = { steps, next };
      } else this.offer(hooks.heuristic(lr.sel, lr.rho, node.fixed, deep, sumOf(u)));
    }
    if (root && it % 10 === 0) this.progress({ phase: opts.phase, incumbent: this.ub(), bound: this.nb(L), iterations: this.iterations + it + 1 });
    return false;
  }

  /**
   * Runs the rest of a heuristic deferred by onIterate (checkpoints between its steps) and offers
   * its plan. Once the run is stopped the rest is dropped: its transportations and local search
   * would only delay the result (the incumbent is kept).
   */
  private async finishPending(pending: { job: PendingHeuristic | null }): Promise<void> {
    const job = pending.job;
    pending.job = null;
    if (!job) return;
    let next = job.next;
    while (!next.done) {
      if (await this.run.tick()) return;
      next = job.steps.next();
    }
    this.offer(next.value);
  }

  result(): SearchResult {
    const { opts, run } = this;
    const bound = this.globalBound();
    // A stop during the last node may have cut an evaluation short (an interrupted
    // transportation reads as infeasible): no proof then.
    const complete = this.stack.length === 0 && this.current === null && opts.branch && !run.shouldStop();
    return {
      incumbent: this.incumbent,
      bound: complete ? Math.min(this.closedMin, this.ub()) : bound,
      complete,
      nodes: this.nodes,
      iterations: this.iterations,
      fixedAtRoot: this.fixedAtRoot,
      ...(this.rootFixing ? { rootFixed: this.rootFixing } : {}),
      ...(this.fixedBelow !== undefined ? { fixedBelow: this.fixedBelow } : {}),
      ...(this.rootV ? { rootV: this.rootV } : {}),
    };
  }
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
