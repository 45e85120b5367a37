import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { RatioKnapsack } from '../src/sscfl-knapsack.js';

// The single-source knapsack search in WebAssembly (assembly/ratio-knapsack.ts) against
// RatioKnapsack's TypeScript search: the same operations in the same order, so the same
// profit, solution and node count bit for bit (the branch-and-bound replays either way). The
// committed bytes are checked against a fresh compile with the other kernels (wasm-kernels.test.ts).

afterEach(() => useWasmKernels(true));

function kernel(m: number, wasm: boolean): RatioKnapsack {
  useWasmKernels(wasm);
  const ks = new RatioKnapsack(m);
  useWasmKernels(true);
  return ks;
}

/** Items with integral, fractional or equal weights and ratios (ties), in ratio order. */
const items = fc.array(fc.record({ p: fc.double({ min: 0.01, max: 1000, noNaN: true }), w: fc.integer({ min: 1, max: 60 }), kind: fc.integer({ min: 0, max: 3 }) }), { minLength: 0, maxLength: 40 });

function load(ks: RatioKnapsack, raw: { p: number; w: number; kind: number }[], room: number, start: number[]): number {
  const list = raw.map(({ p, w, kind }) => (kind === 0 ? { p: w * 3, w } : kind === 1 ? { p, w: w + 0.37 } : { p, w })).sort((a, b) => b.p / b.w - a.p / a.w);
  list.forEach(({ p, w }, t) => {
    ks.profit[t] = p;
    ks.weight[t] = w;
  });
  ks.setItems(list.length);
  const greedy = ks.greedy(room);
  // A start other than the greedy one where given (the warm starts the relaxation offers).
  const x = new Uint8Array(list.length);
  let left = room;
  start.forEach((t) => {
    if (t < list.length && !x[t]) {
      x[t] = 1;
      left -= ks.weight[t]!;
    }
  });
  return Math.max(greedy, ks.offerStart(x, left));
}

describe('single-source knapsack search in WebAssembly', () => {
  it('runs where WebAssembly runs (its arrays are views over the instance memory)', () => {
    const ks = kernel(10, true);
    expect(ks.profit.buffer.byteLength).toBeGreaterThan(ks.profit.byteLength);
    expect(kernel(10, false).profit.buffer.byteLength).toBe(ks.profit.byteLength);
  });

  it('gives the TypeScript profit, solution and node count bit for bit (ties, fractional weights, warm starts, node budgets)', () => {
    fc.assert(
      fc.property(items, fc.double({ min: 0, max: 400, noNaN: true }), fc.array(fc.nat({ max: 39 }), { maxLength: 12 }), fc.constantFrom(0, 1, 7, 50, 2000), (raw, room, start, budget) => {
        const js = kernel(40, false);
        const wasm = kernel(40, true);
        const s0 = load(js, raw, room, start);
        const s1 = load(wasm, raw, room, start);
        expect(Object.is(s0, s1)).toBe(true);
        const a = js.search(room, s0, budget);
        const b = wasm.search(room, s1, budget);
        expect([Object.is(a, b), wasm.nodes]).toEqual([true, js.nodes]);
        expect(Array.from(wasm.take.subarray(0, raw.length))).toEqual(Array.from(js.take.subarray(0, raw.length)));
        // A second search on the same memory (the kernel keeps no state between searches).
        const c = js.search(room / 2, js.greedy(room / 2), budget);
        const d = wasm.search(room / 2, wasm.greedy(room / 2), budget);
        expect([Object.is(c, d), wasm.nodes]).toEqual([true, js.nodes]);
        expect(Array.from(wasm.take.subarray(0, raw.length))).toEqual(Array.from(js.take.subarray(0, raw.length)));
      }),
      { numRuns: 400 },
    );
  });
});
