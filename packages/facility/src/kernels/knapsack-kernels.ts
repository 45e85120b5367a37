import type { FacilityProblem } from '../problem.js';
import { KNAPSACK_WASM } from './knapsack-wasm.js';
import { SELECT_WASM } from './select-wasm.js';
import { compileInBackground, instantiateKernel, type KernelInstance } from './wasm.js';

compileInBackground([KNAPSACK_WASM, SELECT_WASM]);

/**
 * The capacitated Lagrangian's knapsack kernels and site selection as WebAssembly
 * (assembly/knapsack.ts and select.ts, two modules over one memory; the same
 * arithmetic as lagrangian.ts's TypeScript ones, in the same order: equal values bit for bit).
 * Why: in a fresh process a small CFL solve is over before V8 optimizes the TypeScript loops,
 * which until then run interpreted and box every double (on cap41, half the solve was those
 * loops and the garbage collector); WebAssembly is compiled at once and keeps doubles unboxed.
 *
 * Every array a kernel reads lives in the instance's own memory (see wasm.ts): the relaxation
 * fills them through the views below.
 */

/** Header slots, in the order of assembly/relaxation-memory.ts's H_* byte offsets (4 bytes each). */
const HEADER = ['S', 'C', 'd', 'cap', 'f', 'order', 'sortedCost', 'v', 'g', 'rho', 'out', 'planJ', 'planW', 'planKey', 'planEnd', 'planZero', 'planZeroValue', 'planSum', 'planLoad', 'planThreshold', 'planRoom', 'scratchKey', 'scratchWeight', 'fixed', 'forbidden', 'sel', 'mustOpen', 'siteIdx', 'siteKey', 'pick', 'bestPick', 'savedSel', 'totalDemand', 'cost'] as const;

interface KnapsackExports {
  siteValues(evaluate: number): number;
  subgradient(): void;
  sortClients(from: number, to: number): void;
}

interface SelectExports {
  select(): number;
  forcedBound(L: number, i: number, value: number): number;
  lastApproxCover(): number;
}

/** One relaxation's kernel instance and the views over its memory (see LagrangianRelaxation). */
export class KnapsackKernels {
  readonly v: Float64Array;
  readonly g: Float64Array;
  readonly rho: Float64Array;
  /** Site values of siteValues(false) (siteCosts). */
  readonly out: Float64Array;
  readonly sel: Uint8Array;
  readonly fixed: Int8Array;
  readonly order: Int32Array;
  readonly sortedCost: Float64Array;
  /** Whether sortClients runs (the costs were copied into the memory for it). */
  readonly sortsClients: boolean;
  private readonly exports: KnapsackExports;
  private readonly selection: SelectExports;

  private constructor(pr: FacilityProblem, kernel: KernelInstance<(typeof HEADER)[number]>, sortsClients: boolean) {
    const { nSites: S, nClients: C } = pr;
    const { f64, u8 } = kernel;
    f64('d', C).set(pr.d);
    f64('cap', S).set(pr.cap);
    f64('f', S).set(pr.f);
    const forbidden = u8('forbidden', S);
    for (let i = 0; i < S; i++) forbidden[i] = pr.forbidden[i] ? 1 : 0;
    this.v = f64('v', C);
    this.g = f64('g', C);
    this.rho = f64('rho', S);
    this.out = f64('out', S);
    this.sel = u8('sel', S);
    this.fixed = kernel.i8('fixed', S);
    this.order = kernel.i32('order', S * C);
    this.sortedCost = f64('sortedCost', S * C);
    u8('mustOpen', S).set(pr.mustOpen);
    f64('totalDemand', 1)[0] = pr.totalDemand;
    this.sortsClients = sortsClients;
    if (sortsClients) f64('cost', S * C).set(pr.c);
    this.exports = kernel.exports[0] as unknown as KnapsackExports;
    this.selection = kernel.exports[1] as unknown as SelectExports;
  }

  /**
   * Kernels for the problem, or null: turned off, no WebAssembly, or a memory too large to get
   * (the caller then runs the TypeScript kernels). `sortsClients`: also sort each client's sites
   * by insertion (sortClients; a copy of the costs in the memory).
   */
  static create(pr: FacilityProblem, sortsClients: boolean): KnapsackKernels | null {
    const { nSites: S, nClients: C } = pr;
    const SC = S * C;
    // Byte sizes of the arrays, in header order (S and C are the header's own first two slots).
    const sizes: Record<(typeof HEADER)[number], number> = {
      S: 0,
      C: 0,
      d: 8 * C,
      cap: 8 * S,
      f: 8 * S,
      order: 4 * SC,
      sortedCost: 8 * SC,
      v: 8 * C,
      g: 8 * C,
      rho: 8 * S,
      out: 8 * S,
      planJ: 4 * SC,
      planW: 8 * SC,
      planKey: 8 * SC,
      planEnd: 4 * S,
      planZero: 4 * S,
      planZeroValue: 8 * S,
      planSum: 8 * S,
      planLoad: 8 * S,
      planThreshold: 8 * S,
      planRoom: 8 * S,
      scratchKey: 8 * C,
      scratchWeight: 8 * C,
      fixed: S,
      forbidden: S,
      sel: S,
      mustOpen: S,
      siteIdx: 4 * S,
      siteKey: 8 * S,
      pick: S,
      bestPick: S,
      savedSel: S,
      totalDemand: 8,
      cost: sortsClients ? 8 * SC : 0,
    };
    const kernel = instantiateKernel([KNAPSACK_WASM, SELECT_WASM], HEADER, sizes, S, C);
    return kernel ? new KnapsackKernels(pr, kernel, sortsClients) : null;
  }

  /**
   * Collects every site's knapsack plan at the multipliers in `v` and writes the site values:
   * `evaluate` into rho (closed by `fixed` or forbidden: Infinity), else into out (forbidden:
   * Infinity). Returns sum_j v_j.
   */
  siteValues(evaluate: boolean): number {
    return this.exports.siteValues(evaluate ? 1 : 0);
  }

  /** Clients [from, to)'s sites by increasing cost into order / sortedCost, ties by site (lagrangian.ts insertionSortSites; needs sortsClients). */
  sortClients(from: number, to: number): void {
    this.exports.sortClients(from, to);
  }

  /** g = 1 - the selected sites' (sel) optimal plans of the last siteValues. */
  subgradient(): void {
    this.exports.subgradient();
  }

  /** LagrangianRelaxation.select for CFL / SSCFL under `fixed` (rho as it stands): fills sel, returns the sum (Infinity: none). */
  select(fixed: Int8Array): number {
    this.fixed.set(fixed);
    return this.selection.select();
  }

  /** LagrangianRelaxation.forcedBound for CFL / SSCFL (rho and sel of the last evaluation; both restored). */
  forcedBound(L: number, i: number, value: 0 | 1, fixed: Int8Array): number {
    this.fixed.set(fixed);
    return this.selection.forcedBound(L, i, value);
  }

  /** Whether the last select (or forcedBound) bounded the cover knapsack by its LP relaxation. */
  approxCover(): boolean {
    return this.selection.lastApproxCover() !== 0;
  }
}
