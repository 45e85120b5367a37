import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution, Rng } from '@emplace/core';
import { solveCfl } from '@emplace/facility';
import { readOrlibCap } from '@emplace/io';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { SmallTransport } from '../src/cfl-small-transport.js';
import { TransportKernel } from '../src/kernels/transport-kernel.js';
import { unitCostsByClient } from '../src/transportation.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { build, specArb, type Spec } from './helpers.js';

// The WebAssembly kernels (assembly/*.ts, src/kernels/) against the TypeScript ones of
// lagrangian.ts and transportation.ts: the same operations in the same order, so equal bit for bit.

const pkg = resolve(import.meta.dirname, '..');
const ascInstalled = existsSync(resolve(pkg, 'node_modules/assemblyscript/package.json'));

afterEach(() => useWasmKernels(true));

function relaxation(pr: FacilityProblem, wasm: boolean): LagrangianRelaxation {
  useWasmKernels(wasm);
  const lr = new LagrangianRelaxation(pr);
  useWasmKernels(true);
  return lr;
}

/** Exact equality, NaN and -0 included (toEqual would let 0 and -0 pass). */
function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) expect([k, a[k]]).toEqual([k, b[k]]);
}

/** The small search's counters of a result (undefined where it did not run). */
function searchWork(stats: Record<string, unknown> | undefined): unknown[] {
  return ['nodes', 'iterations', 'fixedAtRoot', 'transportations'].map((k) => stats?.[k]);
}

/** Multipliers around the costs (many clients wanted by several sites, so capacities bind), with repeats for ties. */
function multipliers(pr: FacilityProblem, rng: Rng): Float64Array {
  const v = new Float64Array(pr.nClients);
  for (let j = 0; j < pr.nClients; j++) {
    const i = rng.int(pr.nSites);
    const c = pr.c[i * pr.nClients + j]!;
    v[j] = (Number.isFinite(c) ? c : 30) + (rng.int(3) === 0 ? rng.int(40) : rng.uniform(-5, 40));
  }
  return v;
}

function transport(pr: FacilityProblem, wasm: boolean): SmallTransport {
  useWasmKernels(wasm);
  const t = new SmallTransport(pr);
  useWasmKernels(true);
  return t;
}

describe('WebAssembly kernels', () => {
  it.skipIf(!ascInstalled)('the committed modules equal a fresh compile of assembly/*.ts', () => {
    // Throws (exit 1) when src/kernels/*-wasm.ts is stale.
    execFileSync(process.execPath, [resolve(pkg, 'scripts/build-kernels.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('are in use where WebAssembly runs', () => {
    const pr = prepareProblem(build({ nS: 2, nC: 2, cost: [1, 2, 3, 4], f: [1, 1], demand: [1, 1], capacity: [2, 2], mustOpen: [false, false], forbidden: [false, false] }), 'cfl');
    if (pr.kind !== 'ok') throw new Error('not ok');
    const lr = new LagrangianRelaxation(pr.problem);
    // The relaxation's arrays are views over the instance's memory (not their own buffers).
    expect(lr.rho.buffer.byteLength).toBeGreaterThan(lr.rho.byteLength);
    expect(relaxation(pr.problem, false).rho.buffer.byteLength).toBe(lr.rho.byteLength);
  });

  it('the cost order, evaluate, forcedBound and siteCosts give the TypeScript values bit for bit (random instances, fixings, zero demands, ties, equal capacities)', () => {
    fc.assert(
      fc.property(specArb(12, 16, { allowed: true, flags: true }), fc.integer({ min: 1, max: 1e6 }), (spec: Spec, seed) => {
        // Every other instance with equal capacities (the cover knapsack's other branch).
        const capacity = seed % 2 ? spec.capacity : spec.capacity.map(() => spec.capacity[0]!);
        const prep = prepareProblem(build({ ...spec, capacity }), 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const js = relaxation(pr, false);
        const wasm = relaxation(pr, true);
        // Each client's sites in cost order (sorted by the kernel), ties by site.
        const orderJs = js.costOrder();
        const orderWasm = wasm.costOrder();
        expectSameBits(orderWasm.order, orderJs.order);
        expectSameBits(orderWasm.sortedCost, orderJs.sortedCost);
        const rng = new Rng(seed);
        for (let round = 0; round < 4; round++) {
          const v = multipliers(pr, rng);
          const fixed = new Int8Array(pr.nSites);
          for (let i = 0; i < pr.nSites; i++) fixed[i] = pr.forbidden[i] ? 0 : rng.int(4) - 1 > 0 ? -1 : rng.int(4) - 1;
          const a = js.evaluate(v, fixed);
          const b = wasm.evaluate(v, fixed);
          expect(Object.is(a, b)).toBe(true);
          expectSameBits(wasm.rho, js.rho);
          expectSameBits(wasm.sel, js.sel);
          if (a !== Infinity) {
            expectSameBits(wasm.g, js.g);
            for (let i = 0; i < pr.nSites; i++) {
              if (fixed[i] !== -1) continue;
              for (const value of [0, 1] as const) expect(Object.is(wasm.forcedBound(a, i, value, fixed), js.forcedBound(a, i, value, fixed))).toBe(true);
            }
            expectSameBits(wasm.rho, js.rho);
            expectSameBits(wasm.sel, js.sel);
          }
          const outJs = new Float64Array(pr.nSites);
          const outWasm = new Float64Array(pr.nSites);
          expect(Object.is(js.siteCosts(v, outJs), wasm.siteCosts(v, outWasm))).toBe(true);
          expectSameBits(outWasm, outJs);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the small search transportation gives the TypeScript values, shares and duals bit for bit (random open sets and thresholds)', () => {
    let augmentations = 0;
    fc.assert(
      fc.property(specArb(10, 16, { allowed: true }), fc.integer({ min: 1, max: 1e6 }), (spec: Spec, seed) => {
        const prep = prepareProblem(build(spec), 'cfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const js = transport(pr, false);
        const wasm = transport(pr, true);
        // The kernel's own unit costs (forbidden pairs, zero demands) are unitCostsByClient's.
        expectSameBits(TransportKernel.create(pr)!.views.uT, unitCostsByClient(pr));
        const rng = new Rng(seed);
        for (let round = 0; round < 5; round++) {
          const open = new Uint8Array(pr.nSites);
          for (let i = 0; i < pr.nSites; i++) open[i] = rng.int(3) > 0 ? 1 : 0;
          const threshold = rng.int(3) === 0 ? Infinity : rng.uniform(0, 2000);
          const a = js.solve(open, threshold);
          const b = wasm.solve(open, threshold);
          expect(Object.is(a, b)).toBe(true);
          expect([wasm.augmentations, wasm.earlyExits]).toEqual([js.augmentations, js.earlyExits]);
          augmentations = Math.max(augmentations, js.augmentations);
          if (Number.isFinite(a) && a < threshold) {
            expect(wasm.flows()).toEqual(js.flows());
            const vJs = new Float64Array(pr.nClients);
            const vWasm = new Float64Array(pr.nClients);
            js.clientMultipliers(vJs);
            wasm.clientMultipliers(vWasm);
            expectSameBits(vWasm, vJs);
          }
        }
      }),
      { numRuns: 300 },
    );
    // The instances had binding capacities: paths were augmented.
    expect(augmentations).toBeGreaterThan(0);
  });

  it('the small-CFL solve gives the same result with and without them (random instances)', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(9, 14, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        useWasmKernels(false);
        const js = await solveCfl(m);
        useWasmKernels(true);
        const wasm = await solveCfl(m);
        expect(wasm.status).toBe(js.status);
        if (hasSolution(js) && hasSolution(wasm)) {
          expect(wasm.objective).toBe(js.objective);
          expect(wasm.bound).toBe(js.bound);
          expect(wasm.solution.flows).toEqual(js.solution.flows);
        }
        // The search's work too: the WebAssembly ascent takes the same steps.
        expect(searchWork(wasm.stats)).toEqual(searchWork(js.stats));
      }),
      { numRuns: 60 },
    );
  });

  const capDir = process.env.EMPLACE_INSTANCES ? resolve(process.env.EMPLACE_INSTANCES, 'cflp') : resolve(pkg, '../../../shared/instances/cflp');
  it.skipIf(!existsSync(resolve(capDir, 'optima.json')))('solve every OR-Library cap file (16-50 x 50) to its optimum, with the same counters as without them', async () => {
    const optima = JSON.parse(readFileSync(resolve(capDir, 'optima.json'), 'utf8')) as Record<string, { value: number; file: string }>;
    const names = Object.keys(optima).filter((n) => /^cap\d+$/.test(n) && Number(n.slice(3)) < 140);
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const { model } = readOrlibCap(readFileSync(resolve(capDir, optima[name]!.file), 'utf8'));
      useWasmKernels(false);
      const js = await solveCfl(model);
      useWasmKernels(true);
      const wasm = await solveCfl(model);
      expect([name, wasm.status]).toEqual([name, 'optimal']);
      if (!hasSolution(wasm) || !hasSolution(js)) throw new Error(name);
      expect(Math.abs(wasm.objective - optima[name]!.value)).toBeLessThanOrEqual(1e-6 * optima[name]!.value);
      expect(wasm.objective).toBe(js.objective);
      // The ascent, fixing and pricing (assembly/ascent.ts) make the same moves as the TypeScript ones.
      expect([name, ...searchWork(wasm.stats)]).toEqual([name, ...searchWork(js.stats)]);
    }
  });
});
