import { instantiateWasmKernel, type WasmKernelInstance } from '@emplace/core';
import { kernelModule } from './knapsack-rows.js';

const HEADER = ['profit', 'weight', 'x', 'best', 'keep'] as const;
type Slot = (typeof HEADER)[number];

type DpExport = (p: number, w: number, x: number, best: number, keep: number, count: number, cap: number) => number;

/**
 * KnapsackSolver's DP in WebAssembly (assembly/gap-knapsack.ts `dp`: 39 % of the LNS's CPU on
 * D 10 x 100 in TypeScript), over an instance whose memory holds the items, the solution and
 * the DP's scratch. The memory is sized for the largest table asked so far: a larger one
 * takes a new instance of twice the size (the scratch holds nothing between calls).
 */
export class DpKernel {
  private kernel: WasmKernelInstance<Slot>;
  private profit: Float64Array;
  private weight: Float64Array;
  private x: Float64Array;
  private run: DpExport;
  private cells: number;
  private capacity: number;

  private readonly mod: WebAssembly.Module;
  private readonly maxItems: number;

  private constructor(mod: WebAssembly.Module, maxItems: number, kernel: WasmKernelInstance<Slot>, cells: number, capacity: number) {
    this.mod = mod;
    this.maxItems = maxItems;
    this.kernel = kernel;
    this.cells = cells;
    this.capacity = capacity;
    this.profit = kernel.f64('profit', maxItems);
    this.weight = kernel.f64('weight', maxItems);
    this.x = kernel.f64('x', maxItems);
    this.run = (kernel.exports[0] as { dp: DpExport }).dp;
  }

  /** A kernel for knapsacks of at most maxItems items; null where WebAssembly is off or cannot run here. */
  static create(maxItems: number): DpKernel | null {
    const mod = kernelModule();
    if (!mod) return null;
    const kernel = instantiate(mod, maxItems, 1 << 16, 1 << 12);
    return kernel ? new DpKernel(mod, maxItems, kernel, 1 << 16, 1 << 12) : null;
  }

  /** KnapsackSolver.dp, bit for bit: writes x[0..count) and returns the optimum; NaN when the table cannot be had (the caller runs the TypeScript). */
  solve(count: number, profit: Float64Array, weight: Float64Array, cap: number, x: Float64Array): number {
    const cells = count * (cap + 1);
    if (cells > this.cells || cap + 1 > this.capacity) {
      const wantCells = Math.max(cells, 2 * this.cells);
      const wantCap = Math.max(cap + 1, 2 * this.capacity);
      const kernel = instantiate(this.mod, this.maxItems, wantCells, wantCap);
      if (!kernel) return Number.NaN;
      this.kernel = kernel;
      this.cells = wantCells;
      this.capacity = wantCap;
      this.profit = kernel.f64('profit', this.maxItems);
      this.weight = kernel.f64('weight', this.maxItems);
      this.x = kernel.f64('x', this.maxItems);
      this.run = (kernel.exports[0] as { dp: DpExport }).dp;
    }
    this.profit.set(profit.subarray(0, count));
    this.weight.set(weight.subarray(0, count));
    const h = this.kernel.header;
    const value = this.run(h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, count, cap);
    x.set(this.x.subarray(0, count));
    return value;
  }
}

function instantiate(mod: WebAssembly.Module, maxItems: number, cells: number, capacity: number): WasmKernelInstance<Slot> | null {
  const items = 8 * Math.max(1, maxItems);
  return instantiateWasmKernel([mod], HEADER, { profit: items, weight: items, x: items, best: 8 * capacity, keep: cells });
}
