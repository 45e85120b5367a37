import { instantiateWasmKernel, type WasmKernelInstance } from '@emplace/core';
import { kernelModule } from './kernels/wasm.js';

const HEADER = ['profit', 'weight', 'x', 'best', 'keep'] as const;
type Slot = (typeof HEADER)[number];

type DpExport = (p: number, w: number, x: number, best: number, keep: number, count: number, cap: number) => number;

/**
 * KnapsackSolver's DP in WebAssembly (assembly/gap-knapsack.ts `dp`: 39 % of the LNS's CPU on
 * D 10 x 100 in TypeScript), over an instance whose memory holds the items, the solution and
 * the DP's scratch. The scratch holds nothing between calls, so one instance serves every
 * solver of the process (the LNS builds solvers for each sub-problem: an instance and a memory
 * each were 2 % of its CPU, and their garbage more); it is sized for the largest knapsack so
 * far, and a larger one takes a new instance of twice the size.
 */
export class DpKernel {
  private readonly kernel: WasmKernelInstance<Slot>;
  private readonly profit: Float64Array;
  private readonly weight: Float64Array;
  private readonly x: Float64Array;
  private readonly run: DpExport;
  private readonly items: number;
  private readonly cells: number;
  private readonly capacity: number;

  private constructor(kernel: WasmKernelInstance<Slot>, items: number, cells: number, capacity: number) {
    this.kernel = kernel;
    this.items = items;
    this.cells = cells;
    this.capacity = capacity;
    this.profit = kernel.f64('profit', items);
    this.weight = kernel.f64('weight', items);
    this.x = kernel.f64('x', items);
    this.run = (kernel.exports[0] as { dp: DpExport }).dp;
  }

  /** The process's kernel, fit for count items within capacity cap; null where WebAssembly cannot run here or the memory cannot be had. */
  static fit(count: number, cap: number): DpKernel | null {
    const k = shared;
    if (k && count <= k.items && count * (cap + 1) <= k.cells && cap + 1 <= k.capacity) return k;
    const mod = kernelModule();
    if (!mod) return null;
    const items = Math.max(count, 2 * (k?.items ?? 32));
    const cells = Math.max(count * (cap + 1), 2 * (k?.cells ?? 1 << 15));
    const capacity = Math.max(cap + 1, 2 * (k?.capacity ?? 1 << 11));
    const f = 8 * items;
    const kernel = instantiateWasmKernel([mod], HEADER, { profit: f, weight: f, x: f, best: 8 * capacity, keep: cells });
    if (!kernel) return null;
    shared = new DpKernel(kernel, items, cells, capacity);
    return shared;
  }

  /** KnapsackSolver.dp, bit for bit (after fit(count, cap)): writes x[0..count) and returns the optimum. */
  solve(count: number, profit: Float64Array, weight: Float64Array, cap: number, x: Float64Array): number {
    this.profit.set(profit.subarray(0, count));
    this.weight.set(weight.subarray(0, count));
    const h = this.kernel.header;
    const value = this.run(h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, count, cap);
    x.set(this.x.subarray(0, count));
    return value;
  }
}

let shared: DpKernel | undefined;
