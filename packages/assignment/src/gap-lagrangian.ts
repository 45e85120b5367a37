import { runSteps, subgradientSteps, type Steps, type SubgradientResult } from '@emplace/core';
import type { GapInstance } from './gap-instance.js';
import { KnapsackSolver } from './knapsack.js';
import { wasmKernelsOn } from './kernels/wasm.js';
import { knapsackRows, type KnapsackRows } from './knapsack-rows.js';

/**
 * Lagrangian relaxation of the GAP assignment constraints (Fisher, Jaikumar & Van
 * Wassenhove 1986): with a multiplier u_j per job,
 *   L(u) = sum_j u_j - sum_i max { sum_j (u_j - c_ij) x_ij : sum_j r_ij x_ij <= b_i, x binary }
 * is a lower bound on the min-cost optimum for every u; each agent solves a 0-1 knapsack.
 * This bound dominates the LP relaxation (it convexifies the knapsacks). Jobs may be
 * fixed to an agent (branch-and-bound nodes): they leave the relaxation, use capacity and
 * add their cost.
 */
export class GapLagrangian {
  readonly inst: GapInstance;
  /** `x[i * n + j]` in [0, 1]: the knapsack solutions of the last evaluation. */
  readonly x: Float64Array;
  /** Subgradient g_j = 1 - sum_i x_ij of the last evaluation (0 for fixed jobs). */
  readonly g: Float64Array;
  /** sum_i x_ij, added up in agent order as the knapsacks are solved (a column scan of x was m x n per evaluation). */
  private readonly colSum: Float64Array;
  /** True when every knapsack of the last evaluation was solved exactly. */
  lastExact = true;
  private readonly knap: KnapsackSolver;
  private readonly profit: Float64Array;
  private readonly weight: Float64Array;
  private readonly items: Int32Array;
  private readonly xs: Float64Array;
  private readonly residual: Float64Array;
  /** Knapsack cells filled since `evaluateSteps` last yielded. */
  private cells = 0;
  /**
   * The last knapsack of each agent (capacity, items in order with their profits, its
   * solution and value): an agent whose knapsack is the same at the next evaluation takes
   * it from here. In a node's subgradient run a step moves only the multipliers of jobs
   * assigned zero or several times, so about a fifth of the knapsacks repeat the previous
   * evaluation's (gap-proof.ts E 20 200 9403 --bnb 23008: 349k of 1.55M), and the
   * evaluations after a fixing pass keep every agent the pass did not touch.
   */
  private readonly lastB: Float64Array;
  private readonly lastCount: Int32Array;
  private readonly lastJob: Int32Array;
  private readonly lastP: Float64Array;
  private readonly lastX: Float64Array;
  private readonly lastValue: Float64Array;
  private readonly lastKnapExact: Uint8Array;
  /** `incremental`'s state per agent: its capacity (-1: none kept), item count, and (made at its first call) order and table. */
  private readonly incCap: Int32Array;
  private readonly incCount: Int32Array;
  private rows: KnapsackRows | undefined;
  private readonly wasm = wasmKernelsOn();
  /** Per job: the `agent` call (epoch) that collected it with profit curP, and that placed it in the new order. */
  private readonly seen: Int32Array;
  private readonly placed: Int32Array;
  private readonly curP: Float64Array;
  private epoch = 0;
  /** Whether the knapsack `agent` just solved was exact. */
  private agentExact = true;
  /** listPairs: agent i's jobs in listJob[listStart[i]..listStart[i + 1]). */
  private readonly listStart: Int32Array;
  private readonly listJob: Int32Array;

  constructor(inst: GapInstance) {
    this.inst = inst;
    this.x = new Float64Array(inst.m * inst.n);
    this.g = new Float64Array(inst.n);
    this.colSum = new Float64Array(inst.n);
    this.knap = new KnapsackSolver(inst.n);
    this.profit = new Float64Array(inst.n);
    this.weight = new Float64Array(inst.n);
    this.items = new Int32Array(inst.n);
    this.xs = new Float64Array(inst.n);
    this.residual = new Float64Array(inst.m);
    this.listStart = new Int32Array(inst.m + 1);
    this.listJob = new Int32Array(inst.m * inst.n);
    this.lastB = new Float64Array(inst.m).fill(Number.NaN);
    this.lastCount = new Int32Array(inst.m);
    this.lastJob = new Int32Array(inst.m * inst.n);
    this.lastP = new Float64Array(inst.m * inst.n);
    this.lastX = new Float64Array(inst.m * inst.n);
    this.lastValue = new Float64Array(inst.m);
    this.lastKnapExact = new Uint8Array(inst.m);
    this.incCap = new Int32Array(inst.m).fill(-1);
    this.incCount = new Int32Array(inst.m);
    this.seen = new Int32Array(inst.n);
    this.placed = new Int32Array(inst.n);
    this.curP = new Float64Array(inst.n);
  }

  /** Lists each agent's free allowed jobs for `listed` evaluations (a subgradient run: the m x n scan was 15 % of the search). */
  listPairs(fixed: Int32Array, disallow: Uint8Array | undefined): void {
    const { m, n, feasible } = this.inst;
    let t = 0;
    for (let i = 0; i < m; i++) {
      this.listStart[i] = t;
      const row = i * n;
      for (let j = 0; j < n; j++) if (fixed[j]! < 0 && feasible[row + j] && !(disallow && disallow[row + j])) this.listJob[t++] = j;
    }
    this.listStart[m] = t;
  }

  /**
   * L(u) with the jobs of `fixed` (agent index, -1 = free) fixed; +Infinity when the
   * fixing already overloads an agent. `disallow` (optional, m*n) excludes pairs.
   */
  evaluate(u: Float64Array, fixed: Int32Array, disallow?: Uint8Array): number {
    let value = this.begin(u, fixed);
    if (value === Infinity) return Infinity;
    this.listPairs(fixed, disallow);
    let exact = true;
    for (let i = 0; i < this.inst.m; i++) {
      value -= this.agent(i, u);
      if (!this.agentExact) exact = false;
    }
    return this.end(fixed, exact, value);
  }

  /**
   * `evaluate` with a checkpoint (a yield, never a stop: x and g are always left whole)
   * between agents once EVAL_CHUNK knapsack cells were filled since the last: one
   * evaluation is m knapsack DPs, 30-40 ms on 80 x 800. The same knapsacks in the same
   * order, so the same value, x and g.
   */
  *evaluateSteps(u: Float64Array, fixed: Int32Array, disallow?: Uint8Array, listed = false): Steps<number> {
    let value = this.begin(u, fixed);
    if (value === Infinity) return Infinity;
    if (!listed) this.listPairs(fixed, disallow);
    let exact = true;
    for (let i = 0; i < this.inst.m; i++) {
      if (this.cells >= EVAL_CHUNK) {
        this.cells = 0;
        yield;
      }
      value -= this.agent(i, u);
      if (!this.agentExact) exact = false;
    }
    return this.end(fixed, exact, value);
  }

  /** The fixed jobs' capacity and cost, and sum of u over the free ones; Infinity when the fixing overloads an agent. */
  private begin(u: Float64Array, fixed: Int32Array): number {
    const { m, n, cost, weight, capacity } = this.inst;
    const residual = this.residual;
    residual.set(capacity);
    let value = 0;
    for (let j = 0; j < n; j++) {
      const a = fixed[j]!;
      if (a >= 0) {
        residual[a]! -= weight[a * n + j]!;
        value += cost[a * n + j]!;
      } else value += u[j]!;
    }
    for (let i = 0; i < m; i++) if (residual[i]! < -1e-9) return Infinity;
    this.x.fill(0);
    this.colSum.fill(0);
    return value;
  }

  /** Agent i's knapsack over its listed jobs of positive reduced profit that fit; its solution goes into x, its exactness into agentExact. */
  private agent(i: number, u: Float64Array): number {
    const { n, cost, weight } = this.inst;
    const b = this.residual[i]!;
    const row = i * n;
    const { lastJob, lastP } = this;
    let count = 0;
    let total = 0;
    let same = b === this.lastB[i];
    let epoch = ++this.epoch;
    if (epoch >= 1 << 30) {
      this.seen.fill(0);
      this.placed.fill(0);
      epoch = this.epoch = 1;
    }
    for (let t = this.listStart[i]!, end = this.listStart[i + 1]!; t < end; t++) {
      const j = this.listJob[t]!;
      const p = u[j]! - cost[row + j]!;
      const w = weight[row + j]!;
      if (p <= 0 || w > b) continue;
      if (same && (count >= this.lastCount[i]! || lastJob[row + count] !== j || lastP[row + count] !== p)) same = false;
      this.profit[count] = p;
      this.weight[count] = w;
      total += w;
      this.items[count] = j;
      this.seen[j] = epoch;
      this.curP[j] = p;
      count++;
    }
    this.agentExact = true;
    if (count === 0) return 0;
    if (this.inst.integral) {
      const cap = Math.floor(b + 1e-9);
      if ((count + 1) * (cap + 1) <= INC_CELLS) return this.incremental(i, cap, count, total, epoch);
    }
    if (same && count === this.lastCount[i]) {
      // The same knapsack as this agent's last: its solution and value, without the DP.
      for (let k = 0; k < count; k++) {
        const xk = this.lastX[row + k]!;
        if (xk === 0) continue;
        this.x[row + this.items[k]!] = xk;
        this.colSum[this.items[k]!]! += xk;
      }
      this.agentExact = this.lastKnapExact[i] === 1;
      return this.lastValue[i]!;
    }
    this.cells += count * (Math.max(0, b) + 1);
    const r = this.knap.solve(count, this.profit, this.weight, b, this.inst.integral, this.xs);
    for (let k = 0; k < count; k++) {
      const j = this.items[k]!;
      this.x[row + j] = this.xs[k]!;
      if (this.xs[k] !== 0) this.colSum[j]! += this.xs[k]!;
      lastJob[row + k] = j;
      lastP[row + k] = this.profit[k]!;
      this.lastX[row + k] = this.xs[k]!;
    }
    this.lastB[i] = b;
    this.lastCount[i] = count;
    this.lastValue[i] = r.value;
    this.lastKnapExact[i] = r.exact ? 1 : 0;
    this.agentExact = r.exact;
    return r.value;
  }

  /**
   * Agent i's knapsack (the `count` items just collected, of total weight `total`, integer
   * capacity `cap`) by a DP table kept from its last evaluation: rows are item prefixes, so
   * the rows of the longest prefix of the last order whose items and profits are unchanged
   * stay, and only the rest are filled. The new order keeps that prefix, then the last
   * order's other unchanged items, then the changed and new ones last (a subgradient step
   * moves the multipliers of the same few jobs again and again, so they settle at the end).
   * Row r is filled only from capacity cap - (weight of the items after it) up (the plan
   * reads nothing below), which skips 41 % of the cells on E 20 x 200; a kept row must be
   * valid down to that floor in the new order too.
   */
  private incremental(i: number, cap: number, count: number, total: number, epoch: number): number {
    const n = this.inst.n;
    const row = i * n;
    const lo = i * (n + 1);
    const width = cap + 1;
    const rows = (this.rows ??= knapsackRows(this.inst.m, n, INC_CELLS, this.wasm));
    const { ordLo, tables: T, chosen } = rows;
    const base = i * INC_CELLS;
    let keep = this.reorder(rows, i, cap, count, total, epoch);
    if (this.incCap[i] !== cap) {
      T.fill(0, base, base + width);
      ordLo[lo] = 0;
      keep = 0;
    }
    // Items fit (w <= cap), integral weights: the fill (WebAssembly where it runs) may index by them.
    this.cells += rows.fill(i, keep, count, width, total);
    this.incCap[i] = cap;
    this.incCount[i] = count;
    // The plan: item t is taken where its row differs from the one before it.
    for (let t = 0, taken = rows.plan(i, count, width); t < taken; t++) {
      const j = chosen[t]!;
      this.x[row + j] = 1;
      this.colSum[j]! += 1;
    }
    return T[base + count * width + cap]!;
  }

  /**
   * `incremental`'s new order of agent i's items: the longest prefix of the last order whose
   * items and profits are unchanged (and whose rows were filled low enough for the new
   * floors), then the last order's other unchanged items, then the changed and new ones.
   * Returns the number of rows kept.
   */
  private reorder(rows: KnapsackRows, i: number, cap: number, count: number, total: number, epoch: number): number {
    const row = i * this.inst.n;
    const lo = i * (this.inst.n + 1);
    const { ordJob, ordP, ordW, ordLo } = rows;
    const { seen, placed, curP } = this;
    let keep = 0;
    let next = 0;
    let before = 0;
    if (this.incCap[i] === cap) {
      const old = this.incCount[i]!;
      while (keep < old) {
        const j = ordJob[row + keep]!;
        if (seen[j] !== epoch || curP[j] !== ordP[row + keep]) break;
        const floor = cap - (total - before - ordW[row + keep]!);
        if (ordLo[lo + keep + 1]! > Math.max(0, floor)) break;
        before += ordW[row + keep]!;
        placed[j] = epoch;
        keep++;
      }
      next = keep;
      for (let t = keep; t < old; t++) {
        const j = ordJob[row + t]!;
        if (seen[j] !== epoch || curP[j] !== ordP[row + t]) continue;
        placed[j] = epoch;
        ordJob[row + next] = j;
        ordP[row + next] = ordP[row + t]!;
        ordW[row + next] = ordW[row + t]!;
        next++;
      }
    }
    for (let k = 0; k < count; k++) {
      const j = this.items[k]!;
      if (placed[j] === epoch) continue;
      ordJob[row + next] = j;
      ordP[row + next] = this.profit[k]!;
      ordW[row + next] = this.weight[k]!;
      next++;
    }
    return keep;
  }

  /** The subgradient of the evaluation just made; returns its value. */
  private end(fixed: Int32Array, exact: boolean, value: number): number {
    const n = this.inst.n;
    this.lastExact = exact;
    const g = this.g;
    for (let j = 0; j < n; j++) g[j] = fixed[j]! >= 0 ? 0 : 1 - this.colSum[j]!;
    return value;
  }
}

/** Knapsack cells (items x capacity) between the checkpoints of `evaluateSteps` (a few ms of DP). */
const EVAL_CHUNK = 1 << 21;
/**
 * Knapsacks of at most this many DP cells, (items + 1) x (capacity + 1), go through
 * `incremental` (a table kept per agent); larger ones through KnapsackSolver, whose
 * reduction decides most items of the large knapsacks of type D. gap-lns-speed.ts D 20 200
 * 9412, min CPU ms (load 2.6-2.9): all through KnapsackSolver 2538/2553, this limit 2607,
 * 8192 2551, 32768 2776; the E 20 x 200 search (95 % of its knapsacks below 2048 cells)
 * took 4751-4867 ms at this limit, 5251-5258 at 2048.
 */
const INC_CELLS = 4096;

/** Initial multipliers: the cheapest feasible cost of each job (the relaxation then assigns nothing). */
export function initialMultipliers(inst: GapInstance): Float64Array {
  const { m, n, cost, feasible } = inst;
  const u = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let a = Infinity;
    let b = Infinity;
    for (let i = 0; i < m; i++) {
      if (!feasible[i * n + j]) continue;
      const c = cost[i * n + j]!;
      if (c < a) {
        b = a;
        a = c;
      } else if (c < b) b = c;
    }
    // Between the best and the second best: the job is wanted by its best agent only.
    u[j] = b === Infinity ? a : (a + b) / 2;
    if (!Number.isFinite(u[j]!)) u[j] = 0;
  }
  return u;
}

/**
 * The Polyak step's target for a long subgradient run (a root): 5 % above the incumbent
 * cost, as Beasley recommends (1.05 Z_UB, "Lagrangean relaxation", 1993). With the
 * incumbent itself as the target the steps shrink with incumbent - L(u), and a good
 * incumbent (a few units above the dual optimum) stalls the ascent far below it: on
 * Chu-Beasley E 10 x 200 and 20 x 200, 500 iterations reached 24549 and 22369 with the
 * optimum as target, 24556 and 22387 with the overshoot (dual optima about 24557, 22388),
 * and the branch-and-bound proof from the first root needed over 50,000 nodes, from the
 * second under 300.
 */
export function polyakTarget(incumbent: number): number {
  return Number.isFinite(incumbent) ? incumbent + ROOT_OVERSHOOT * Math.max(1, Math.abs(incumbent)) : incumbent;
}

const ROOT_OVERSHOOT = 0.05;

/**
 * The GAP Lagrangian dual optimised by core's subgradient driver (Polyak steps toward the
 * incumbent cost, halving theta on stalls and going back to the best multipliers), with
 * jobs `fixed` and pairs `disallow`ed (branch-and-bound nodes). `target`: stop as soon as
 * the bound reaches it (the node is pruned). `u0` is not modified.
 */
export interface GapSubgradientOptions {
  upper: () => number;
  maxIterations: number;
  stop?: (() => boolean) | undefined;
  /** Sees every evaluation (the Lagrangian heuristic hooks in here: `lag.x` holds the relaxed solution). */
  onIterate?: ((value: number) => void) | undefined;
  theta?: number | undefined;
  patience?: number | undefined;
  disallow?: Uint8Array | undefined;
  /**
   * Stop once the best bound reaches this value (re-read at every evaluation when a
   * function: the incumbent the Lagrangian heuristic improves lowers it as the run goes).
   */
  target?: number | (() => number) | undefined;
  /**
   * L(u0), when the caller has just evaluated it into `lag` (its x and g are current): the
   * run's first evaluation takes this value instead of repeating the knapsacks.
   */
  first?: number | undefined;
}

/** The dual as steps: core's driver, each evaluation with checkpoints between its knapsacks (`evaluateSteps`). */
export function gapSubgradientSteps(lag: GapLagrangian, u0: Float64Array, fixed: Int32Array, opts: GapSubgradientOptions): Steps<SubgradientResult> {
  const target = opts.target;
  const disallow = opts.disallow;
  const seen = opts.onIterate;
  let first = opts.first;
  function* evaluateSteps(u: Float64Array): Steps<number> {
    if (first === undefined) return yield* lag.evaluateSteps(u, fixed, disallow, true);
    const v = first;
    first = undefined;
    return v;
  }
  // Listed when the run starts, not when made.
  return (function* (): Steps<SubgradientResult> {
    lag.listPairs(fixed, disallow);
    return yield* subgradientSteps(Float64Array.from(u0), {
      evaluate: (u) => runSteps(evaluateSteps(u)),
      evaluateSteps,
      g: lag.g,
      upper: opts.upper,
      maxIterations: opts.maxIterations,
      theta: opts.theta,
      patience: opts.patience,
      restoreOnHalve: true,
      stop: opts.stop,
      done: target === undefined ? undefined : typeof target === 'number' ? (best) => best >= target : (best) => best >= target(),
      onIterate: seen
        ? (v) => {
            seen(v);
            return false;
          }
        : undefined,
    });
  })();
}
