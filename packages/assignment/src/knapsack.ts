import { DpKernel } from './knapsack-dp.js';
import { wasmKernelsOn } from './kernels/wasm.js';

/**
 * 0-1 knapsack (maximise profit within one capacity), the subproblem of the GAP
 * Lagrangian relaxation of the assignment constraints. Exact by dynamic programming over
 * the capacity when weights and capacity are integers and the table is small; otherwise
 * the Dantzig (LP) upper bound with its fractional solution, which keeps the Lagrangian
 * value a valid bound, only a weaker one. Buffers are reused across calls: the solver
 * runs thousands of times per second inside subgradient loops.
 *
 * Before the DP, the Dembo-Hammer reduction (Martello & Toth, "Knapsack problems", 1990,
 * 2.7) fixes the items whose bound test decides them: with the critical ratio r of the LP
 * solution, its value U and a greedy lower bound L, an item of ratio at least r is in every
 * optimum when U - (p - r w) < L, an item of ratio at most r is out when U - (r w - p) < L
 * (the bounds are the LP's Lagrangian dual at r with the item forced). The DP then runs on
 * the items left over the capacity the fixed ones leave. The knapsacks of the GAP
 * Lagrangian (profits u_j - c_ij vary with the job, so the ratios spread) are mostly
 * decided so: the DP took 73 % of gap:auto's CPU on Chu-Beasley D 10 x 200 (profile of
 * gap-cpu-clock.ts, seed 9101) before the reduction.
 */
/**
 * Below this many DP cells the reduction (a sort and two scans) costs more than it saves:
 * on GAP-like knapsacks 10 items x 51 capacity took 1.8 us by the DP alone, 3.1 us with
 * the reduction; 18 x 118, 9.7 vs 5.4 us; 45 x 950, 174 vs 73 us.
 */
const REDUCE_CELLS = 1024;

export class KnapsackSolver {
  private best: Float64Array;
  private keep: Uint8Array;
  private order: Int32Array;
  private ratio: Float64Array;
  /** The items the reduction leaves free (indices into the caller's arrays), and their data for the DP. */
  private readonly free: Int32Array;
  private readonly freeP: Float64Array;
  private readonly freeW: Float64Array;
  private readonly freeX: Float64Array;
  /** DP tables above this many cells fall back to the LP bound. */
  private readonly maxCells: number;
  /** Scratch of sortByRatio's merges. */
  private readonly merge: Int32Array;
  /** Whether the DP runs in WebAssembly (knapsack-dp.ts) where it can; else, or where it cannot, `dp` runs here. */
  private readonly wasm = wasmKernelsOn();

  constructor(maxItems: number, maxCells = 4_000_000) {
    this.maxCells = maxCells;
    this.best = new Float64Array(1024);
    this.keep = new Uint8Array(1024);
    const size = Math.max(1, maxItems);
    this.order = new Int32Array(size);
    this.merge = new Int32Array(size);
    this.ratio = new Float64Array(size);
    this.free = new Int32Array(size);
    this.freeP = new Float64Array(size);
    this.freeW = new Float64Array(size);
    this.freeX = new Float64Array(size);
  }

  /**
   * Items `0..count-1` with `profit[k] > 0` and `weight[k]`; writes `x[k]` in [0, 1] and
   * returns the optimum (exact: `exact` true) or an upper bound on it.
   */
  solve(count: number, profit: Float64Array, weight: Float64Array, capacity: number, integral: boolean, x: Float64Array): { value: number; exact: boolean } {
    let totalW = 0;
    let totalP = 0;
    for (let k = 0; k < count; k++) {
      totalW += weight[k]!;
      totalP += profit[k]!;
    }
    if (totalW <= capacity) {
      for (let k = 0; k < count; k++) x[k] = 1;
      return { value: totalP, exact: true };
    }
    const cap = Math.floor(capacity + 1e-9);
    const cells = count * (cap + 1);
    if (integral && cells <= this.maxCells) return { value: cells < REDUCE_CELLS ? this.dp(count, profit, weight, cap, x) : this.reduceAndDp(count, profit, weight, cap, x), exact: true };
    return { value: this.dantzig(count, profit, weight, capacity, x), exact: false };
  }

  /**
   * The exact optimum: the Dembo-Hammer reduction (see the class comment), then the DP on
   * the free items. Called with total weight above `cap` (so there is a critical item).
   */
  private reduceAndDp(count: number, profit: Float64Array, weight: Float64Array, cap: number, x: Float64Array): number {
    const { order, ratio } = this;
    for (let k = 0; k < count; k++) {
      order[k] = k;
      ratio[k] = weight[k]! > 0 ? profit[k]! / weight[k]! : Infinity;
    }
    sortByRatio(order, this.merge, ratio, count);
    // The critical item s (the first that does not fit in ratio order) and the LP value U.
    let left = cap;
    let lp = 0;
    let s = 0;
    while (s < count && weight[order[s]!]! <= left) {
      left -= weight[order[s]!]!;
      lp += profit[order[s]!]!;
      s++;
    }
    if (s === count) return this.dp(count, profit, weight, cap, x);
    const r = ratio[order[s]!]!;
    const upper = lp + left * r;
    // Greedy lower bound: the items before s, then any later one that still fits.
    let lower = lp;
    for (let t = s; t < count; t++) {
      const w = weight[order[t]!]!;
      if (w <= left) {
        left -= w;
        lower += profit[order[t]!]!;
      }
    }
    // A margin against rounding: an item is fixed only when its bound is clearly below L.
    const below = lower - 1e-9 * (1 + Math.abs(lower));
    let room = cap;
    let nFree = 0;
    const { free, freeP, freeW, freeX } = this;
    for (let k = 0; k < count; k++) {
      const p = profit[k]!;
      const w = weight[k]!;
      const gain = p - r * w;
      if (gain >= 0 && upper - gain < below) {
        x[k] = 1;
        room -= w;
      } else if (gain <= 0 && upper + gain < below) x[k] = 0;
      else {
        free[nFree] = k;
        freeP[nFree] = p;
        freeW[nFree] = w;
        nFree++;
      }
    }
    if (nFree === 0) return this.taken(count, profit, x);
    // The fixed items are all before s in ratio order, so they fit (room >= 0).
    let freeWeight = 0;
    for (let t = 0; t < nFree; t++) freeWeight += freeW[t]!;
    if (freeWeight <= room) {
      for (let t = 0; t < nFree; t++) x[free[t]!] = 1;
      return this.taken(count, profit, x);
    }
    this.dp(nFree, freeP, freeW, room, freeX);
    for (let t = 0; t < nFree; t++) x[free[t]!] = freeX[t]!;
    return this.taken(count, profit, x);
  }

  /**
   * The value of the items taken, summed in index order as the DP on every item sums it,
   * so that the same solution gives the same bits. In exact arithmetic the reduction keeps
   * the DP's choice among tied optima (every optimum holds the items fixed in and none
   * fixed out, and the DP's tie-break, leaving out the later item, is decided among
   * those); in floating point two equal sums added in another order can differ in the
   * last bit, so on exact ties (equal profits) the choice, and the subgradient's path
   * from there, may differ (C 5 x 40 seed 7: the first difference at the 23rd knapsack).
   */
  private taken(count: number, profit: Float64Array, x: Float64Array): number {
    let v = 0;
    for (let k = 0; k < count; k++) if (x[k] === 1) v += profit[k]!;
    return v;
  }

  private dp(count: number, profit: Float64Array, weight: Float64Array, cap: number, x: Float64Array): number {
    const kernel = this.wasm ? DpKernel.fit(count, cap) : null;
    if (kernel) return kernel.solve(count, profit, weight, cap, x);
    if (this.best.length < cap + 1) this.best = new Float64Array(Math.max(cap + 1, this.best.length * 2));
    const cells = count * (cap + 1);
    if (this.keep.length < cells) this.keep = new Uint8Array(Math.max(cells, this.keep.length * 2));
    const best = this.best;
    const keep = this.keep;
    // Only capacities up to the weight of the items seen so far (`reach`) differ: above it
    // every item fits, so best[c] = best[reach]. The rows stop at reach, which saves the
    // DP's first half on knapsacks whose items weigh about twice the capacity. Symmetrically
    // the answer reads row k only at capacities of at least cap minus the weight of the
    // items after k (what the later items can use up), and row k reads row k - 1 only
    // there too: the rows start at that floor, which saves the second half.
    let after = 0;
    for (let k = 0; k < count; k++) after += weight[k]!;
    best[0] = 0;
    let reach = 0;
    for (let k = 0; k < count; k++) {
      const w = weight[k]!;
      const p = profit[k]!;
      after -= w;
      const floor = Math.max(0, cap - after);
      const row = k * (cap + 1);
      const next = Math.min(cap, reach + w);
      const top = best[reach]!;
      for (let c = reach + 1; c <= next; c++) best[c] = top;
      keep.fill(0, row + floor, row + next + 1);
      for (let c = next, low = Math.max(w, floor); c >= low; c--) {
        const v = best[c - w]! + p;
        if (v > best[c]!) {
          best[c] = v;
          keep[row + c] = 1;
        }
      }
      reach = next;
    }
    // Item k was decided on capacities up to its reach; above it the decision is the one at the reach.
    let c = cap;
    let sumW = 0;
    for (let k = 0; k < count; k++) sumW += weight[k]!;
    for (let k = count - 1; k >= 0; k--) {
      const reachK = Math.min(cap, sumW);
      if (keep[k * (cap + 1) + Math.min(c, reachK)]) {
        x[k] = 1;
        c -= weight[k]!;
      } else x[k] = 0;
      sumW -= weight[k]!;
    }
    return best[cap]!;
  }

  private dantzig(count: number, profit: Float64Array, weight: Float64Array, capacity: number, x: Float64Array): number {
    const order = this.order;
    const ratio = this.ratio;
    for (let k = 0; k < count; k++) {
      order[k] = k;
      ratio[k] = weight[k]! > 0 ? profit[k]! / weight[k]! : Infinity;
      x[k] = 0;
    }
    // The order the stable comparator sort gave (ratio descending, ties by index), without its per-comparison calls.
    sortByRatio(order, this.merge, ratio, count);
    let left = capacity;
    let value = 0;
    for (let t = 0; t < count; t++) {
      const k = order[t]!;
      const w = weight[k]!;
      if (w <= left) {
        x[k] = 1;
        left -= w;
        value += profit[k]!;
      } else {
        const f = left / w;
        x[k] = f;
        value += f * profit[k]!;
        break;
      }
    }
    return value;
  }
}

/** Runs of this many items are insertion-sorted before the merges. */
const RUN = 16;

/**
 * Sorts `idx[0..count)` by `ratio` descending, ties by index ascending (a strict total order,
 * so the result is the one permutation any correct sort gives). A typed array's sort with a
 * comparator calls it through the engine per comparison, which made the reduction's sort
 * about a sixth of the LNS's CPU (node --cpu-prof on gap-lns-speed.ts D 10 100 9301):
 * insertion-sorted runs merged bottom-up here, in `tmp`.
 */
export function sortByRatio(idx: Int32Array, tmp: Int32Array, ratio: Float64Array, count: number): void {
  for (let lo = 0; lo < count; lo += RUN) {
    const hi = Math.min(count, lo + RUN);
    for (let t = lo + 1; t < hi; t++) {
      const k = idx[t]!;
      const r = ratio[k]!;
      let q = t - 1;
      while (q >= lo && before(k, r, idx[q]!, ratio[idx[q]!]!)) {
        idx[q + 1] = idx[q]!;
        q--;
      }
      idx[q + 1] = k;
    }
  }
  let src = idx;
  let dst = tmp;
  for (let width = RUN; width < count; width *= 2) {
    for (let lo = 0; lo < count; lo += 2 * width) {
      const mid = Math.min(count, lo + width);
      const hi = Math.min(count, lo + 2 * width);
      let a = lo;
      let b = mid;
      let o = lo;
      while (a < mid && b < hi) {
        const ka = src[a]!;
        const kb = src[b]!;
        if (before(kb, ratio[kb]!, ka, ratio[ka]!)) {
          dst[o++] = kb;
          b++;
        } else {
          dst[o++] = ka;
          a++;
        }
      }
      while (a < mid) dst[o++] = src[a++]!;
      while (b < hi) dst[o++] = src[b++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== idx) idx.set(src.subarray(0, count));
}

/** True when item a (ratio ra) comes before item b (ratio rb): higher ratio, then lower index. */
function before(a: number, ra: number, b: number, rb: number): boolean {
  return ra > rb || (ra === rb && a < b);
}
