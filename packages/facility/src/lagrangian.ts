import { runSteps, type Steps } from '@emplace/core';
import { KnapsackKernels } from './kernels/knapsack-kernels.js';
import type { FacilityProblem } from './problem.js';

/**
 * Each client's second-cheapest allowed cost (its cheapest when it has one site): Lagrangian
 * multipliers at which a client is wanted by few sites, a safe start for the subgradient.
 */
export function secondCheapestCosts(pr: FacilityProblem): Float64Array {
  const { nSites: S, nClients: C, c } = pr;
  // Site rows in order (contiguous reads): each client's two smallest costs so far.
  const m1 = new Float64Array(C).fill(Infinity);
  const m2 = new Float64Array(C).fill(Infinity);
  for (let i = 0; i < S; i++) {
    const row = i * C;
    for (let j = 0; j < C; j++) {
      const x = c[row + j]!;
      if (x < m1[j]!) {
        m2[j] = m1[j]!;
        m1[j] = x;
      } else if (x < m2[j]!) m2[j] = x;
    }
  }
  for (let j = 0; j < C; j++) if (m2[j] === Infinity) m2[j] = m1[j]!;
  return m2;
}

/** Largest sites x clients for which the knapsack plans of every site are kept (20 bytes each). */
const PLAN_LIMIT = 1 << 21;

/**
 * Client j's sites by increasing cost into order / sc at j * S (stable: ties stay in site
 * order, as prepareSteps's comparator sort). No comparator calls, which in a fresh process run
 * through the generic sort builtin; a plain function, not part of the generator, so that the
 * optimizing compiler has a small function to compile.
 */
function insertionSortSites(c: Float64Array, C: number, S: number, j: number, order: Int32Array, sc: Float64Array): void {
  const base = j * S;
  for (let i = 0; i < S; i++) {
    const x = c[i * C + j]!;
    let u = base + i - 1;
    while (u >= base && sc[u]! > x) {
      sc[u + 1] = sc[u]!;
      order[u + 1] = order[u]!;
      u--;
    }
    sc[u + 1] = x;
    order[u + 1] = i;
  }
}

/** Most sites for which each client's sites are sorted by insertion (prepareSteps). */
const INSERTION_SORT_SITES = 64;

/** Most sites for which the WebAssembly kernels also select the sites (see kernelSelect). */
const KERNEL_SELECT_SITES = 64;

/** The rho of a closed site (a module constant: see evaluate). */
const CLOSED = Infinity;

/**
 * sum_j v_j over the first n entries, in index order. A leaf this small is optimized at its
 * first profiler tick, long before the large callers (a fresh process runs them interpreted).
 */
export function sumOf(v: Float64Array, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += v[j]!;
  return s;
}

/** Site status in a branch-and-bound node: -1 free, 0 fixed closed, 1 fixed open. */
export type SiteFixing = Int8Array;

/**
 * Lagrangian relaxation of the assignment constraints sum_i x_ij = 1 with multipliers
 * v_j, for UFL, split-demand CFL and p-median (x_ij <= y_i kept: the strong formulation).
 *
 *   L(v) = sum_j v_j + min_y sum_i rho_i(v) y_i   over the y allowed by the node, where
 *   UFL:      rho_i = f_i + sum_j min(0, c_ij - v_j), at least one site open;
 *   p-median: rho_i = sum_j min(0, c_ij - v_j), exactly p sites open;
 *   CFL:      rho_i = f_i + min { sum_j (c_ij - v_j) x_ij : sum_j d_j x_ij <= C_i, 0 <= x <= 1 }
 *             (a continuous knapsack), and sum_i C_i y_i >= D kept as a 0-1 cover
 *             knapsack (the Cornuejols-Sridharan-Thizy / Beasley relaxation).
 *
 * Every L(v) is a valid lower bound on the node's optimum, whatever v is; the
 * subgradient method only searches for a good v.
 */
export class LagrangianRelaxation {
  readonly pr: FacilityProblem;
  readonly S: number;
  readonly C: number;
  readonly rho: Float64Array;
  readonly sel: Uint8Array;
  readonly g: Float64Array;
  /** True when the last evaluation bounded the cover knapsack by its LP relaxation (still valid). */
  approxCover = false;
  /** For UFL: the selection had to force one site open (no rho < 0). */
  private forcedOne = false;
  private readonly idx: Int32Array;
  private readonly key: Float64Array;
  private readonly siteIdx: Int32Array;
  private readonly sortedKey: Float64Array;
  private readonly selWeight: Float64Array;
  /**
   * Per-site knapsack plans of the last evaluation (see solveKnapsack): client, c_ij - v_j and
   * ratio of the items of site i in [i * C, planEnd[i]), zero-demand items in [planZero[i],
   * (i + 1) * C); null above PLAN_LIMIT entries (then the scratch arrays hold one site's plan).
   */
  private readonly planJ: Int32Array | null;
  /**
   * The plans are kept for every site (S x C within PLAN_LIMIT); then, where WebAssembly runs,
   * in the memory of `kernels` (kernels/knapsack-kernels.ts), which evaluates them instead of the
   * TypeScript below (planJ / planW / planKey are then null).
   */
  private readonly planned: boolean;
  private readonly kernels: KnapsackKernels | null;
  /**
   * The site selection (select, forcedBound) by the kernels too: up to KERNEL_SELECT_SITES sites,
   * since the kernel sorts the cover's sites by insertion (the TypeScript above 48 by the sort builtin).
   */
  private readonly kernelSelect: boolean;
  private readonly planW: Float64Array | null;
  private readonly planKey: Float64Array | null;
  private readonly wScratch: Float64Array;
  private readonly planEnd: Int32Array;
  private readonly planZero: Int32Array;
  private readonly planThreshold: Float64Array;
  private readonly planRoom: Float64Array;
  /** Per site: the value of its zero-demand items, the sum of its other items' c_ij - v_j and their demand. */
  private readonly planZeroValue: Float64Array;
  private readonly planSum: Float64Array;
  private readonly planLoad: Float64Array;
  /** Scratch of forcedBound (the selection it restores), of sortSites (the keys) and of the cover knapsack's search (current and best picks). */
  private readonly savedSel: Uint8Array;
  private readonly siteKey: Float64Array;
  private readonly pick: Uint8Array;
  private readonly bestPick: Uint8Array;
  /** State of the cover knapsack's depth-first search (see coverKnapsack). */
  private coverBest = 0;
  private coverNodes = 0;
  private coverExhausted = false;
  /**
   * UFL / p-median: each client's sites sorted by cost (and those costs), so that the
   * sites with c_ij < v_j, a prefix, are found without scanning the whole matrix.
   */
  private order: Int32Array | null = null;
  private sortedCost: Float64Array | null = null;

  constructor(pr: FacilityProblem) {
    this.pr = pr;
    this.S = pr.nSites;
    this.C = pr.nClients;
    const capacitated = pr.variant === 'cfl' || pr.variant === 'sscfl';
    this.planned = capacitated && this.S * this.C <= PLAN_LIMIT;
    const kernels = this.planned ? KnapsackKernels.create(pr, this.S <= INSERTION_SORT_SITES) : null;
    this.kernels = kernels;
    this.kernelSelect = kernels !== null && this.S <= KERNEL_SELECT_SITES;
    this.rho = kernels ? kernels.rho : new Float64Array(this.S);
    this.sel = kernels ? kernels.sel : new Uint8Array(this.S);
    this.g = kernels ? kernels.g : new Float64Array(this.C);
    this.idx = new Int32Array(this.C);
    this.key = new Float64Array(this.C);
    this.siteIdx = new Int32Array(this.S);
    this.sortedKey = new Float64Array(this.C);
    this.selWeight = new Float64Array(this.C);
    const stored = this.planned && !kernels;
    this.planJ = stored ? new Int32Array(this.S * this.C) : null;
    this.planW = stored ? new Float64Array(this.S * this.C) : null;
    this.planKey = stored ? new Float64Array(this.S * this.C) : null;
    this.wScratch = new Float64Array(stored ? 0 : this.C);
    this.planEnd = new Int32Array(this.S);
    this.planZero = new Int32Array(this.S);
    this.planThreshold = new Float64Array(this.S);
    this.planRoom = new Float64Array(this.S);
    this.planZeroValue = new Float64Array(this.S);
    this.planSum = new Float64Array(this.S);
    this.planLoad = new Float64Array(this.S);
    this.savedSel = new Uint8Array(this.S);
    this.siteKey = new Float64Array(this.S);
    this.pick = new Uint8Array(this.S);
    this.bestPick = new Uint8Array(this.S);
  }

  /** Initial multipliers: each client's second-cheapest cost (see secondCheapestCosts). */
  initialMultipliers(): Float64Array {
    const { S, C } = this;
    const sc = this.sortedCost;
    if (!sc || S === 0) return secondCheapestCosts(this.pr);
    // The same values read off the cost order when it is built: each client's second sorted
    // cost (its first when that is Infinity), C reads instead of an S x C pass that a fresh
    // process runs interpreted.
    const out = new Float64Array(C);
    for (let j = 0; j < C; j++) {
      const second = S > 1 ? sc[j * S + 1]! : Infinity;
      out[j] = second === Infinity ? sc[j * S]! : second;
    }
    return out;
  }

  /**
   * The kernels when the whole capacitated relaxation (knapsacks, selection, forcedBound) runs
   * as WebAssembly, for the small search's ascent (kernels/knapsack-kernels.ts ascentRun); else null.
   */
  ascentKernels(): KnapsackKernels | null {
    return this.kernelSelect ? this.kernels : null;
  }

  /**
   * Evaluates L(v) for the node: fills rho, the chosen sites `sel` and the subgradient
   * `g` (g_j = 1 - sum_i x_ij). Returns Infinity when the node has no feasible y.
   */
  evaluate(v: Float64Array, fixed: SiteFixing): number {
    const variant = this.pr.variant;
    return variant === 'cfl' || variant === 'sscfl' ? this.evaluateCapacitated(v, fixed) : this.evaluateUncapacitated(v, fixed);
  }

  /**
   * evaluate for CFL / SSCFL. Kept apart from the UFL / p-median one: a smaller function is
   * optimized after fewer profiler ticks, which in a fresh process decides how many of the
   * first subgradient iterations run interpreted.
   */
  private evaluateCapacitated(v: Float64Array, fixed: SiteFixing): number {
    if (this.kernels) return this.evaluateByKernels(this.kernels, v, fixed);
    const { S, C, pr, rho, sel } = this;
    let L = sumOf(v, C);
    // The knapsack plans of every site are kept unless too large (then one site's at a time).
    const planned = this.planJ !== null;
    if (planned) this.collectItems(v);
    for (let i = 0; i < S; i++) {
      // One store for both cases, CLOSED not the global Infinity: the first closed site seen
      // after optimization (a child node's) then finds type feedback instead of deoptimizing
      // this function and the ascent that inlined it.
      rho[i] = fixed[i] === 0 || pr.forbidden[i] ? CLOSED : pr.f[i]! + (planned ? this.finishKnapsack(i) : this.knapsack(i, v, null));
    }
    const sum = this.select(fixed);
    if (sum === Infinity) return Infinity;
    L += sum;
    // Subgradient: the plans of the rho pass above, unless one site's plan is all that is kept.
    const g = this.g;
    g.fill(1);
    for (let i = 0; i < S; i++) {
      if (!sel[i]) continue;
      if (planned) this.subtractKnapsack(i, g);
      else this.knapsack(i, v, g);
    }
    return L;
  }

  /** evaluateCapacitated by the WebAssembly kernels: the same values (see kernels/knapsack-kernels.ts). */
  private evaluateByKernels(kernels: KnapsackKernels, v: Float64Array, fixed: SiteFixing): number {
    if (!this.order) this.buildOrder();
    kernels.v.set(v);
    kernels.fixed.set(fixed);
    let L = kernels.siteValues(true);
    const sum = this.select(fixed);
    if (sum === Infinity) return Infinity;
    L += sum;
    kernels.subgradient();
    return L;
  }

  /** evaluate for UFL and p-median: rho_i = f_i + the sum over the clients with c_ij < v_j, from the cost order. */
  private evaluateUncapacitated(v: Float64Array, fixed: SiteFixing): number {
    const { S, C, pr, rho, sel } = this;
    let L = sumOf(v, C);
    for (let i = 0; i < S; i++) rho[i] = fixed[i] === 0 || pr.forbidden[i] ? CLOSED : pr.f[i]!;
    if (!this.order) this.buildOrder();
    const order = this.order!;
    const sc = this.sortedCost!;
    for (let j = 0; j < C; j++) {
      const vj = v[j]!;
      const base = j * S;
      for (let t = 0; t < S; t++) {
        const w = sc[base + t]! - vj;
        if (w >= 0) break;
        rho[order[base + t]!]! += w;
      }
    }
    const sum = this.select(fixed);
    if (sum === Infinity) return Infinity;
    L += sum;
    // Subgradient.
    const g = this.g;
    for (let j = 0; j < C; j++) {
      const vj = v[j]!;
      const base = j * S;
      let k = 0;
      for (let t = 0; t < S; t++) {
        if (sc[base + t]! - vj >= 0) break;
        k += sel[order[base + t]!]!;
      }
      g[j] = 1 - k;
    }
    return L;
  }

  /**
   * Capacitated variants: every site's rho_i(v) (f_i plus its continuous knapsack; Infinity for
   * a forbidden site) into `out`, and returns sum_j v_j. Then for any open set T,
   * sum_j v_j + sum_{i in T} rho_i(v) is a lower bound on T's transportation plus opening cost
   * (the relaxation with y fixed to T). Leaves sel and g as they were (the knapsack plans are
   * those of v from here: evaluate has already used its own).
   */
  siteCosts(v: Float64Array, out: Float64Array): number {
    const { S, C, pr, kernels } = this;
    if (kernels) {
      if (!this.order) this.buildOrder();
      kernels.v.set(v);
      const sum = kernels.siteValues(false);
      out.set(kernels.out);
      return sum;
    }
    const sum = sumOf(v, C);
    const planned = this.planJ !== null;
    if (planned) this.collectItems(v);
    for (let i = 0; i < S; i++) out[i] = pr.forbidden[i] ? Infinity : pr.f[i]! + (planned ? this.finishKnapsack(i) : this.knapsack(i, v, null));
    return sum;
  }

  private buildOrder(): void {
    const kernels = this.kernels;
    if (kernels?.sortsClients && !this.order) {
      // prepareSteps's sorts in one kernel call (the same per-client insertion sorts).
      kernels.sortClients(0, this.C);
      this.order = kernels.order;
      this.sortedCost = kernels.sortedCost;
      return;
    }
    runSteps(this.prepareSteps(() => false, true));
  }

  /** Each client's sites by increasing cost (order[j * S + t], ties by site) and those costs, built on first use. */
  costOrder(): { order: Int32Array; sortedCost: Float64Array } {
    if (!this.order) this.buildOrder();
    return { order: this.order!, sortedCost: this.sortedCost! };
  }

  /**
   * Builds what the first evaluation needs ahead of it, with checkpoints: UFL / p-median sort
   * every client's sites (C sorts of S, ~0.3 s at 1000 x 1000, one sort ~5 ms in cold code), a
   * checkpoint every 4 clients.
   * When `shouldStop` answers true it gives up (the first evaluation would then sort in one go:
   * the caller must not evaluate after a stop).
   */
  *prepareSteps(shouldStop: () => boolean, always = false): Steps<void> {
    // Capacitated: only where the knapsack plans are kept (collectItems walks these lists).
    if (this.order || (!always && (this.pr.variant === 'cfl' || this.pr.variant === 'sscfl') && !this.planned)) return;
    const { S, C, kernels } = this;
    const c = this.pr.c;
    // Where the WebAssembly kernels run, in their memory (collectItems walks these lists).
    const order = kernels ? kernels.order : new Int32Array(S * C);
    const sc = kernels ? kernels.sortedCost : new Float64Array(S * C);
    const tmp = new Int32Array(S);
    for (let j = 0; j < C; j++) {
      if (shouldStop()) return;
      if ((j & 3) === 3) yield;
      const base = j * S;
      if (S <= INSERTION_SORT_SITES) {
        if (kernels?.sortsClients) kernels.sortClients(j, j + 1);
        else insertionSortSites(c, C, S, j, order, sc);
        continue;
      }
      for (let i = 0; i < S; i++) tmp[i] = i;
      tmp.sort((a, b) => c[a * C + j]! - c[b * C + j]! || a - b);
      for (let t = 0; t < S; t++) {
        order[base + t] = tmp[t]!;
        sc[base + t] = c[tmp[t]! * C + j]!;
      }
    }
    this.order = order;
    this.sortedCost = sc;
  }

  /** select for p-median: the fixed-open and pre-opened sites, then the cheapest free ones up to p. */
  private selectP(fixed: SiteFixing): number {
    const { S, pr, rho, sel } = this;
    let sum = 0;
    let count = 0;
    let nFree = 0;
    for (let i = 0; i < S; i++) {
      if (fixed[i] === 1 || (pr.mustOpen[i] && fixed[i] !== 0)) {
        sel[i] = 1;
        sum += rho[i]!;
        count++;
      } else if (rho[i]! < Infinity) {
        this.siteIdx[nFree++] = i;
      }
    }
    const need = pr.p - count;
    if (need < 0 || need > nFree) return Infinity;
    if (need > 0) {
      const chosen = this.smallest(nFree, need);
      for (let t = 0; t < need; t++) {
        const i = chosen[t]!;
        sel[i] = 1;
        sum += rho[i]!;
      }
    }
    return sum;
  }

  /** Chooses y minimising sum rho_i y_i under the node's fixings; returns the sum (Infinity if none). */
  private select(fixed: SiteFixing): number {
    if (this.kernelSelect) {
      const sum = this.kernels!.select(fixed);
      this.approxCover = this.kernels!.approxCover();
      this.forcedOne = false;
      return sum;
    }
    const { S, pr, rho, sel } = this;
    sel.fill(0);
    this.approxCover = false;
    this.forcedOne = false;
    if (pr.variant === 'pmedian') return this.selectP(fixed);
    let sum = 0;
    let count = 0;
    let capSel = 0;
    let nCand = 0;
    for (let i = 0; i < S; i++) {
      if (rho[i] === Infinity) continue;
      if (fixed[i] === 1 || pr.mustOpen[i] || rho[i]! <= 0) {
        sel[i] = 1;
        sum += rho[i]!;
        capSel += pr.cap[i]!;
        count++;
      } else this.siteIdx[nCand++] = i;
    }
    if (pr.variant === 'ufl') {
      if (count === 0 && this.C > 0) {
        if (nCand === 0) return Infinity;
        let bi = -1;
        for (let t = 0; t < nCand; t++) {
          const i = this.siteIdx[t]!;
          if (bi < 0 || rho[i]! < rho[bi]!) bi = i;
        }
        sel[bi] = 1;
        sum += rho[bi]!;
        this.forcedOne = true;
      }
      return sum;
    }
    // CFL: cover the total demand with the cheapest remaining sites (0-1 min-knapsack).
    const need = pr.totalDemand - capSel;
    if (need <= 1e-9 * Math.max(1, pr.totalDemand)) {
      if (count === 0 && this.C > 0) {
        if (nCand === 0) return Infinity;
        let bi = this.siteIdx[0]!;
        for (let t = 1; t < nCand; t++) if (rho[this.siteIdx[t]!]! < rho[bi]!) bi = this.siteIdx[t]!;
        sel[bi] = 1;
        sum += rho[bi]!;
      }
      return sum;
    }
    const extra = this.coverKnapsack(nCand, need);
    if (extra === Infinity) return Infinity;
    return sum + extra;
  }

  /** The k smallest-rho sites among siteIdx[0..n) (stable by index for determinism). */
  private smallest(n: number, k: number): Int32Array {
    const ids = this.siteIdx.subarray(0, n);
    const rho = this.rho;
    if (k < n) ids.sort((a, b) => rho[a]! - rho[b]! || a - b);
    return ids;
  }

  /**
   * Min sum rho_i y_i with sum C_i y_i >= need over siteIdx[0..n) (all rho > 0). Equal
   * capacities: the k cheapest. Otherwise depth-first branch-and-bound on the ratio
   * order with the LP bound; beyond a node budget the LP bound is used (still a valid
   * lower bound, flagged by approxCover) with the greedy cover as the selection.
   */
  private coverKnapsack(n: number, need: number): number {
    const { pr, rho, sel } = this;
    const ids = this.siteIdx;
    let total = 0;
    let equal = true;
    const c0 = n > 0 ? pr.cap[ids[0]!]! : 0;
    for (let t = 0; t < n; t++) {
      total += pr.cap[ids[t]!]!;
      if (pr.cap[ids[t]!]! !== c0) equal = false;
    }
    if (total < need * (1 - 1e-12)) return Infinity;
    const tol = 1e-9 * Math.max(1, pr.totalDemand);
    if (equal) {
      const k = Math.min(n, Math.max(1, Math.ceil((need - tol) / c0)));
      this.sortSites(n, false);
      let s = 0;
      for (let t = 0; t < k; t++) {
        sel[ids[t]!] = 1;
        s += rho[ids[t]!]!;
      }
      return s;
    }
    this.sortSites(n, true);
    // Greedy cover as the incumbent.
    const { pick, bestPick } = this;
    pick.fill(0, 0, n);
    bestPick.fill(0, 0, n);
    let best = 0;
    let q = 0;
    for (let t = 0; t < n && q < need - tol; t++) {
      bestPick[t] = 1;
      best += rho[ids[t]!]!;
      q += pr.cap[ids[t]!]!;
    }
    // Improve: also try dropping greedy items (DFS with LP bound).
    this.coverBest = best;
    this.coverNodes = 0;
    this.coverExhausted = false;
    this.coverSearch(n, 0, need, 0, tol);
    for (let t = 0; t < n; t++) if (bestPick[t]) sel[ids[t]!] = 1;
    if (this.coverExhausted) {
      this.approxCover = true;
      return Math.min(this.coverBest, this.coverLpBound(n, 0, need));
    }
    return this.coverBest;
  }

  /** LP bound of covering `remaining` with the sites siteIdx[from..n) (ratio order): Infinity when they cannot. */
  private coverLpBound(n: number, from: number, remaining: number): number {
    const { pr, rho } = this;
    const ids = this.siteIdx;
    let s = 0;
    for (let t = from; t < n; t++) {
      const capT = pr.cap[ids[t]!]!;
      if (capT >= remaining) return s + (rho[ids[t]!]! * remaining) / capT;
      s += rho[ids[t]!]!;
      remaining -= capT;
    }
    return Infinity;
  }

  /** The cover knapsack's depth-first search over siteIdx[t..n) (at most 20 000 nodes; see coverKnapsack). */
  private coverSearch(n: number, t: number, remaining: number, cost: number, tol: number): void {
    if (remaining <= tol) {
      if (cost < this.coverBest) {
        this.coverBest = cost;
        this.bestPick.set(this.pick.subarray(0, n));
      }
      return;
    }
    if (t >= n || ++this.coverNodes > 20_000) {
      if (this.coverNodes > 20_000) this.coverExhausted = true;
      return;
    }
    const best = this.coverBest;
    if (cost + this.coverLpBound(n, t, remaining) >= best - 1e-12 * Math.abs(best)) return;
    const i = this.siteIdx[t]!;
    this.pick[t] = 1;
    this.coverSearch(n, t + 1, remaining - this.pr.cap[i]!, cost + this.rho[i]!, tol);
    this.pick[t] = 0;
    this.coverSearch(n, t + 1, remaining, cost, tol);
  }

  /**
   * Sorts siteIdx[0..n) by rho (perCapacity: by rho / capacity), ties by index. A few dozen
   * sites (the usual case) by insertion sort: no comparator calls, which in a fresh process
   * run through the generic sort builtin and dominate the cover's cost.
   */
  private sortSites(n: number, perCapacity: boolean): void {
    const { rho } = this;
    const cap = this.pr.cap;
    const ids = this.siteIdx;
    if (n > 48) {
      const sub = ids.subarray(0, n);
      if (perCapacity) sub.sort((a, b) => rho[a]! / cap[a]! - rho[b]! / cap[b]! || a - b);
      else sub.sort((a, b) => rho[a]! - rho[b]! || a - b);
      return;
    }
    const key = this.siteKey;
    for (let t = 0; t < n; t++) key[t] = perCapacity ? rho[ids[t]!]! / cap[ids[t]!]! : rho[ids[t]!]!;
    for (let t = 1; t < n; t++) {
      const id = ids[t]!;
      const k = key[t]!;
      let u = t - 1;
      while (u >= 0 && (key[u]! > k || (key[u] === k && ids[u]! > id))) {
        ids[u + 1] = ids[u]!;
        key[u + 1] = key[u]!;
        u--;
      }
      ids[u + 1] = id;
      key[u + 1] = k;
    }
  }

  /**
   * Continuous knapsack of site i: min sum_j (c_ij - v_j) x_ij, sum_j d_j x_ij <= C_i; with
   * `g`, also subtracts the optimal x_ij from g_j. See solveKnapsack.
   */
  knapsack(i: number, v: Float64Array, g: Float64Array | null): number {
    const value = this.solveKnapsack(i, v);
    if (g) this.subtractKnapsack(i, g);
    return value;
  }

  /**
   * Site i's knapsack value. Items go in by increasing ratio (c_ij - v_j) / d_j: instead of
   * sorting them, the threshold ratio is found by a weighted quickselect. The plan is kept
   * (site i's items with c_ij < v_j, their weights and ratios, the threshold and the room left
   * at it; per site when plan storage fits, see planJ), so that the subgradient pass over the
   * selected sites (subtractKnapsack) reads those items only, without a scan of the clients.
   */
  private solveKnapsack(i: number, v: Float64Array): number {
    const C = this.C;
    const pr = this.pr;
    const c = pr.c;
    const d = pr.d;
    const row = i * C;
    const stored = this.planJ !== null;
    const pj = stored ? this.planJ! : this.idx;
    const pw = stored ? this.planW! : this.wScratch;
    const pk = stored ? this.planKey! : this.key;
    const base = stored ? row : 0;
    // Positive-demand items from the front of the segment, zero-demand ones (always taken) from its back.
    let n = base;
    let z = base + C;
    let value = 0;
    let sum = 0;
    let load = 0;
    for (let j = 0; j < C; j++) {
      const w = c[row + j]! - v[j]!;
      if (w < 0) {
        const dj = d[j]!;
        if (dj === 0) {
          value += w;
          pj[--z] = j;
        } else {
          pj[n] = j;
          pw[n] = w;
          pk[n] = w / dj;
          sum += w;
          n++;
          load += dj;
        }
      }
    }
    this.planEnd[i] = n;
    this.planZero[i] = z;
    this.planZeroValue[i] = value;
    this.planSum[i] = sum;
    this.planLoad[i] = load;
    return this.finishKnapsack(i);
  }

  /**
   * Every site's items with c_ij < v_j into its plan segment, in client order (the order of
   * solveKnapsack's scan: the same sums bit for bit), by walking each client's sites in cost
   * order while c_ij < v_j: work in the number of such items, not S x C (with v near the
   * cheapest costs, a few sites per client).
   */
  private collectItems(v: Float64Array): void {
    if (!this.order) this.buildOrder();
    const { S, C } = this;
    const order = this.order!;
    const sc = this.sortedCost!;
    const d = this.pr.d;
    const pj = this.planJ!;
    const pw = this.planW!;
    const pk = this.planKey!;
    const end = this.planEnd;
    const zero = this.planZero;
    const zeroValue = this.planZeroValue;
    const sum = this.planSum;
    const load = this.planLoad;
    for (let i = 0; i < S; i++) {
      end[i] = i * C;
      zero[i] = (i + 1) * C;
      zeroValue[i] = 0;
      sum[i] = 0;
      load[i] = 0;
    }
    for (let j = 0; j < C; j++) {
      const vj = v[j]!;
      const dj = d[j]!;
      const base = j * S;
      for (let t = 0; t < S; t++) {
        const w = sc[base + t]! - vj;
        if (!(w < 0)) break;
        const i = order[base + t]!;
        if (dj === 0) {
          zeroValue[i]! += w;
          pj[--zero[i]!] = j;
        } else {
          const k = end[i]!;
          pj[k] = j;
          pw[k] = w;
          pk[k] = w / dj;
          end[i] = k + 1;
          sum[i]! += w;
          load[i]! += dj;
        }
      }
    }
  }

  /** Site i's knapsack value from its collected items (see solveKnapsack); stores the threshold and room for subtractKnapsack. */
  private finishKnapsack(i: number): number {
    const stored = this.planJ !== null;
    const pj = stored ? this.planJ! : this.idx;
    const pw = stored ? this.planW! : this.wScratch;
    const pk = stored ? this.planKey! : this.key;
    const base = stored ? i * this.C : 0;
    const d = this.pr.d;
    const n = this.planEnd[i]!;
    let value = this.planZeroValue[i]!;
    const capI = this.pr.cap[i]!;
    if (this.planLoad[i]! <= capI) {
      this.planThreshold[i] = Infinity;
      // Without zero-demand items the sum in item order is the value (the same additions).
      if (this.planZero[i] === base + this.C) return this.planSum[i]!;
      for (let t = base; t < n; t++) value += pw[t]!;
      return value;
    }
    // The smallest key t with sum_{key <= t} d >= cap, by a weighted quickselect
    // (expected O(n); the same t as sorting the keys), and the weight strictly below it.
    const below = this.weightedThreshold(base, n, capI);
    const threshold = this.sortedKey[0]!;
    this.planThreshold[i] = threshold;
    this.planRoom[i] = capI - below;
    let room = capI - below;
    for (let k = base; k < n; k++) {
      const kk = pk[k]!;
      if (kk < threshold) value += pw[k]!;
      else if (kk === threshold && room > 0) {
        const dj = d[pj[k]!]!;
        const take = dj <= room ? 1 : room / dj;
        room -= take * dj;
        value += pw[k]! * take;
      }
    }
    return value;
  }

  /** Subtracts site i's optimal x_ij (the plan of its last solveKnapsack) from g_j. */
  private subtractKnapsack(i: number, g: Float64Array): void {
    const stored = this.planJ !== null;
    const pj = stored ? this.planJ! : this.idx;
    const pk = stored ? this.planKey! : this.key;
    const base = stored ? i * this.C : 0;
    const d = this.pr.d;
    const n = this.planEnd[i]!;
    for (let k = this.planZero[i]!; k < base + this.C; k++) g[pj[k]!]! -= 1;
    const threshold = this.planThreshold[i]!;
    let room = this.planRoom[i]!;
    for (let k = base; k < n; k++) {
      const kk = pk[k]!;
      if (kk < threshold) g[pj[k]!]! -= 1;
      else if (kk === threshold && room > 0) {
        const j = pj[k]!;
        const take = d[j]! <= room ? 1 : room / d[j]!;
        room -= take * d[j]!;
        g[j]! -= take;
      }
    }
  }

  /**
   * Weighted selection over the items [base, end) of the plan (key, weight d[idx]), whose total weight
   * exceeds cap: stores in sortedKey[0] the smallest key t such that the items with key <= t
   * weigh at least cap, and returns the weight of the items with key < t. Three-way
   * partitions of a scratch copy of the keys and weights, middle-of-three pivots.
   */
  private weightedThreshold(base: number, end: number, cap: number): number {
    const stored = this.planJ !== null;
    const idx = stored ? this.planJ! : this.idx;
    const key = stored ? this.planKey! : this.key;
    const d = this.pr.d;
    const ks = this.sortedKey;
    const ws = this.selWeight;
    const n = end - base;
    for (let k = 0; k < n; k++) {
      ks[k] = key[base + k]!;
      ws[k] = d[idx[base + k]!]!;
    }
    let lo = 0;
    let hi = n; // the answer lies among ks[lo..hi)
    let acc = 0; // weight of the items already known to be below the range
    for (;;) {
      const a = ks[lo]!;
      const b = ks[(lo + hi) >> 1]!;
      const c = ks[hi - 1]!;
      const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
      // Dutch flag: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot.
      let lt = lo;
      let gt = hi;
      let k = lo;
      let wLess = 0;
      let wEq = 0;
      while (k < gt) {
        const x = ks[k]!;
        if (x < pivot) {
          const w = ws[k]!;
          wLess += w;
          ks[k] = ks[lt]!;
          ws[k] = ws[lt]!;
          ks[lt] = x;
          ws[lt] = w;
          lt++;
          k++;
        } else if (x > pivot) {
          gt--;
          const w = ws[k]!;
          ks[k] = ks[gt]!;
          ws[k] = ws[gt]!;
          ks[gt] = x;
          ws[gt] = w;
        } else {
          wEq += ws[k]!;
          k++;
        }
      }
      if (acc + wLess >= cap && lt > lo) {
        hi = lt;
      } else if (acc + wLess + wEq >= cap || gt >= hi) {
        ks[0] = pivot;
        return acc + wLess;
      } else {
        acc += wLess + wEq;
        lo = gt;
      }
    }
  }

  /**
   * Bound of the node with site i additionally forced to `value` (reduced-cost test),
   * given the last evaluation's L. Conservative (never above the true forced bound).
   */
  forcedBound(L: number, i: number, value: 0 | 1, fixed: SiteFixing): number {
    const { pr, rho, sel } = this;
    if (pr.variant === 'ufl') {
      if (value === 1) return sel[i] ? L : L + rho[i]! - (this.forcedOne ? this.minSelectedRho() : 0);
      if (!sel[i]) return L;
      return this.forcedOne ? L : L - rho[i]!;
    }
    if (pr.variant === 'pmedian') {
      if (value === 1) {
        if (sel[i]) return L;
        // Swap i in for the worst free selected site.
        let worst = -Infinity;
        for (let k = 0; k < this.S; k++) if (sel[k] && fixed[k] !== 1 && !pr.mustOpen[k] && rho[k]! > worst) worst = rho[k]!;
        return worst === -Infinity ? Infinity : L + rho[i]! - worst;
      }
      if (!sel[i]) return L;
      let next = Infinity;
      for (let k = 0; k < this.S; k++) if (!sel[k] && rho[k]! < next) next = rho[k]!;
      return L - rho[i]! + next;
    }
    // CFL: re-solve the selection with i forced (cheap next to the knapsacks).
    if (this.kernelSelect) {
      const bound = this.kernels!.forcedBound(L, i, value, fixed);
      this.approxCover = this.kernels!.approxCover();
      return bound;
    }
    const saved = fixed[i]!;
    const savedSel = this.savedSel;
    savedSel.set(sel);
    const savedRho = rho[i]!;
    fixed[i] = value;
    if (value === 0) rho[i] = Infinity;
    let base = L;
    for (let k = 0; k < this.S; k++) if (savedSel[k]) base -= rho[k] === Infinity ? savedRho : rho[k]!;
    const s = this.select(fixed);
    fixed[i] = saved;
    rho[i] = savedRho;
    sel.set(savedSel);
    return s === Infinity ? Infinity : base + s;
  }

  private minSelectedRho(): number {
    let m = Infinity;
    for (let i = 0; i < this.S; i++) if (this.sel[i] && this.rho[i]! < m) m = this.rho[i]!;
    return m;
  }
}
