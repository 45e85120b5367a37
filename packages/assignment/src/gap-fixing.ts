import { runSteps, type Steps } from '@emplace/core';
import { FixingTablesKernel } from './fixing-tables.js';
import { wasmKernelsOn } from './kernels/wasm.js';
import type { GapInstance } from './gap-instance.js';

/**
 * Reduced-cost variable fixing for the GAP Lagrangian bound (the knapsack relaxation of
 * the assignment constraints), as in Posta, Ferland & Michelon (2012): for multipliers u
 * with value L(u), forcing x_ij to the value the relaxation does not choose costs agent i
 * an exact penalty
 *   out: z_i - z_i(without j)                      when the knapsack of i takes j,
 *   in:  z_i - (p_ij + z_i(without j, b_i - r_ij))  when it does not,
 * and L(u) + penalty is a lower bound on every assignment with that choice. When it cannot
 * beat the incumbent, the pair is disallowed ("in" too costly) or the job is fixed to the
 * agent ("out" too costly). Both penalties come from a forward and a backward knapsack
 * table per agent (O(items x capacity), the price of one knapsack), so the test is exact,
 * not the Dantzig estimate. Integer weights only (the DP must be exact); nothing is fixed
 * otherwise.
 */
export class GapFixing {
  readonly inst: GapInstance;
  private forward: Float64Array = new Float64Array(1024);
  private backward: Float64Array = new Float64Array(1024);
  /** Whether the tables are filled in WebAssembly (fixing-tables.ts) where they can; else, or where they cannot, fillTables fills them here. */
  private readonly wasm = wasmKernelsOn();
  /** Per item of the last tables: the rise of the optimum with it forced in / out (the kernel's arrays, or ownIn/ownOut). */
  private itemIn: Float64Array;
  private itemOut: Float64Array;
  private readonly ownIn: Float64Array;
  private readonly ownOut: Float64Array;
  private readonly items: Int32Array;
  private readonly profit: Float64Array;
  private readonly residual: Float64Array;
  /** True when the last `passSteps` was stopped before testing every agent. */
  interrupted = false;
  /** Agent each job was forced onto during the current pass (-1 = none). */
  private readonly forced: Int32Array;
  /** Last pass, pair i * n + j: the rise of L(u) with j forced into (penIn) or out of (penOut) i's knapsack. */
  readonly penIn: Float64Array;
  readonly penOut: Float64Array;
  /** The last pass tabled every agent. */
  tabled = false;
  /**
   * Each agent's last tables: capacity (-1: none), items with their profits, the optimum z
   * and the last forward row. An agent whose knapsack is the same at the next pass (the
   * passes of one node share u, and a pass's fixings touch a few agents) keeps its item
   * penalties (penIn/penOut of its row are written by nobody else) and reads the non-items'
   * from the kept row: the same numbers without the tables.
   */
  private readonly lastCap: Int32Array;
  private readonly lastCount: Int32Array;
  private readonly lastJob: Int32Array;
  private readonly lastP: Float64Array;
  private readonly lastZ: Float64Array;
  private readonly lastRow: (Float64Array | undefined)[];

  constructor(inst: GapInstance) {
    this.forced = new Int32Array(inst.n);
    this.inst = inst;
    this.items = new Int32Array(inst.n);
    this.profit = new Float64Array(inst.n);
    this.itemIn = this.ownIn = new Float64Array(inst.n);
    this.itemOut = this.ownOut = new Float64Array(inst.n);
    this.residual = new Float64Array(inst.m);
    this.penIn = new Float64Array(inst.m * inst.n);
    this.penOut = new Float64Array(inst.m * inst.n);
    this.lastCap = new Int32Array(inst.m).fill(-1);
    this.lastCount = new Int32Array(inst.m);
    this.lastJob = new Int32Array(inst.m * inst.n);
    this.lastP = new Float64Array(inst.m * inst.n);
    this.lastZ = new Float64Array(inst.m);
    this.lastRow = new Array<Float64Array | undefined>(inst.m).fill(undefined);
  }

  /**
   * One fixing pass at multipliers `u` (value `bound` = L(u) for this `fixed`/`disallow`).
   * A pair whose forced bound is at or above `cutoff` is disallowed (`onDisallow(k)`), a
   * job that must stay on its agent is fixed there (`onFix(j, i)`, applied after every agent
   * is tested, since each test is relative to the knapsacks of L(u)). Returns the number of
   * changes, or -1 when the tests prove that no assignment here beats the cutoff (a job
   * forced onto two agents). The caller re-evaluates L afterwards.
   */
  pass(u: Float64Array, bound: number, cutoff: number, fixed: Int32Array, disallow: Uint8Array, onDisallow: (k: number) => void, onFix: (j: number, i: number) => void): number {
    return runSteps(this.passSteps(u, bound, cutoff, fixed, disallow, onDisallow, onFix));
  }

  /**
   * `pass` as steps: a checkpoint after each agent (issue 13: one pass over the 20 agents of
   * a 20 x 200 problem held the event loop 17-44 ms on CPU; one agent is two knapsack tables).
   * The caller must not change `fixed` or `disallow` while the pass is paused. `stop` is
   * polled at each checkpoint: a stop ends the pass there (`interrupted` is then true).
   */
  *passSteps(
    u: Float64Array,
    bound: number,
    cutoff: number,
    fixed: Int32Array,
    disallow: Uint8Array,
    onDisallow: (k: number) => void,
    onFix: (j: number, i: number) => void,
    stop?: () => boolean,
  ): Steps<number> {
    const { m, n, weight, capacity } = this.inst;
    this.tabled = false;
    if (!this.inst.integral || !Number.isFinite(bound)) return 0;
    const residual = this.residual;
    residual.set(capacity);
    for (let j = 0; j < n; j++) {
      const a = fixed[j]!;
      if (a >= 0) residual[a]! -= weight[a * n + j]!;
    }
    let changes = 0;
    const forced = this.forced;
    forced.fill(-1);
    this.interrupted = false;
    this.tabled = true;
    for (let i = 0; i < m; i++) {
      if (i > 0) {
        yield;
        if (stop?.()) {
          // The agents tested so far stand (each test is exact on its own); the rest are skipped.
          this.interrupted = true;
          this.tabled = false;
          break;
        }
      }
      const cap = Math.floor(residual[i]! + 1e-9);
      if (cap < 0) return -1;
      const c = this.agent(i, cap, u, bound, cutoff, fixed, disallow, onDisallow);
      if (c < 0) return -1;
      changes += c;
    }
    for (let j = 0; j < n; j++) {
      const i = forced[j]!;
      if (i < 0) continue;
      fixed[j] = i;
      onFix(j, i);
    }
    return changes;
  }

  /** The penalties of agent i (residual capacity `cap`). */
  private agent(i: number, cap: number, u: Float64Array, bound: number, cutoff: number, fixed: Int32Array, disallow: Uint8Array, onDisallow: (k: number) => void): number {
    const { n, cost, weight, feasible } = this.inst;
    const row = i * n;
    const width = cap + 1;
    const count = this.collectItems(row, cap, u, fixed, disallow);
    const cells = (count + 1) * width;
    if (cells > 8_000_000) {
      this.lastCap[i] = -1;
      this.tabled = false;
      return 0;
    }
    const same = this.tablesFor(i, cap, count, row);
    const z = this.lastZ[i]!;
    const top = this.lastRow[i]!;
    const { penIn, penOut } = this;
    let changes = 0;
    // Jobs with non-positive profit are outside the knapsack: forcing one in adds its profit.
    for (let j = 0; j < n; j++) {
      const k = row + j;
      if (fixed[j]! >= 0 || !feasible[k] || disallow[k]) continue;
      const p = u[j]! - cost[k]!;
      const w = weight[k]!;
      if (w > cap) {
        penOut[k] = 0;
        disallow[k] = 1;
        onDisallow(k);
        changes++;
        continue;
      }
      if (p > 0) continue;
      penOut[k] = 0;
      penIn[k] = z - (p + top[cap - w]!);
      if (bound + penIn[k]! >= cutoff) {
        disallow[k] = 1;
        onDisallow(k);
        changes++;
      }
    }
    for (let t = 0; t < count; t++) {
      const j = this.items[t]!;
      const k = row + j;
      if (!same) {
        penIn[k] = this.itemIn[t]!;
        penOut[k] = this.itemOut[t]!;
      }
      if (penOut[k]! > 0) {
        if (bound + penOut[k]! >= cutoff) {
          if (this.forced[j]! >= 0) return -1;
          this.forced[j] = i;
          changes++;
        }
      } else if (bound + penIn[k]! >= cutoff) {
        disallow[k] = 1;
        onDisallow(k);
        changes++;
      }
    }
    return changes;
  }

  /**
   * Agent i's optimum and last forward row (lastZ, lastRow) for the items just collected:
   * kept from its last pass when the knapsack is the same (returns true: its item penalties
   * stand), else from fresh forward/backward tables, which `without` then reads.
   */
  private tablesFor(i: number, cap: number, count: number, row: number): boolean {
    let same = this.lastCap[i] === cap && this.lastCount[i] === count;
    for (let t = 0; same && t < count; t++) if (this.lastJob[row + t] !== this.items[t] || this.lastP[row + t] !== this.profit[t]) same = false;
    if (same) return true;
    const width = cap + 1;
    this.fillTables(count, cap, row);
    let last = this.lastRow[i];
    if (last === undefined || last.length < width) last = this.lastRow[i] = new Float64Array(Math.max(width, 2 * (last?.length ?? 0)));
    last.set(this.forward.subarray(count * width, count * width + width));
    this.lastCap[i] = cap;
    this.lastCount[i] = count;
    this.lastZ[i] = this.forward[count * width + cap]!;
    for (let t = 0; t < count; t++) {
      this.lastJob[row + t] = this.items[t]!;
      this.lastP[row + t] = this.profit[t]!;
    }
    return false;
  }

  /** Best knapsack profit within capacity c without item t: forward[t] joined with backward[t + 1]. */
  private without(t: number, c: number, width: number): number {
    const F = this.forward;
    const G = this.backward;
    const f = t * width;
    const g = (t + 1) * width + c;
    let best = 0;
    for (let a = 0; a <= c; a++) {
      const v = F[f + a]! + G[g - a]!;
      if (v > best) best = v;
    }
    return best;
  }

  /** Items of agent i's knapsack: free, allowed jobs with positive profit u_j - c_ij that fit. */
  private collectItems(row: number, cap: number, u: Float64Array, fixed: Int32Array, disallow: Uint8Array): number {
    const { n, cost, weight, feasible } = this.inst;
    let count = 0;
    for (let j = 0; j < n; j++) {
      const k = row + j;
      if (fixed[j]! >= 0 || !feasible[k] || disallow[k]) continue;
      const p = u[j]! - cost[k]!;
      if (p <= 0 || weight[k]! > cap) continue;
      this.items[count] = j;
      this.profit[count] = p;
      count++;
    }
    return count;
  }

  /** forward[t][c]: best profit of items < t within c; backward[t][c]: of items >= t. */
  private fillTables(count: number, cap: number, row: number): void {
    const width = cap + 1;
    const cells = (count + 1) * width;
    const k = this.wasm ? FixingTablesKernel.fit(count, cells) : null;
    if (k) {
      for (let t = 0; t < count; t++) {
        k.weight[t] = this.inst.weight[row + this.items[t]!]!;
        k.profit[t] = this.profit[t]!;
      }
      k.fill(count, width);
      this.forward = k.forward;
      this.backward = k.backward;
      this.itemIn = k.penIn;
      this.itemOut = k.penOut;
      return;
    }
    if (this.forward.length < cells) {
      this.forward = new Float64Array(Math.max(cells, 2 * this.forward.length));
      this.backward = new Float64Array(this.forward.length);
    }
    const F = this.forward;
    const G = this.backward;
    const weight = this.inst.weight;
    F.fill(0, 0, width);
    for (let t = 0; t < count; t++) {
      const w = weight[row + this.items[t]!]!;
      const p = this.profit[t]!;
      const src = t * width;
      const dst = src + width;
      for (let c = 0; c < width; c++) {
        const keep = F[src + c]!;
        const take = c >= w ? F[src + c - w]! + p : -Infinity;
        F[dst + c] = take > keep ? take : keep;
      }
    }
    G.fill(0, count * width, cells);
    for (let t = count - 1; t >= 0; t--) {
      const w = weight[row + this.items[t]!]!;
      const p = this.profit[t]!;
      const src = (t + 1) * width;
      const dst = t * width;
      for (let c = 0; c < width; c++) {
        const keep = G[src + c]!;
        const take = c >= w ? G[src + c - w]! + p : -Infinity;
        G[dst + c] = take > keep ? take : keep;
      }
    }
    this.penaltiesOf(count, cap, row);
  }

  /**
   * Per item of the tables just filled, with z the optimum: leaving it out costs
   * z - (best without it) when the optimum needs it, forcing it in costs
   * z - (its profit + best without it within cap - its weight) when it does not.
   */
  private penaltiesOf(count: number, cap: number, row: number): void {
    const width = cap + 1;
    const z = this.forward[count * width + cap]!;
    const { ownIn, ownOut } = this;
    for (let t = 0; t < count; t++) {
      const zOut = this.without(t, cap, width);
      if (zOut < z - 1e-9) {
        // The knapsack takes the item: leaving it out costs z - zOut.
        ownIn[t] = 0;
        ownOut[t] = z - zOut;
      } else {
        ownOut[t] = 0;
        ownIn[t] = z - (this.profit[t]! + this.without(t, cap - this.inst.weight[row + this.items[t]!]!, width));
      }
    }
    this.itemIn = ownIn;
    this.itemOut = ownOut;
  }
}
