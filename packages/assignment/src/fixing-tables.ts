import { instantiateWasmKernel, type WasmKernelInstance } from '@emplace/core';
import { kernelModule } from './knapsack-rows.js';

const HEADER = ['weight', 'profit', 'penIn', 'penOut', 'forward', 'backward'] as const;
type Slot = (typeof HEADER)[number];

type TablesExport = (F: number, G: number, w: number, p: number, pin: number, pout: number, count: number, width: number) => void;

/**
 * GapFixing's forward and backward knapsack tables filled in WebAssembly (assembly/gap-knapsack.ts
 * `tables`: 10 % of the LNS's CPU on D 10 x 100 in TypeScript), in an instance whose memory holds
 * the items and both tables. The memory is sized for the largest tables asked so far: larger
 * ones take a new instance of twice the size (the tables are read only until the next fill).
 */
export class FixingTablesKernel {
  /** The items of the next fill (weights integral, at most width - 1), then the tables (views of the instance memory). */
  weight!: Float64Array;
  profit!: Float64Array;
  /** Per item after a fill: the rise of the optimum with it forced in / out (GapFixing.penaltiesOf). */
  penIn!: Float64Array;
  penOut!: Float64Array;
  forward!: Float64Array;
  backward!: Float64Array;
  private kernel!: WasmKernelInstance<Slot>;
  private run!: TablesExport;
  private cells = 0;
  private readonly mod: WebAssembly.Module;
  private readonly maxItems: number;

  private constructor(mod: WebAssembly.Module, maxItems: number) {
    this.mod = mod;
    this.maxItems = Math.max(1, maxItems);
  }

  /** A kernel for knapsacks of at most maxItems items; null where WebAssembly is off or cannot run here. */
  static create(maxItems: number): FixingTablesKernel | null {
    const mod = kernelModule();
    if (!mod) return null;
    const k = new FixingTablesKernel(mod, maxItems);
    return k.reserve(1 << 14) ? k : null;
  }

  /** Room for tables of `cells` cells each (the item views are kept only while the size stands); false when the memory cannot be had. */
  reserve(cells: number): boolean {
    if (cells <= this.cells) return true;
    const want = Math.max(cells, 2 * this.cells);
    const items = 8 * this.maxItems;
    const kernel = instantiateWasmKernel([this.mod], HEADER, { weight: items, profit: items, penIn: items, penOut: items, forward: 8 * want, backward: 8 * want });
    if (!kernel) return false;
    this.kernel = kernel;
    this.cells = want;
    this.weight = kernel.f64('weight', this.maxItems);
    this.profit = kernel.f64('profit', this.maxItems);
    this.penIn = kernel.f64('penIn', this.maxItems);
    this.penOut = kernel.f64('penOut', this.maxItems);
    this.forward = kernel.f64('forward', want);
    this.backward = kernel.f64('backward', want);
    this.run = (kernel.exports[0] as { tables: TablesExport }).tables;
    return true;
  }

  /** Fills both tables and the item penalties from the `count` items in weight/profit, `width` cells a row (after reserve((count + 1) * width)). */
  fill(count: number, width: number): void {
    const h = this.kernel.header;
    this.run(h[4]!, h[5]!, h[0]!, h[1]!, h[2]!, h[3]!, count, width);
  }
}
