import { instantiateWasmKernel } from '@emplace/core';
import { kernelModule } from './kernels/wasm.js';

/**
 * The kept knapsack tables of GapLagrangian.incremental (one per agent, `cells` cells each)
 * and the item orders they are filled from, with the row fill that was a third of the CPU of
 * an E 20 x 200 proof (gap-proof.ts, node --cpu-prof). The fill runs in WebAssembly
 * (assembly/gap-knapsack.ts, built by packages/facility/scripts/build-kernels.mjs; 0.96 ns a
 * cell against 2.6 in TypeScript on rows of 50 cells) over arrays that are views of the
 * instance's memory, sized once and never grown; where WebAssembly is missing, refused or
 * turned off (useWasmKernels), or the arrays would not fit, the same loop runs in TypeScript
 * over plain arrays. Both make the same operations in the same order: the same bits.
 */
export interface KnapsackRows {
  /** Agent i's table at tables[i * cells ...], row r at + r * width. */
  readonly tables: Float64Array;
  /** Agent i's items in table order at row i * n: job, weight, profit. */
  readonly ordJob: Int32Array;
  readonly ordW: Float64Array;
  readonly ordP: Float64Array;
  /** Row r of agent i's table is filled from capacity ordLo[i * (n + 1) + r] up. */
  readonly ordLo: Int32Array;
  /**
   * Fills rows keep + 1..count of agent i's table (width = capacity + 1; row 0 the empty
   * prefix, rows up to keep already filled): row t + 1 from capacity cap - (weight of the
   * items after t) up, that floor written to ordLo. `total`: the weight of the count items.
   * Integral weights of at most cap. Returns the cells filled.
   */
  fill(i: number, keep: number, count: number, width: number, total: number): number;
  /**
   * The plan of agent i's filled table of `count` items: from the last item down, item t is
   * taken where its row differs from the one before it at the capacity left. Writes the jobs
   * taken, in that order, to `chosen`; returns how many.
   */
  plan(i: number, count: number, width: number): number;
  readonly chosen: Int32Array;
}

const HEADER = ['tables', 'ordJob', 'ordW', 'ordP', 'ordLo', 'chosen'] as const;

type FillExport = (tab: number, w: number, p: number, lo: number, keep: number, count: number, width: number, total: number) => number;
type PlanExport = (tab: number, w: number, job: number, out: number, count: number, width: number) => number;

/** The tables and orders of m agents over n jobs, `cells` cells a table; the fill in WebAssembly when `wasm` and it runs here. */
export function knapsackRows(m: number, n: number, cells: number, wasm: boolean): KnapsackRows {
  const mod = wasm ? kernelModule() : null;
  const bytes = { tables: 8 * m * cells, ordJob: 4 * m * n, ordW: 8 * m * n, ordP: 8 * m * n, ordLo: 4 * m * (n + 1), chosen: 4 * n };
  const kernel = mod ? instantiateWasmKernel([mod], HEADER, bytes) : null;
  if (!kernel) return plainRows(m, n, cells);
  const { fill, plan } = kernel.exports[0] as { fill: FillExport; plan: PlanExport };
  const [tab, job, w, p, lo, out] = Array.from(kernel.header);
  return {
    tables: kernel.f64('tables', m * cells),
    ordJob: kernel.i32('ordJob', m * n),
    ordW: kernel.f64('ordW', m * n),
    ordP: kernel.f64('ordP', m * n),
    ordLo: kernel.i32('ordLo', m * (n + 1)),
    chosen: kernel.i32('chosen', n),
    fill: (i, keep, count, width, total) => fill(tab! + 8 * i * cells, w! + 8 * i * n, p! + 8 * i * n, lo! + 4 * i * (n + 1), keep, count, width, total),
    plan: (i, count, width) => plan(tab! + 8 * i * cells, w! + 8 * i * n, job! + 4 * i * n, out!, count, width),
  };
}

/** The TypeScript fill over plain arrays. */
function plainRows(m: number, n: number, cells: number): KnapsackRows {
  const tables = new Float64Array(m * cells);
  const ordW = new Float64Array(m * n);
  const ordP = new Float64Array(m * n);
  const ordLo = new Int32Array(m * (n + 1));
  const ordJob = new Int32Array(m * n);
  const chosen = new Int32Array(n);
  const fill = (i: number, keep: number, count: number, width: number, total: number): number => {
    const T = tables;
    const base = i * cells;
    const row = i * n;
    const lo = i * (n + 1);
    const cap = width - 1;
    let filled = 0;
    let before = 0;
    for (let t = 0; t < keep; t++) before += ordW[row + t]!;
    for (let t = keep; t < count; t++) {
      const w = ordW[row + t]!;
      const p = ordP[row + t]!;
      before += w;
      const from = Math.max(0, cap - (total - before));
      ordLo[lo + t + 1] = from;
      filled += width - from;
      const src = base + t * width;
      const dst = src + width;
      // Below w the row is the one before.
      for (let c = from; c < w; c++) T[dst + c] = T[src + c]!;
      for (let a = src + Math.max(from, w) - w, b = a + w, d = dst + Math.max(from, w), end = dst + width; d < end; a++, b++, d++) {
        const take = T[a]! + p;
        const kept = T[b]!;
        T[d] = take > kept ? take : kept;
      }
    }
    return filled;
  };
  const plan = (i: number, count: number, width: number): number => {
    const base = i * cells;
    const row = i * n;
    let c = width - 1;
    let taken = 0;
    for (let t = count - 1; t >= 0; t--) {
      if (tables[base + (t + 1) * width + c] !== tables[base + t * width + c]) {
        chosen[taken++] = ordJob[row + t]!;
        c -= ordW[row + t]!;
      }
    }
    return taken;
  };
  return { tables, ordJob, ordW, ordP, ordLo, chosen, fill, plan };
}
