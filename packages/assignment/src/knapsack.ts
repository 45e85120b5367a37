/**
 * 0-1 knapsack (maximise profit within one capacity), the subproblem of the GAP
 * Lagrangian relaxation of the assignment constraints. Exact by dynamic programming over
 * the capacity when weights and capacity are integers and the table is small; otherwise
 * the Dantzig (LP) upper bound with its fractional solution, which keeps the Lagrangian
 * value a valid bound, only a weaker one. Buffers are reused across calls: the solver
 * runs thousands of times per second inside subgradient loops.
 */
export class KnapsackSolver {
  private best: Float64Array;
  private keep: Uint8Array;
  private order: Int32Array;
  private ratio: Float64Array;
  /** DP tables above this many cells fall back to the LP bound. */
  private readonly maxCells: number;

  constructor(maxItems: number, maxCells = 4_000_000) {
    this.maxCells = maxCells;
    this.best = new Float64Array(1024);
    this.keep = new Uint8Array(1024);
    this.order = new Int32Array(Math.max(1, maxItems));
    this.ratio = new Float64Array(Math.max(1, maxItems));
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
    if (integral && cells <= this.maxCells) return { value: this.dp(count, profit, weight, cap, x), exact: true };
    return { value: this.dantzig(count, profit, weight, capacity, x), exact: false };
  }

  private dp(count: number, profit: Float64Array, weight: Float64Array, cap: number, x: Float64Array): number {
    if (this.best.length < cap + 1) this.best = new Float64Array(Math.max(cap + 1, this.best.length * 2));
    const cells = count * (cap + 1);
    if (this.keep.length < cells) this.keep = new Uint8Array(Math.max(cells, this.keep.length * 2));
    const best = this.best;
    const keep = this.keep;
    // Only capacities up to the weight of the items seen so far (`reach`) differ: above it
    // every item fits, so best[c] = best[reach]. The rows stop at reach, which saves the
    // DP's first half on knapsacks whose items weigh about twice the capacity.
    best[0] = 0;
    let reach = 0;
    for (let k = 0; k < count; k++) {
      const w = weight[k]!;
      const p = profit[k]!;
      const row = k * (cap + 1);
      const next = Math.min(cap, reach + w);
      const top = best[reach]!;
      for (let c = reach + 1; c <= next; c++) best[c] = top;
      keep.fill(0, row, row + next + 1);
      for (let c = next; c >= w; c--) {
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
    const idx = order.subarray(0, count).sort((a, b) => ratio[b]! - ratio[a]!);
    let left = capacity;
    let value = 0;
    for (let t = 0; t < count; t++) {
      const k = idx[t]!;
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
