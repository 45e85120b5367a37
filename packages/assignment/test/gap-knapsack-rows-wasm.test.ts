import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps, wasmModule } from '@emplace/core';
import { GAP_KNAPSACK_WASM } from '../src/kernels/gap-knapsack-wasm.js';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { knapsackRows, type KnapsackRows } from '../src/knapsack-rows.js';
import { KnapsackSolver } from '../src/knapsack.js';
import { GapFixing } from '../src/gap-fixing.js';
import { GapLagrangian, gapSubgradientSteps, initialMultipliers } from '../src/gap-lagrangian.js';
import type { GapInstance } from '../src/gap-instance.js';

/** Both fills: WebAssembly (where it runs here) and TypeScript. */
function bothRows(m: number, n: number, cells: number): [KnapsackRows, KnapsackRows] {
  return [knapsackRows(m, n, cells, true), knapsackRows(m, n, cells, false)];
}

/** A random integral instance whose knapsacks are small enough for the kept tables (GapLagrangian.incremental). */
function smallInstance(m: number, n: number, seed: number): GapInstance {
  let s = seed >>> 0 || 1;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % k;
  };
  const cost = Float64Array.from({ length: m * n }, () => 1 + rand(40));
  const weight = Float64Array.from({ length: m * n }, () => 1 + rand(12));
  const capacity = Float64Array.from({ length: m }, () => 8 + rand(40));
  const feasible = Uint8Array.from({ length: m * n }, () => (rand(10) < 9 ? 1 : 0));
  return { m, n, sense: 'min', cost, weight, capacity, feasible, integral: true };
}

describe('GAP knapsack kernels in WebAssembly (knapsack-rows.ts, knapsack-dp.ts, fixing-tables.ts, assembly/gap-knapsack.ts)', () => {
  it('loads the WebAssembly fill here (else the comparisons below test nothing)', () => {
    expect(wasmModule(GAP_KNAPSACK_WASM)).not.toBeNull();
  });

  it('fills the same tables and floors, and reads the same plan, bit for bit as the TypeScript', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ w: fc.integer({ min: 1, max: 40 }), p: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true })) }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (capRaw, items, keepRaw) => {
          const n = items.length;
          const cap = Math.max(capRaw, ...items.map((it) => it.w));
          const width = cap + 1;
          const cells = (n + 1) * width;
          const pair = bothRows(2, n, cells);
          const total = items.reduce((a, it) => a + it.w, 0);
          const keep = keepRaw % (n + 1);
          const out = pair.map((r) => {
            items.forEach((it, t) => {
              r.ordJob[n + t] = 7 * t + 1;
              r.ordW[n + t] = it.w;
              r.ordP[n + t] = it.p;
            });
            r.tables.fill(0, cells, cells + width);
            // Rows up to keep first (as a kept table), then the rest on top.
            const a = r.fill(1, 0, keep, width, total);
            const b = r.fill(1, keep, n, width, total);
            const taken = r.plan(1, n, width);
            return { a, b, table: Array.from(r.tables.subarray(cells, 2 * cells)), lo: Array.from(r.ordLo.subarray(n + 1 + 1, 2 * (n + 1))), chosen: Array.from(r.chosen.subarray(0, taken)) };
          });
          expect(out[0]).toEqual(out[1]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same subgradient run (values, x, g) with and without WebAssembly', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const inst = smallInstance(3 + (seed % 4), 20 + seed, seed);
      const fixed = new Int32Array(inst.n).fill(-1);
      // Some fixings (even seeds), each within what its agent has left.
      const left = Float64Array.from(inst.capacity);
      for (let j = 0; j < inst.n && seed % 2 === 0; j += 7) {
        const i = j % inst.m;
        if (inst.weight[i * inst.n + j]! > left[i]!) continue;
        left[i]! -= inst.weight[i * inst.n + j]!;
        fixed[j] = i;
      }
      const runs = [true, false].map((on) => {
        useWasmKernels(on);
        const lag = new GapLagrangian(inst);
        useWasmKernels(true);
        const values: number[] = [];
        const xs: number[][] = [];
        const res = runSteps(
          gapSubgradientSteps(lag, initialMultipliers(inst), fixed, {
            upper: () => 1e4,
            maxIterations: 60,
            onIterate: (v) => {
              values.push(v);
              xs.push([...Array.from(lag.x), ...Array.from(lag.g)]);
            },
          }),
        );
        return { values, xs, bound: res.bound, u: Array.from(res.u) };
      });
      expect(runs[0]!.values.length, `seed ${seed}: ${runs[0]!.values.slice(0, 3).join(" ")}`).toBeGreaterThan(5);
      expect(runs[0]).toEqual(runs[1]);
    }
  });

  it('KnapsackSolver gives the same values and solutions with the WebAssembly DP as with the TypeScript one (tables that grow its memory too)', () => {
    useWasmKernels(true);
    const wasm = new KnapsackSolver(60);
    useWasmKernels(false);
    const plain = new KnapsackSolver(60);
    useWasmKernels(true);
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 1, max: 400 }), p: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true })) }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        (items, share) => {
          const n = items.length;
          const profit = Float64Array.from(items, (it) => it.p);
          const weight = Float64Array.from(items, (it) => it.w);
          const capacity = Math.floor(share * items.reduce((a, it) => a + it.w, 0));
          const out = [wasm, plain].map((k) => {
            const x = new Float64Array(n);
            const r = k.solve(n, profit, weight, capacity, true, x);
            return { ...r, x: Array.from(x) };
          });
          expect(out[0]).toEqual(out[1]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GapFixing makes the same penalties, disallowances and fixings with the WebAssembly tables as with the TypeScript ones', () => {
    for (let seed = 1; seed <= 16; seed++) {
      const inst = smallInstance(2 + (seed % 5), 10 + 3 * seed, 100 + seed);
      const fixed0 = new Int32Array(inst.n).fill(-1);
      useWasmKernels(false);
      const lag = new GapLagrangian(inst);
      useWasmKernels(true);
      const u = initialMultipliers(inst);
      for (let j = 0; j < inst.n; j++) u[j]! += (j % 5) - 1;
      const bound = lag.evaluate(u, fixed0);
      const runs = [true, false].map((on) => {
        useWasmKernels(on);
        const fixing = new GapFixing(inst);
        useWasmKernels(true);
        const fixed = Int32Array.from(fixed0);
        const disallow = new Uint8Array(inst.m * inst.n);
        const events: number[] = [];
        // Two passes at two cutoffs: the second keeps the tables of the agents the first left alone.
        const c1 = fixing.pass(u, bound, bound + 3 + (seed % 7), fixed, disallow, (k) => events.push(k), (j, i) => events.push(-1 - j, i));
        const c2 = fixing.pass(u, bound, bound + 1, fixed, disallow, (k) => events.push(k), (j, i) => events.push(-1 - j, i));
        return { c1, c2, events, fixed: Array.from(fixed), disallow: Array.from(disallow), penIn: Array.from(fixing.penIn), penOut: Array.from(fixing.penOut) };
      });
      expect(runs[0]!.events.length + runs[0]!.penIn.filter((v) => v > 0).length).toBeGreaterThan(0);
      expect(runs[0]).toEqual(runs[1]);
    }
  });
});
