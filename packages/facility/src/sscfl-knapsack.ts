import { ratioKnapsackKernel, type RatioKnapsackKernel } from './kernels/ratio-knapsack-kernel.js';

/**
 * Exact 0-1 knapsack over items already in ratio order (profit / weight decreasing, positive
 * profits and weights): the kernel of the single-source relaxation's per-site knapsacks.
 *
 * The caller writes profit[0..n) and weight[0..n), calls setItems(n), puts a feasible start
 * solution in `take` and calls search(). The search first fixes every item whose opposite
 * choice cannot beat the start (Martello-Toth reduction on the Dantzig bound), then runs an
 * iterative depth-first search with the Martello-Toth bound U2 over the items left, its
 * critical item kept along the path instead of a binary search per node. On 60,000
 * knapsacks recorded from a 50 x 100 ratio-3 proof (about 20 items, 8 of them fitting, each
 * started from the better of the greedy and the previous evaluation's optimum), the
 * recursive Dantzig search of the relaxation took 170 nodes and 3.1-3.3 us per knapsack,
 * this one 83 nodes and 1.9 us: most nodes prove a solution already at hand optimal.
 */
export class RatioKnapsack {
  /** The WebAssembly search (assembly/ratio-knapsack.ts) over the arrays below, null where it cannot run. */
  private readonly kernel: RatioKnapsackKernel | null;
  /** Items in ratio order (written by the caller, then setItems). */
  readonly profit: Float64Array;
  readonly weight: Float64Array;
  /** The solution by item position: the start on entry of search, the best found on return. */
  readonly take: Uint8Array;
  /** Items in the current list. */
  n = 0;
  /** Depth-first nodes of the last search (above the budget: the search stopped early). */
  nodes = 0;
  /** Prefix sums over the current list (index t = the items before t). */
  private readonly cumW: Float64Array;
  private readonly cumP: Float64Array;
  /** The reduced problem: free items (positions in the full list), their prefix sums, the DFS path and its best. */
  private readonly map: Int32Array;
  private readonly rW: Float64Array;
  private readonly rP: Float64Array;
  private readonly rCumW: Float64Array;
  private readonly rCumP: Float64Array;
  private readonly fix: Int8Array;
  private readonly path: Int32Array;
  private readonly bestPath: Int32Array;
  private readonly roomAt: Float64Array;
  private readonly valueAt: Float64Array;
  private readonly minW: Float64Array;
  private readonly kAt: Int32Array;
  private readonly rR: Float64Array;
  /** Weight and profit of the items the last reduction fixed in. */
  private fixedInWeight = 0;
  private fixedInProfit = 0;

  constructor(maxItems: number) {
    const m = Math.max(1, maxItems);
    // The list and its prefix sums live in the kernel's memory where it runs (its search reads them there).
    this.kernel = ratioKnapsackKernel(m);
    this.profit = this.kernel?.profit ?? new Float64Array(m);
    this.weight = this.kernel?.weight ?? new Float64Array(m);
    this.take = this.kernel?.take ?? new Uint8Array(m);
    this.cumW = this.kernel?.cumW ?? new Float64Array(m + 1);
    this.cumP = this.kernel?.cumP ?? new Float64Array(m + 1);
    // The reduction's and the search's scratch, only where the search runs here (the kernel keeps its own).
    const r = this.kernel ? 0 : m;
    this.map = new Int32Array(r);
    this.rW = new Float64Array(r);
    this.rP = new Float64Array(r);
    this.rCumW = new Float64Array(r + 1);
    this.rCumP = new Float64Array(r + 1);
    this.fix = new Int8Array(r);
    this.path = new Int32Array(r);
    this.bestPath = new Int32Array(r);
    this.roomAt = new Float64Array(r);
    this.valueAt = new Float64Array(r);
    this.minW = new Float64Array(r + 1);
    this.kAt = new Int32Array(r);
    this.rR = new Float64Array(r);
  }

  /** Sets the list's length and its prefix sums. */
  setItems(n: number): void {
    this.n = n;
    const { cumW, cumP, profit, weight } = this;
    for (let t = 0; t < n; t++) {
      cumW[t + 1] = cumW[t]! + weight[t]!;
      cumP[t + 1] = cumP[t]! + profit[t]!;
    }
  }

  /**
   * Loads the list from clients ids[0..n) (ratio order) with profits pOf[j] and weights wOf[j],
   * client `skip` left out: profits, weights, prefix sums and the greedy solution within `room`
   * in one pass (take). Returns the greedy's profit (what takenProfit would sum, in the same order).
   */
  load(ids: Int32Array, n: number, pOf: Float64Array, wOf: Float64Array, room: number, skip = -1): number {
    const { profit, weight, cumW, cumP, take } = this;
    let sw = 0;
    let sp = 0;
    let value = 0;
    let t = 0;
    for (let q = 0; q < n; q++) {
      const j = ids[q]!;
      if (j === skip) continue;
      const p = pOf[j]!;
      const w = wOf[j]!;
      profit[t] = p;
      weight[t] = w;
      sw += w;
      sp += p;
      cumW[t + 1] = sw;
      cumP[t + 1] = sp;
      if (w <= room) {
        room -= w;
        value += p;
        take[t] = 1;
      } else take[t] = 0;
      t++;
    }
    this.n = t;
    return value;
  }

  /** Greedy solution into take: items in ratio order, each taken when it fits; its profit. */
  greedy(room: number): number {
    const { profit, weight, take, n } = this;
    let value = 0;
    for (let t = 0; t < n; t++) {
      if (weight[t]! <= room) {
        room -= weight[t]!;
        value += profit[t]!;
        take[t] = 1;
      } else take[t] = 0;
    }
    return value;
  }

  /**
   * A start x (by item position over the current list, `room` the capacity it leaves, negative
   * when it overflows) made to fit: its lowest-ratio items dropped while it overflows, then
   * completed greedily. It replaces take when it is worth more; returns its profit then, else
   * -Infinity (`current`: the profit of take, when the caller knows it). The relaxation re-prices a previous optimum so: between two subgradient steps
   * it often stays optimal, and the search then only proves it.
   */
  offerStart(x: Uint8Array, room: number, current = this.takenProfit()): number {
    const { weight, profit, take, n } = this;
    for (let t = n - 1; t >= 0 && room < 0; t--) {
      if (x[t]) {
        x[t] = 0;
        room += weight[t]!;
      }
    }
    // Completed greedily, its profit summed in item order as it goes.
    let value = 0;
    for (let t = 0; t < n; t++) {
      if (!x[t]) {
        if (!(weight[t]! <= room)) continue;
        x[t] = 1;
        room -= weight[t]!;
      }
      value += profit[t]!;
    }
    // Equal sets sum equally (item order), so an unchanged start keeps the greedy's value and set.
    if (value > current) {
      for (let t = 0; t < n; t++) take[t] = x[t]!;
      return value;
    }
    return -Infinity;
  }

  /** Profit of `take`, summed in item order (the order the search sums a path in, so equal sets give equal values). */
  takenProfit(): number {
    const { profit, take, n } = this;
    let value = 0;
    for (let t = 0; t < n; t++) if (take[t]) value += profit[t]!;
    return value;
  }

  /**
   * Dantzig bound: the LP optimum of the items from t on in capacity `room`, item `skip` left
   * out. O(log n) on the prefix sums. Leaving out an item before the critical one is the
   * bound with room + its weight, less its profit.
   */
  dantzig(t: number, room: number, skip = -1): number {
    const { cumW, cumP, profit, weight, n } = this;
    if (skip >= t) {
      const wider = room + weight[skip]!;
      const k1 = critical(cumW, n, t, wider);
      if (skip < k1) return cumP[k1]! - cumP[t]! - profit[skip]! + fraction(profit, weight, n, k1, wider - (cumW[k1]! - cumW[t]!));
    }
    const k0 = critical(cumW, n, t, room);
    return cumP[k0]! - cumP[t]! + fraction(profit, weight, n, k0, room - (cumW[k0]! - cumW[t]!));
  }

  /** The ratio of the list's critical item in `room` (the first that does not fit whole), 0 when all fit: the LP's price per unit of room. */
  criticalRatio(room: number): number {
    const k = critical(this.cumW, this.n, 0, room);
    return k < this.n ? this.profit[k]! / this.weight[k]! : 0;
  }

  /**
   * The best solution within `room`, from the feasible start in `take` (profit `start`): fills
   * take, returns its profit. Improvements below a relative 1e-12 are not sought. Past
   * `budget` depth-first nodes the search stops with the best found (nodes > budget tells).
   *
   * Iterative depth-first search over the free items (take first), path[0..depth) = the taken
   * items. k: the node's critical item (the first of t.. that does not fit whole in `left`),
   * kept along the path (taking an item before it leaves it; skipping one moves it forward).
   * Only a take raises the value, so a better solution is looked for there (and at the root).
   * The bound is Martello-Toth's U2 (at most Dantzig's): the critical item left out (the next
   * one fractionally) or taken (the one before given back fractionally). Its slack covers the
   * prefix sums' rounding: an item the take test (weight <= left) lets in counts as fitting.
   * Where WebAssembly runs, the kernel's search does this, bit for bit (a third faster).
   */
  search(room: number, start: number, budget: number): number {
    const kernel = this.kernel;
    if (!kernel) return this.searchHere(room, start, budget);
    const best = kernel.search(this.n, room, start, budget);
    this.nodes = kernel.nodes();
    return best;
  }

  /** search() in TypeScript. */
  private searchHere(room: number, start: number, budget: number): number {
    const { rW, rP, rR, rCumW, rCumP } = this;
    this.nodes = 0;
    let best = start;
    let cut = best + 1e-12 * Math.max(1, best);
    const m = this.reduce(room, cut);
    const inW = this.fixedInWeight;
    const inP = this.fixedInProfit;
    // Every better solution holds the items fixed in: if they do not fit together, none exists.
    if (inW > room) return start;
    const { bestPath, path, roomAt, valueAt, kAt, minW } = this;
    let bestDepth = -1;
    let depth = 0;
    let t = 0;
    let k = 0;
    let left = room - inW;
    let value = inP;
    let bounded = false;
    let nodes = 0;
    if (value > best) {
      best = value;
      cut = best + 1e-12 * Math.max(1, best);
      bestDepth = 0;
    }
    for (;;) {
      let descend = t < m && minW[t]! <= left && ++nodes <= budget;
      if (descend && !bounded) {
        const base = rCumW[t]!;
        const lim = left + 1e-9 * (left > 1 ? left : 1);
        if (k < t) k = t;
        while (k < m && rCumW[k + 1]! - base <= lim) k++;
        const sum = rCumP[k]! - rCumP[t]!;
        let ub = sum;
        if (k < m) {
          const r = left - (rCumW[k]! - base);
          if (k + 1 < m) ub += rR[k + 1]! * r;
          if (k > t) {
            const inside = sum + rP[k]! - (rW[k]! - r) * rR[k - 1]!;
            if (inside > ub) ub = inside;
          }
        }
        descend = value + ub > cut;
      }
      if (descend) {
        const w = rW[t]!;
        if (w <= left) {
          path[depth] = t;
          roomAt[depth] = left;
          valueAt[depth] = value;
          kAt[depth] = k;
          depth++;
          left -= w;
          value += rP[t]!;
          if (value > best) {
            best = value;
            cut = best + 1e-12 * Math.max(1, best);
            for (let q = 0; q < depth; q++) bestPath[q] = path[q]!;
            bestDepth = depth;
          }
          // The LP of the parent took item t whole: the child's bound is the parent's.
          bounded = true;
        } else bounded = false;
        t++;
        continue;
      }
      if (depth === 0 || nodes > budget) break;
      depth--;
      const p = path[depth]!;
      left = roomAt[depth]!;
      value = valueAt[depth]!;
      k = kAt[depth]!;
      t = p + 1;
      bounded = false;
    }
    this.nodes = nodes;
    if (bestDepth < 0) return start;
    return this.keepReduced(bestDepth);
  }

  /** Writes the best reduced solution (bestPath[0..depth): free items taken) with the fixed-in items into `take`; its profit. */
  private keepReduced(depth: number): number {
    const { n, take, fix, bestPath, map } = this;
    for (let q = 0; q < n; q++) take[q] = fix[q] === 1 ? 1 : 0;
    for (let q = 0; q < depth; q++) take[map[bestPath[q]!]!] = 1;
    return this.takenProfit();
  }

  /**
   * Martello-Toth reduction against a known solution of value just under `cut`: an item whose
   * opposite choice bounds the knapsack at or below it keeps its LP choice (fix = 1 in, 0 out).
   * The free items go to the reduced lists (map, rW, rP, rR and their prefix sums); returns
   * how many, with the fixed-in items' weight and profit in fixedInWeight / fixedInProfit.
   * The Dantzig bounds without item t, or with it forced in, have their critical item near the
   * root's (s): found by short scans from s.
   */
  private reduce(room: number, cut: number): number {
    const { n, profit, weight, cumW, cumP, fix, map, rW, rP, rR, rCumW, rCumP } = this;
    const s = critical(cumW, n, 0, room);
    let inW = 0;
    let inP = 0;
    let m = 0;
    for (let t = 0; t < n; t++) {
      let f = -1;
      if (t < s) {
        const wider = room + weight[t]!;
        let k = s;
        while (k < n && cumW[k + 1]! <= wider) k++;
        if (cumP[k]! - profit[t]! + fraction(profit, weight, n, k, wider - cumW[k]!) <= cut) f = 1;
      } else if (weight[t]! > room) f = 0;
      else {
        const narrow = room - weight[t]!;
        let k = s;
        while (k > 0 && cumW[k]! > narrow) k--;
        if (profit[t]! + cumP[k]! + fraction(profit, weight, n, k, narrow - cumW[k]!) <= cut) f = 0;
      }
      fix[t] = f;
      if (f === 1) {
        inW += weight[t]!;
        inP += profit[t]!;
      } else if (f === -1) {
        map[m] = t;
        rW[m] = weight[t]!;
        rP[m] = profit[t]!;
        rCumW[m + 1] = rCumW[m]! + weight[t]!;
        rCumP[m + 1] = rCumP[m]! + profit[t]!;
        rR[m] = profit[t]! / weight[t]!;
        m++;
      }
    }
    this.fixedInWeight = inW;
    this.fixedInProfit = inP;
    // Suffix minima of the free items' weights: a node whose room fits none of the items left is a leaf.
    const minW = this.minW;
    minW[m] = Infinity;
    for (let q = m - 1; q >= 0; q--) minW[q] = rW[q]! < minW[q + 1]! ? rW[q]! : minW[q + 1]!;
    return m;
  }
}

/** The largest k in [t, n] whose items t..k-1 fit in `room` (t when none does), on prefix weights. */
function critical(cumW: Float64Array, n: number, t: number, room: number): number {
  const base = cumW[t]!;
  let lo = t;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cumW[mid]! - base <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The LP share of item k in the room left (0 past the last item). */
function fraction(profit: Float64Array, weight: Float64Array, n: number, k: number, rem: number): number {
  return k < n ? (profit[k]! * rem) / weight[k]! : 0;
}
