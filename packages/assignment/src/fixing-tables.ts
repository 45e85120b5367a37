import { instantiateWasmKernel, type WasmKernelInstance } from '@emplace/core';
import { kernelModule } from './kernels/wasm.js';

const HEADER = ['weight', 'profit', 'penIn', 'penOut', 'forward', 'backward'] as const;
type Slot = (typeof HEADER)[number];

type TablesExport = (F: number, G: number, w: number, p: number, pin: number, pout: number, count: number, width: number) => void;

/**
 * GapFixing's forward and backward knapsack tables and item penalties in WebAssembly
 * (assembly/gap-knapsack.ts `tables`: the tables were 10 % of the LNS's CPU on D 10 x 100 in
 * TypeScript), in an instance whose memory holds the items, the penalties and both tables.
 * They are read only right after the fill (GapFixing.agent, with no checkpoint in between), so
 * one instance serves every GapFixing of the process (the LNS builds one per sub-problem); it
 * is sized for the largest tables so far, and larger ones take a new instance of twice the size.
 */
export class FixingTablesKernel {
  /** The items of the next fill (weights integral, at most width - 1), then the results (views of the instance memory). */
  readonly weight: Float64Array;
  readonly profit: Float64Array;
  /** Per item after a fill: the rise of the optimum with it forced in / out. */
  readonly penIn: Float64Array;
  readonly penOut: Float64Array;
  readonly forward: Float64Array;
  readonly backward: Float64Array;
  private readonly header: Int32Array;
  private readonly run: TablesExport;
  private readonly items: number;
  private readonly cells: number;

  private constructor(kernel: WasmKernelInstance<Slot>, items: number, cells: number) {
    this.items = items;
    this.cells = cells;
    this.header = kernel.header;
    this.weight = kernel.f64('weight', items);
    this.profit = kernel.f64('profit', items);
    this.penIn = kernel.f64('penIn', items);
    this.penOut = kernel.f64('penOut', items);
    this.forward = kernel.f64('forward', cells);
    this.backward = kernel.f64('backward', cells);
    this.run = (kernel.exports[0] as { tables: TablesExport }).tables;
  }

  /**
   * The process's kernel, fit for count items and tables of `cells` cells; null where WebAssembly
   * cannot run here, the memory cannot be had, or the tables are above MAX_SHARED_CELLS (the
   * caller's TypeScript tables then, freed with it, rather than a process-wide memory that size).
   */
  static fit(count: number, cells: number): FixingTablesKernel | null {
    const k = shared;
    if (k && count <= k.items && cells <= k.cells) return k;
    const mod = cells <= MAX_SHARED_CELLS ? kernelModule() : null;
    if (!mod) return null;
    const items = Math.max(count, 2 * (k?.items ?? 32));
    const want = Math.min(MAX_SHARED_CELLS, Math.max(cells, 2 * (k?.cells ?? 1 << 13)));
    const kernel = instantiateWasmKernel([mod], HEADER, { weight: 8 * items, profit: 8 * items, penIn: 8 * items, penOut: 8 * items, forward: 8 * want, backward: 8 * want });
    if (!kernel) return null;
    shared = new FixingTablesKernel(kernel, items, want);
    return shared;
  }

  /** Fills both tables and the item penalties from the `count` items in weight/profit, `width` cells a row (after fit(count, (count + 1) * width)). */
  fill(count: number, width: number): void {
    const h = this.header;
    this.run(h[4]!, h[5]!, h[0]!, h[1]!, h[2]!, h[3]!, count, width);
  }
}

let shared: FixingTablesKernel | undefined;

/** Cells of the largest tables the shared instance takes (8 MB each; GapFixing tables up to 8,000,000 cells otherwise). */
const MAX_SHARED_CELLS = 1 << 20;
