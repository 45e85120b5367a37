import { RATIO_KNAPSACK_WASM } from './ratio-knapsack-wasm.js';
import { compileInBackground, instantiateKernel } from './wasm.js';

compileInBackground([RATIO_KNAPSACK_WASM]);

/** Header order of assembly/ratio-knapsack.ts (slot k at byte 4 k; slots 0 and 1 are the loader's). */
const HEADER = ['S', 'C', 'profit', 'weight', 'cumW', 'cumP', 'take', 'rW', 'rP', 'rR', 'rCumW', 'rCumP', 'roomAt', 'valueAt', 'minW', 'map', 'path', 'bestPath', 'kAt', 'fix'] as const;
type Slot = (typeof HEADER)[number];

/** A RatioKnapsack's arrays over a WebAssembly instance's memory, and its search there. */
export interface RatioKnapsackKernel {
  profit: Float64Array;
  weight: Float64Array;
  cumW: Float64Array;
  cumP: Float64Array;
  take: Uint8Array;
  /** RatioKnapsack.search over the n items in the arrays, bit for bit. */
  search(n: number, room: number, start: number, budget: number): number;
  /** Depth-first nodes of the last search. */
  nodes(): number;
}

/**
 * The WebAssembly search of a knapsack of at most m items (assembly/ratio-knapsack.ts), with
 * the arrays the caller fills as views over its own memory; null where the kernels are off or
 * cannot run (the caller then searches in TypeScript).
 */
export function ratioKnapsackKernel(m: number): RatioKnapsackKernel | null {
  const f = 8 * m;
  const f1 = 8 * (m + 1);
  const sizes: Record<Slot, number> = { S: 0, C: 0, profit: f, weight: f, cumW: f1, cumP: f1, take: m, rW: f, rP: f, rR: f, rCumW: f1, rCumP: f1, roomAt: f, valueAt: f, minW: f1, map: 4 * m, path: 4 * m, bestPath: 4 * m, kAt: 4 * m, fix: m };
  const kernel = instantiateKernel([RATIO_KNAPSACK_WASM], HEADER, sizes, 0, m);
  if (!kernel) return null;
  const ex = kernel.exports[0] as { search: (n: number, room: number, start: number, budget: number) => number; nodes: () => number };
  return { profit: kernel.f64('profit', m), weight: kernel.f64('weight', m), cumW: kernel.f64('cumW', m + 1), cumP: kernel.f64('cumP', m + 1), take: kernel.u8('take', m), search: ex.search, nodes: ex.nodes };
}
