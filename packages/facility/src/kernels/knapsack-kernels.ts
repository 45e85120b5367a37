import type { FacilityProblem } from '../problem.js';
import { ASCENT_WASM } from './ascent-wasm.js';
import { KNAPSACK_WASM } from './knapsack-wasm.js';
import { SELECT_WASM } from './select-wasm.js';
import { compileInBackground, instantiateKernel, type KernelInstance } from './wasm.js';

compileInBackground([KNAPSACK_WASM, SELECT_WASM, ASCENT_WASM]);

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
const HEADER = ['S', 'C', 'd', 'cap', 'f', 'order', 'sortedCost', 'v', 'g', 'rho', 'out', 'planJ', 'planW', 'planKey', 'planEnd', 'planZero', 'planZeroValue', 'planSum', 'planLoad', 'planThreshold', 'planRoom', 'scratchKey', 'scratchWeight', 'fixed', 'forbidden', 'sel', 'mustOpen', 'siteIdx', 'siteKey', 'pick', 'bestPick', 'savedSel', 'totalDemand', 'cost', 'cur', 'bestV', 'lb0', 'lb1', 'lastSel', 'open', 'dualRho', 'near', 'nearSite', 'setLoad', 'memoKeys', 'memoValues'] as const;

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

/** assembly/ascent.ts, called directly by cfl-small.ts (see there for each; flags are 0 / 1). */
export interface AscentExports {
  ascentStart(iterations: number, lambda: number, patience: number, root: number): void;
  ascentRun(ub: number, limit: number, chunk: number, dualSum: number): AscentEvent;
  lastPriced(): 1 | 2;
  ascentBest(): number;
  ascentIterations(): number;
  fixedAtRoot(): number;
  fix(L: number, limit: number, root: number): number;
  heuristicScreen(atBest: number, limit: number): number;
  priceSet(threshold: number, dualSum: number): 0 | 1 | 2;
  pricedBound(): number;
  pricedValue(): number;
  remember(bound: number): void;
}

/** ascentRun's requests: Done (bound: ascentBest), Price the set in `open` (priceSet said lastPriced), CheckStop; then call again. */
export const AscentEvent = { Done: 0, Price: 1, CheckStop: 2 } as const;
export type AscentEvent = (typeof AscentEvent)[keyof typeof AscentEvent];

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
  /** The small search's state in this memory (assembly/ascent.ts). */
  readonly cur: Float64Array;
  readonly bestV: Float64Array;
  readonly lb0: Float64Array;
  readonly lb1: Float64Array;
  readonly open: Uint8Array;
  readonly dualRho: Float64Array;
  readonly nearSite: Int32Array;
  private readonly exports: KnapsackExports;
  private readonly selection: SelectExports;
  readonly ascent: AscentExports;

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
    this.cur = f64('cur', C);
    this.bestV = f64('bestV', C);
    this.lb0 = f64('lb0', S);
    this.lb1 = f64('lb1', S);
    this.open = u8('open', S);
    this.dualRho = f64('dualRho', S);
    this.nearSite = kernel.i32('nearSite', C);
    this.exports = kernel.exports[0] as unknown as KnapsackExports;
    this.selection = kernel.exports[1] as unknown as SelectExports;
    this.ascent = kernel.exports[2] as unknown as AscentExports;
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
      cur: 8 * C,
      bestV: 8 * C,
      lb0: 8 * S,
      lb1: 8 * S,
      lastSel: S,
      open: S,
      dualRho: 8 * S,
      near: 8 * C,
      nearSite: 4 * C,
      setLoad: 8 * S,
      // MEMO_SIZE of assembly/relaxation-memory.ts.
      memoKeys: 8 * 2048,
      memoValues: 8 * 2048,
    };
    const kernel = instantiateKernel([KNAPSACK_WASM, SELECT_WASM, ASCENT_WASM], HEADER, sizes, S, C, ['knapsack', 'select']);
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
