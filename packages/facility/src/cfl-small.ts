import { runStepsAsync, type SolveRun } from '@emplace/core';
import type { Incumbent, SearchResult } from './branch-and-bound.js';
import { firstFitSplitPlan, openSetKey, siteLocalSearchSteps, uncapacitatedBounder } from './capacitated.js';
import { SmallTransport } from './cfl-small-transport.js';
import { AscentEvent, type KnapsackKernels } from './kernels/knapsack-kernels.js';
import { kernelsCompiled } from './kernels/wasm.js';
import { LagrangianRelaxation, sumOf } from './lagrangian.js';
import type { FacilityProblem } from './problem.js';
import type { FlowShare } from './solution.js';

/**
 * Exact split-demand CFL for small instances (tens of sites, up to a few hundred clients),
 * built to be fast in a fresh process: one compact depth-first Lagrangian branch-and-bound
 * over the sites, with no greedy, local search or generator machinery in front of it (in a
 * cold process every line of code touched is first interpreted, and on a 16 x 50 instance
 * that warm-up, not the arithmetic, was most of the time).
 *
 * Bound: the Lagrangian relaxation of the demand constraints (lagrangian.ts: per-site
 * continuous knapsacks plus the total-capacity cover knapsack over the sites), with Polyak
 * subgradient steps aimed at the incumbent, warm-started from the parent's multipliers.
 * Upper bounds: the relaxation's site selection, completed to cover the demand, carried by an
 * exact transportation (screened first by the selection's own Lagrangian bound, memoised).
 * Reduced-cost fixing of every free site at every node; the branch is on the free site whose
 * weaker forced bound is highest (both children's bounds are known from the fixing test), the
 * child with the lower bound first. Leaves (every site fixed) are solved exactly by the
 * transportation, so the search proves optimality to the run's tolerance.
 */
/**
 * Whether `auto` takes this search: up to 50 sites and 10 000 sites x clients. It was faster
 * than the general Lagrangian branch-and-bound on the OR-Library files and on generated
 * Cornuejols 30-50 x 100-200 instances, not reliably on 100 x 100 and 50 x 400 ones.
 */
export function isSmallCfl(pr: FacilityProblem): boolean {
  return pr.nSites <= 50 && pr.nSites * pr.nClients <= 10_000;
}

export async function smallCflSearch(pr: FacilityProblem, run: SolveRun, report?: (inc: Incumbent) => void): Promise<SmallCflResult | null> {
  // A background compile still under way is awaited, not redone on this thread.
  const compiling = kernelsCompiled();
  if (compiling) await compiling;
  const lr = new LagrangianRelaxation(pr);
  // The cost order first: the first plan and the initial multipliers are read off it.
  const start = firstFitSplitPlan(pr, lr.costOrder());
  if (!start) return null; // the general path decides feasibility
  report?.(start);
  const search = new SmallCflSearch(pr, run, lr, start, report);
  await search.search();
  return search.result();
}

/** The search's outcome, with the number of transportations solved. */
export interface SmallCflResult extends SearchResult {
  transportations: number;
  /** Plans that needed no transportation (every client at its cheapest open site fitted). */
  directPlans: number;
  /** Augmenting paths over all transportations, and transportations cut short by the incumbent (cfl-small-transport.ts). */
  augmentations: number;
  earlyExits: number;
}

/** A node of the depth-first search: the sites' status (-1 free, 0 closed, 1 open), warm-start multipliers, a valid lower bound. */
interface SmallNode {
  fixed: Int8Array;
  v: Float64Array;
  lb: number;
}

/** Subgradient budget of a node: iterations, initial step factor, and non-improving iterations before the factor halves. */
interface Budget {
  iterations: number;
  lambda: number;
  patience: number;
}

/**
 * The root local search runs only when the root leaves more than this relative gap. Below it,
 * on the 25 roots that branched (OR-Library cap41..134 and 10 generated 16-50 x 50-100
 * instances), the search never improved the incumbent (it did at gaps of 0.46 % and 1.8 %)
 * while it cost a fifth of all transportations.
 */
const ROOT_SEARCH_GAP = 0.003;
const ROOT: Budget = { iterations: 400, lambda: 2, patience: 25 };
// The children start from their parent's multipliers but with the full step factor: on the 33
// OR-Library files it took 291 nodes and 20744 iterations (0.5: 489 and 31789), on 9 generated
// 30-50 x 100-200 instances 149 nodes and 10136 iterations (0.5: 245 and 15478).
const CHILD: Budget = { iterations: 60, lambda: 2, patience: 10 };
/** Rounds of reduced-cost fixing per node: each re-evaluates the relaxation under the sites the last one fixed. */
const FIX_ROUNDS = 2;
/** The factor at which a node's subgradient gives up improving its bound. */
const MIN_LAMBDA = 1e-4;
/** The Lagrangian heuristic runs every this many subgradient iterations (and at every node's best multipliers). */
const HEURISTIC_STRIDE = 3;
/** Iterations of the WebAssembly ascent between two stop checks (~3-20 us each on these sizes). */
const STOP_CHECK_ITERATIONS = 16;

class SmallCflSearch {
  /** The relaxation's kernels when they run all of it: the ascent, fixing and pricing run there too (assembly/ascent.ts); bestV, lb0, lb1 are their views. */
  private readonly kernel: KnapsackKernels | null;
  /** Built at the first set that needs one: on loose instances every plan fits at the cheapest open sites and none does. */
  private transportOrNull: SmallTransport | null = null;
  /** Per open set: a lower bound on its plan's value (exact, or where an early exit stopped), and the exact values. */
  private readonly atLeast = new Map<string, number>();
  private readonly exact = new Map<string, number>();
  private readonly S: number;
  private readonly C: number;
  private readonly stack: SmallNode[] = [];
  private readonly bestV: Float64Array;
  private readonly selScratch: Uint8Array;
  /** The selection the heuristic last saw. */
  private readonly lastSel: Uint8Array;
  private readonly lb0: Float64Array;
  private readonly lb1: Float64Array;
  /** Scratch of `evaluate`: each client's cheapest open cost and site, each site's load. */
  private readonly near: Float64Array;
  private readonly nearSite: Int32Array;
  private readonly load: Float64Array;
  /**
   * Lagrangian multipliers from the dual of the incumbent's transportation, the rho_i of every
   * site at them and their sum (NaN: no transportation solved yet). At these multipliers the
   * incumbent's own set is priced at its exact value and the sets near it nearly so: a set
   * bound in O(S) that screens most candidate sets before their transportation.
   */
  private readonly dualV: Float64Array;
  private readonly dualRho: Float64Array;
  private dualSum = Number.NaN;
  /** Plans whose cheapest-site assignment fitted the capacities (no transportation needed). */
  private direct = 0;
  /** The lower bound on the value of the set last priced by evaluate / solveSet (its value when exact). */
  private lastBound = Infinity;
  private incumbent: Incumbent;
  /** limit() of the current incumbent, kept with it (read several times per iteration). */
  private pruneLimit: number;
  private closedMin = Infinity;
  private currentLb = -Infinity;
  private nodes = 0;
  private iterations = 0;
  private fixedAtRoot = 0;
  private complete = false;

  constructor(
    private readonly pr: FacilityProblem,
    private readonly run: SolveRun,
    private readonly lr: LagrangianRelaxation,
    start: Incumbent,
    private readonly report: ((inc: Incumbent) => void) | undefined,
  ) {
    this.S = pr.nSites;
    this.C = pr.nClients;
    const kernel = this.lr.ascentKernels();
    this.kernel = kernel;
    this.bestV = kernel ? kernel.bestV : new Float64Array(this.C);
    this.selScratch = new Uint8Array(this.S);
    this.lastSel = new Uint8Array(this.S);
    this.lb0 = kernel ? kernel.lb0 : new Float64Array(this.S);
    this.lb1 = kernel ? kernel.lb1 : new Float64Array(this.S);
    this.near = new Float64Array(this.C);
    this.nearSite = new Int32Array(this.C);
    this.load = new Float64Array(this.S);
    this.dualV = new Float64Array(this.C);
    this.dualRho = kernel ? kernel.dualRho : new Float64Array(this.S);
    this.incumbent = start;
    this.pruneLimit = 0;
    this.setIncumbent(start);
  }

  private get transport(): SmallTransport {
    if (!this.transportOrNull) {
      this.transportOrNull = new SmallTransport(this.pr);
      this.transportOrNull.stop = () => this.run.shouldStop();
    }
    return this.transportOrNull;
  }

  /** Node bounds at or above this prune (half the run's relative tolerance below the incumbent); see pruneLimit. */
  private limit(): number {
    return this.pruneLimit;
  }

  private setIncumbent(inc: Incumbent): void {
    this.incumbent = inc;
    const ub = inc.value;
    this.pruneLimit = ub - Math.max(1e-12, 0.5 * this.run.tolerance * Math.max(1, Math.abs(ub)));
  }

  private offer(cand: Incumbent | null): void {
    if (cand && cand.value < this.incumbent.value - 1e-12 * Math.max(1, Math.abs(cand.value))) {
      this.setIncumbent(cand);
      this.report?.(cand);
      this.run.progress({ phase: 'branch-and-bound', incumbent: cand.value }, true);
    }
  }

  async search(): Promise<void> {
    const fixed = new Int8Array(this.S).fill(-1);
    for (let i = 0; i < this.S; i++) {
      if (this.pr.forbidden[i]) fixed[i] = 0;
      else if (this.pr.mustOpen[i]) fixed[i] = 1;
    }
    this.stack.push({ fixed, v: this.lr.initialMultipliers(), lb: -Infinity });
    while (this.stack.length > 0) {
      if (await this.run.tick()) return;
      const node = this.stack.pop()!;
      this.currentLb = node.lb;
      if (node.lb >= this.limit()) {
        this.close(node.lb);
        continue;
      }
      this.nodes++;
      if (this.processNode(node)) {
        // The node was cut short: it stays open with its (valid) starting bound.
        this.stack.push(node);
        return;
      }
      if (this.nodes === 1 && this.stack.length > 0 && this.rootGap() > ROOT_SEARCH_GAP) await this.rootLocalSearch();
    }
    this.complete = true;
  }

  /** The relative gap between the incumbent and the weakest open node's bound. */
  private rootGap(): number {
    let lb = Infinity;
    for (const n of this.stack) if (n.lb < lb) lb = n.lb;
    const ub = this.incumbent.value;
    return (ub - lb) / Math.max(1, Math.abs(ub));
  }

  private close(bound: number): false {
    if (bound < this.closedMin) this.closedMin = bound;
    return false;
  }

  /**
   * Bounds, fixes and either closes the node or pushes its two children; after a round of
   * fixing that decided some site, the relaxation is evaluated again under the new fixing (at
   * the same multipliers: a re-ascent cost more iterations than it saved nodes) and fixes
   * again. Returns true when a stop cut the node short.
   */
  private processNode(node: SmallNode): boolean {
    const root = this.nodes === 1;
    let L = Math.max(node.lb, this.ascend(node, root ? ROOT : CHILD));
    if (this.run.shouldStop()) return true;
    let free = this.S;
    for (let round = 0; ; round++) {
      if (L >= this.limit()) return this.close(L);
      // Re-evaluate at the best multipliers: rho / sel of the relaxation are those of the bound.
      const Lb = this.lr.evaluate(this.bestV, node.fixed);
      if (Lb === Infinity) return this.close(Infinity);
      L = Math.max(L, Lb);
      if (round === 0) this.heuristic(this.bestV);
      const before = free;
      free = this.fixByReducedCosts(node.fixed, Lb, root);
      if (free < 0) return this.close(this.limit());
      if (free === 0) return this.leaf(node.fixed);
      if (free === before || round === FIX_ROUNDS - 1) {
        this.branch(node, L);
        return false;
      }
    }
  }

  /**
   * The root did not close: a site local search (drop / add, swaps up to 30 sites) from the
   * incumbent, each candidate screened by the better of its uncapacitated cost and its
   * Lagrangian set bound at the root's multipliers before its transportation. A good
   * incumbent early prunes most of the tree on the instances that branch.
   */
  private async rootLocalSearch(): Promise<void> {
    const { pr, run, lr } = this;
    const rho = Float64Array.from(lr.rho);
    const sumV = sumOf(this.bestV, this.C);
    const uncapacitated = uncapacitatedBounder(pr);
    const screen = (open: Uint8Array): number => {
      let b = sumV;
      for (let i = 0; i < this.S; i++) if (open[i]) b += rho[i]!;
      return Math.max(b, uncapacitated(open));
    };
    const start = this.incumbent.solution.open;
    const ls = await runStepsAsync(siteLocalSearchSteps(pr, start, (o) => this.localSearchValue(o), () => run.shouldStop(), this.S <= 30, screen), run);
    if (ls.value < this.incumbent.value) this.offer(this.solveSet(ls.open, Infinity));
  }

  /** Every site is fixed: the transportation of the open ones is the node's optimum. */
  private leaf(fixed: Int8Array): boolean {
    const open = this.selScratch;
    for (let i = 0; i < this.S; i++) open[i] = fixed[i] === 1 ? 1 : 0;
    // Against the incumbent: a leaf that cannot beat it closes at the lower bound its
    // (possibly cut short) transportation proved.
    const leaf = this.evaluate(open, this.incumbent.value);
    if (this.run.shouldStop() && this.transportOrNull?.interrupted) return true;
    this.offer(leaf);
    return this.close(leaf ? leaf.value : this.lastBound);
  }

  /**
   * Subgradient ascent on the node's multipliers (node.v is updated in place, the best into
   * bestV). Polyak steps toward the incumbent; the step factor halves after `patience`
   * iterations without a better bound. Returns the best bound (Infinity: no feasible y).
   */
  private ascend(node: SmallNode, budget: Budget): number {
    if (this.kernel) return this.ascendByKernel(this.kernel, node, budget);
    const { lr, C } = this;
    const v = node.v;
    const g = lr.g;
    this.bestV.set(v);
    let best = -Infinity;
    let lambda = budget.lambda;
    let stale = 0;
    for (let it = 0; it < budget.iterations; it++) {
      this.iterations++;
      const L = lr.evaluate(v, node.fixed);
      if (L === Infinity) return Infinity;
      let fixNow = false;
      const improved = L > best;
      if (improved) {
        best = L;
        this.bestV.set(v);
        stale = 0;
        // Once fixing would decide every free site at these multipliers, the node holds one
        // candidate set: the fixing and the leaf's exact transportation close it from here.
        if (this.allDecided(L, node.fixed)) break;
      } else if (++stale >= budget.patience) {
        lambda *= 0.5;
        stale = 0;
        if (lambda < MIN_LAMBDA) break;
        fixNow = true;
      }
      if (fixNow) {
        // The bound creeps: fix what the best multipliers already decide (valid for the whole
        // node), which lifts the relaxation of the rest; with every site fixed, the leaf's
        // transportation closes the node at once. The ascent then resumes from where it was.
        const Lb = lr.evaluate(this.bestV, node.fixed);
        if (Lb === Infinity) return Infinity;
        const free = this.fixByReducedCosts(node.fixed, Lb, budget === ROOT);
        if (free < 0) return this.limit();
        if (free === 0) break;
        continue;
      }
      const limit = this.limit();
      if (best >= limit || this.run.shouldStop()) break;
      // Below the root, only where the bound improved: the child starts from good multipliers,
      // and a non-improving step's selection rarely beats the incumbent (cap41..134: 872 -> 775
      // transportations, 297 -> 289 nodes, 15756 -> 15550 iterations; no file got worse).
      if (it % HEURISTIC_STRIDE === 0 && (improved || budget === ROOT)) this.heuristic(v);
      const norm = squaredNorm(g, C);
      // g = 0: the relaxation's plan serves every client exactly, so the bound is the node's optimum.
      if (norm === 0) break;
      addScaled(v, (lambda * (this.incumbent.value - L)) / norm, g, C);
    }
    return best;
  }

  /** ascend in WebAssembly (assembly/ascent.ts: the same steps), the pricing's end and stop checks here. */
  private ascendByKernel(kernel: KnapsackKernels, node: SmallNode, budget: Budget): number {
    kernel.cur.set(node.v);
    kernel.fixed.set(node.fixed);
    const wasm = kernel.ascent;
    wasm.ascentStart(budget.iterations, budget.lambda, budget.patience, budget === ROOT ? 1 : 0);
    for (;;) {
      const event = wasm.ascentRun(this.incumbent.value, this.limit(), STOP_CHECK_ITERATIONS, this.dualSum);
      if (event === AscentEvent.Done) break;
      // A heuristic set that may beat the incumbent (the kernel priced it: the rest of evaluate).
      if (event === AscentEvent.Price) this.offer(this.pricedPlan(kernel, kernel.open, wasm.lastPriced(), this.incumbent.value));
      else if (this.run.shouldStop()) break;
    }
    node.v.set(kernel.cur);
    node.fixed.set(kernel.fixed);
    return wasm.ascentBest();
  }

  /** True when, at the last evaluation (value L), forcing any free site against the selection lifts the bound to the incumbent. */
  private allDecided(L: number, fixed: Int8Array): boolean {
    const { lr } = this;
    const limit = this.limit();
    // The free site with rho closest to 0 is the likeliest to stay undecided: test it first,
    // so that the usual answer (false) costs one forced selection, not one per site.
    let first = -1;
    for (let i = 0; i < this.S; i++) if (fixed[i] === -1 && (first < 0 || Math.abs(lr.rho[i]!) < Math.abs(lr.rho[first]!))) first = i;
    if (first >= 0 && lr.forcedBound(L, first, lr.sel[first] ? 0 : 1, fixed) < limit) return false;
    for (let i = 0; i < this.S; i++) {
      if (fixed[i] !== -1) continue;
      if (lr.forcedBound(L, i, lr.sel[i] ? 0 : 1, fixed) < limit) return false;
    }
    return true;
  }

  /**
   * The relaxation's current selection (last evaluate), covered to the total demand by the
   * cheapest sites in rho, carried by a transportation when its own Lagrangian bound
   * (sum v + its rho, at the multipliers v of that evaluation: a bound on every plan opening
   * exactly that set) can beat the incumbent.
   */
  private heuristic(v: Float64Array): void {
    if (this.kernel) {
      if (this.kernel.ascent.heuristicScreen(v === this.bestV ? 1 : 0, this.limit())) this.offer(this.evaluate(this.kernel.open, this.incumbent.value));
      return;
    }
    const { lr, pr, S } = this;
    // The same selection as last time gives the same plan (the cover aside): skip it.
    let same = true;
    for (let i = 0; i < S; i++) {
      if (this.lastSel[i] !== lr.sel[i]) {
        same = false;
        this.lastSel[i] = lr.sel[i]!;
      }
    }
    if (same) return;
    const open = this.selScratch;
    let cap = 0;
    let selected = 0;
    for (let i = 0; i < S; i++) {
      open[i] = lr.sel[i]!;
      if (open[i]) {
        cap += pr.cap[i]!;
        selected += lr.rho[i]!;
      }
    }
    while (cap < pr.totalDemand * (1 - 1e-12)) {
      let pick = -1;
      for (let i = 0; i < S; i++) if (!open[i] && lr.rho[i]! < Infinity && (pick < 0 || lr.rho[i]! < lr.rho[pick]!)) pick = i;
      if (pick < 0) return;
      open[pick] = 1;
      cap += pr.cap[pick]!;
      selected += lr.rho[pick]!;
    }
    const setBound = selected + sumOf(v, this.C);
    if (setBound >= this.limit()) return;
    this.offer(this.evaluate(open, this.incumbent.value));
  }

  /**
   * The open set's plan when it can beat `threshold`, else null. Each client at its cheapest
   * open site first: that costs no more than the transportation (a lower bound: at or above
   * the threshold, nothing more to do), and IS the transportation's optimum when no site
   * ends up over capacity, the usual case on loose instances; only otherwise is the
   * transportation solved.
   */
  private evaluate(open: Uint8Array, threshold: number): Incumbent | null {
    if (this.kernel) return this.evaluateByKernel(this.kernel, open, threshold);
    const { pr, S, C, near, nearSite, load } = this;
    const atDuals = this.dualBound(open);
    if (!(atDuals < threshold)) {
      this.lastBound = atDuals;
      return null;
    }
    let value = this.nearestOpen(open);
    load.fill(0);
    for (let j = 0; j < C; j++) {
      value += near[j]!;
      if (near[j]! < Infinity) load[nearSite[j]!]! += pr.d[j]!;
    }
    this.lastBound = Math.max(value, atDuals);
    if (!(value < threshold)) return null;
    for (let i = 0; i < S; i++) if (load[i]! > pr.cap[i]!) return this.solveSet(open, threshold);
    return this.directPlan(open, value, nearSite);
  }

  /** A plan with every client at its cheapest open site (which fitted the capacities). */
  private directPlan(open: Uint8Array, value: number, nearSite: Int32Array): Incumbent {
    this.direct++;
    const flows: FlowShare[] = [];
    for (let j = 0; j < this.C; j++) flows.push({ site: nearSite[j]!, client: j, fraction: 1 });
    return { value, solution: { open: Uint8Array.from(open), assign: Int32Array.from(nearSite), flows } };
  }

  /** evaluate with its pricing in WebAssembly (assembly/ascent.ts priceSet: the same values). */
  private evaluateByKernel(kernel: KnapsackKernels, open: Uint8Array, threshold: number): Incumbent | null {
    if (open !== kernel.open) kernel.open.set(open);
    return this.pricedPlan(kernel, open, kernel.ascent.priceSet(threshold, this.dualSum), threshold);
  }

  /** evaluate after the kernel's priceSet of `open` against `threshold` answered `priced`. */
  private pricedPlan(kernel: KnapsackKernels, open: Uint8Array, priced: 0 | 1 | 2, threshold: number): Incumbent | null {
    this.lastBound = kernel.ascent.pricedBound();
    if (priced === 0) return null;
    if (priced === 2) return this.solveSet(open, threshold);
    return this.directPlan(open, kernel.ascent.pricedValue(), kernel.nearSite);
  }

  /**
   * capacitated.ts's nearestOpenSites (the opening cost; each client's cheapest open cost and
   * site, the lowest site among ties) by walking each client's sites in cost order to the first
   * open one: a few steps per client instead of S.
   */
  private nearestOpen(open: Uint8Array): number {
    const { S, C, near, nearSite, pr } = this;
    const { order, sortedCost } = this.lr.costOrder();
    let opening = 0;
    for (let i = 0; i < S; i++) if (open[i]) opening += pr.f[i]!;
    for (let j = 0; j < C; j++) {
      near[j] = Infinity;
      const base = j * S;
      for (let t = 0; t < S; t++) {
        const i = order[base + t]!;
        if (!open[i]) continue;
        const x = sortedCost[base + t]!;
        if (x < Infinity) {
          near[j] = x;
          nearSite[j] = i;
        }
        break;
      }
    }
    return opening;
  }

  /**
   * A lower bound on the open set's value from the incumbent transportation's dual (see dualV),
   * lowered by a rounding margin; -Infinity before the first transportation.
   */
  private dualBound(open: Uint8Array): number {
    if (Number.isNaN(this.dualSum)) return -Infinity;
    let b = this.dualSum;
    for (let i = 0; i < this.S; i++) if (open[i]) b += this.dualRho[i]!;
    return b - 1e-9 * Math.max(1, Math.abs(b));
  }

  /**
   * The open set's transportation plan when its value can beat `threshold`, else null (also
   * when infeasible, or interrupted by a stop). Each outcome is remembered as a lower bound of
   * the set, so that a set seen again against a threshold it already failed is not re-solved.
   */
  private solveSet(open: Uint8Array, threshold: number): Incumbent | null {
    const { pr, S } = this;
    this.lastBound = Infinity;
    for (let i = 0; i < S; i++) if (open[i] ? pr.forbidden[i] : pr.mustOpen[i]) return null;
    const key = openSetKey(open);
    const known = this.atLeast.get(key);
    // Within rounding of the threshold counts as reaching it (the serving cost the transportation
    // tracks and the one recomputed from its shares differ in the last bits): the leaf of the
    // incumbent's own set is then not solved again.
    if (known !== undefined && known >= threshold - 1e-12 * Math.max(1, Math.abs(threshold))) {
      this.lastBound = known;
      return null;
    }
    let opening = 0;
    for (let i = 0; i < S; i++) if (open[i]) opening += pr.f[i]!;
    const serving = this.transport.solve(open, threshold - opening);
    if (Number.isNaN(serving)) return null;
    const value = opening + serving;
    this.atLeast.set(key, value);
    // Mirrored in the kernel, whose ascent then skips the sets this memo would stop.
    if (this.kernel) {
      if (open !== this.kernel.open) this.kernel.open.set(open);
      this.kernel.ascent.remember(value);
    }
    this.lastBound = value;
    if (!(value < threshold)) return null;
    this.transport.clientMultipliers(this.dualV);
    this.dualSum = this.lr.siteCosts(this.dualV, this.dualRho);
    const { cost, flows } = this.transport.flows();
    this.exact.set(key, opening + cost);
    return { value: opening + cost, solution: { open: Uint8Array.from(open), assign: new Int32Array(this.C), flows } };
  }

  /**
   * The value of the open set for the root local search: exact when below the incumbent,
   * else a lower bound at or above it. The search starts from the incumbent and accepts only
   * improvements on its current value (never above the incumbent's), so it makes the same
   * moves as with exact values; NaN-free: an interrupted solve reads as Infinity.
   */
  private localSearchValue(open: Uint8Array): number {
    const known = this.exact.get(openSetKey(open));
    if (known !== undefined) return known;
    const plan = this.solveSet(open, this.incumbent.value);
    return plan ? plan.value : this.transportOrNull?.interrupted ? Infinity : this.lastBound;
  }

  /**
   * Reduced-cost fixing: a free site whose forced status lifts the bound to the incumbent is
   * fixed the other way (valid in the whole subtree). Stores both forced bounds of every free
   * site in lb0 / lb1 for the branching rule. Returns the number of free sites left, -1 when
   * neither status of some site can beat the incumbent (the node closes).
   */
  private fixByReducedCosts(fixed: Int8Array, L: number, root: boolean): number {
    if (this.kernel) {
      this.kernel.fixed.set(fixed);
      const free = this.kernel.ascent.fix(L, this.limit(), root ? 1 : 0);
      fixed.set(this.kernel.fixed);
      return free;
    }
    const { lr, S } = this;
    const limit = this.limit();
    let free = 0;
    for (let i = 0; i < S; i++) {
      if (fixed[i] !== -1) continue;
      const b0 = lr.sel[i] ? lr.forcedBound(L, i, 0, fixed) : L;
      const b1 = lr.sel[i] ? L : lr.forcedBound(L, i, 1, fixed);
      this.lb0[i] = b0;
      this.lb1[i] = b1;
      if (b0 >= limit && b1 >= limit) return -1;
      if (b0 >= limit) fixed[i] = 1;
      else if (b1 >= limit) fixed[i] = 0;
      else free++;
      if (root && fixed[i] !== -1) this.fixedAtRoot++;
    }
    return free;
  }

  /** Pushes the two children of the free site with the highest weaker forced bound, the lower-bound child on top. */
  private branch(node: SmallNode, bound: number): void {
    let pick = -1;
    let score = Infinity;
    for (let i = 0; i < this.S; i++) {
      if (node.fixed[i] !== -1) continue;
      const s = Math.abs(this.lr.rho[i]!);
      if (s < score) {
        score = s;
        pick = i;
      }
    }
    const lb0 = Math.max(bound, this.lb0[pick]!);
    const lb1 = Math.max(bound, this.lb1[pick]!);
    const child = (value: 0 | 1, lb: number): SmallNode => {
      const fixed = Int8Array.from(node.fixed);
      fixed[pick] = value;
      return { fixed, v: Float64Array.from(this.bestV), lb };
    };
    if (this.lr.sel[pick]) {
      this.stack.push(child(1, lb1), child(0, lb0));
    } else {
      this.stack.push(child(0, lb0), child(1, lb1));
    }
  }

  result(): SmallCflResult {
    const t = this.transportOrNull;
    let bound = Math.min(this.closedMin, this.incumbent.value);
    if (!this.complete) {
      for (const n of this.stack) if (n.lb < bound) bound = n.lb;
      if (this.currentLb < bound) bound = this.currentLb;
    }
    // Counted by the WebAssembly ascent and fixing where they ran.
    const iterations = this.iterations + (this.kernel?.ascent.ascentIterations() ?? 0);
    const fixedAtRoot = this.fixedAtRoot + (this.kernel?.ascent.fixedAtRoot() ?? 0);
    return { incumbent: this.incumbent, bound, complete: this.complete, nodes: this.nodes, iterations, fixedAtRoot, transportations: t?.solves ?? 0, directPlans: this.direct, augmentations: t?.augmentations ?? 0, earlyExits: t?.earlyExits ?? 0 };
  }
}

/**
 * sum_j g_j^2 and v += step * g, in index order: leaves small enough to be optimized at their
 * first profiler tick, while the ascent that calls them (a large function) still runs in the
 * interpreter or baseline code of a fresh process.
 */
function squaredNorm(g: Float64Array, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += g[j]! * g[j]!;
  return s;
}

function addScaled(v: Float64Array, step: number, g: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) v[j]! += step * g[j]!;
}
