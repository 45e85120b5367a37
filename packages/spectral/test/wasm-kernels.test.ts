import { describe, expect, it, afterEach } from 'vitest';
import fc from 'fast-check';
import { Rng, SolveRun, createGraph, runSteps, type Graph } from '@emplace/core';
import { fiedler, laplacian, solveFiedler } from '../src/index.js';
import { abortAtRead } from '../../core/test/support/steps.js';
import { groundingNode } from '../src/shift-invert.js';
import { powerNormLowerBound } from '../src/eigensolver.js';
import { minimumDegreeSymbolicSteps, type FillBudget } from '../src/min-degree.js';
import { groundedCholeskySteps } from '../src/cholesky.js';
import { tridiagonalEigen, tridiagonalEigenvaluesLast } from '../src/dense.js';
import { tridiagonalEigenvector } from '../src/inverse-iteration.js';
import { useWasmKernels } from '../src/kernels/wasm.js';
import { kernelOrderingSteps } from '../src/kernels/ordering-kernel.js';
import { randomConnected } from './graphs.js';
import { diagonalExtremesSteps, twoNodeVectors } from '../src/two-node-start.js';

afterEach(() => useWasmKernels(true));

/** A random connected graph with a dense core (so the ordering ends on a clique, the dense block) and trees hanging off it. */
function coreAndTrees(n: number, core: number, seed: number): Graph {
  const rng = new Rng(seed);
  const e: [number, number, number][] = [];
  for (let a = 0; a < core; a++) for (let b = a + 1; b < core; b++) if (rng.next() < 0.7 || b === a + 1) e.push([a, b, 0.5 + rng.next()]);
  for (let i = core; i < n; i++) e.push([rng.int(i), i, 0.5 + rng.next()]);
  return createGraph({ n, edges: e });
}

const budgets: FillBudget[] = [
  { maxNnz: Infinity, maxFlops: Infinity, maxWork: Infinity },
  { maxNnz: 60, maxFlops: Infinity, maxWork: Infinity },
  { maxNnz: Infinity, maxFlops: 400, maxWork: Infinity },
  { maxNnz: Infinity, maxFlops: Infinity, maxWork: 150 },
];

function bothPaths<T>(f: () => T): { wasm: T; ts: T } {
  useWasmKernels(true);
  const wasm = f();
  useWasmKernels(false);
  const ts = f();
  useWasmKernels(true);
  return { wasm, ts };
}

describe('WebAssembly kernels of the factorization path (assembly/ordering.ts, assembly/cholesky.ts)', () => {
  it('the ordering gives the same permutation, pattern, counts and budget decisions as the TypeScript one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 80 }), fc.integer({ min: 0, max: 160 }), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (n, extra, seed, b, cored) => {
        const g = cored ? coreAndTrees(n, Math.min(n, 3 + (seed % 12)), seed) : randomConnected(n, extra, seed);
        const lap = laplacian(g);
        const r = groundingNode(lap);
        const { wasm, ts } = bothPaths(() => runSteps(minimumDegreeSymbolicSteps(lap, r, budgets[b]!, new SolveRun({}, 'test'))));
        expect(wasm === undefined).toBe(ts === undefined);
        // The kernel ran (null: it could not, and the TypeScript ordering answered for it).
        expect(runSteps(kernelOrderingSteps(lap, r, budgets[b]!, new SolveRun({}, 'test')))).not.toBeNull();
        if (!wasm || !ts) return;
        expect(wasm.denseStart).toBe(ts.denseStart);
        expect([wasm.nnz, wasm.flops, wasm.work]).toEqual([ts.nnz, ts.flops, ts.work]);
        expect(Array.from(wasm.perm)).toEqual(Array.from(ts.perm));
        expect(Array.from(wasm.inverse)).toEqual(Array.from(ts.inverse));
        expect(Array.from(wasm.colStart.subarray(0, ts.denseStart + 1))).toEqual(Array.from(ts.colStart.subarray(0, ts.denseStart + 1)));
        const sparse = ts.colStart[ts.denseStart]!;
        expect(Array.from(wasm.rows.subarray(0, sparse))).toEqual(Array.from(ts.rows.subarray(0, sparse)));
      }),
      { numRuns: 120 },
    );
  });

  it('the factor solves bit for bit as the TypeScript one; the products and the norm estimate too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 70 }), fc.integer({ min: 0, max: 140 }), fc.integer({ min: 1, max: 1e9 }), fc.boolean(), (n, extra, seed, cored) => {
        const g = cored ? coreAndTrees(n, Math.min(n, 3 + (seed % 15)), seed) : randomConnected(n, extra, seed);
        const lap = laplacian(g);
        const r = groundingNode(lap);
        const sym = runSteps(minimumDegreeSymbolicSteps(lap, r, budgets[0]!, new SolveRun({}, 'test')))!;
        const { wasm, ts } = bothPaths(() => runSteps(groundedCholeskySteps(lap, sym, r, new SolveRun({}, 'test')))!);
        expect(wasm.multiply).toBeDefined();
        const rng = new Rng(seed);
        const x = Float64Array.from({ length: n }, () => rng.normal());
        const mean = x.reduce((a, b) => a + b, 0) / n;
        for (let i = 0; i < n; i++) x[i] = x[i]! - mean;
        const zw = new Float64Array(n);
        const zt = new Float64Array(n);
        wasm.solve(x, zw);
        ts.solve(x, zt);
        expect(Array.from(zw)).toEqual(Array.from(zt));
        const yw = new Float64Array(n);
        const yt = new Float64Array(n);
        wasm.multiply!(x, yw);
        lap.multiply(x, yt);
        expect(Array.from(yw)).toEqual(Array.from(yt));
        expect(wasm.normLowerBound!(4)).toBe(powerNormLowerBound(lap, 4));
        let norm = 0;
        for (let i = 0; i < n; i++) norm += x[i]! * x[i]!;
        const unit = x.map((xi) => xi / Math.sqrt(norm));
        expect(wasm.rayleighResidual!(unit)).toEqual(lap.rayleighResidual(unit));
        expect(wasm.residualNorm!(unit, 0.5)).toBe(lap.residualNorm(unit, 0.5));
      }),
      { numRuns: 80 },
    );
  });

  it('fiedler through the factorization path gives the same lambda2 and vector with and without the kernels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 160 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 1e9 }), (n, extra, seed) => {
        const g = randomConnected(n, extra, seed);
        const { wasm, ts } = bothPaths(() => fiedler(g, { factorization: 'always', seed: 3 }));
        expect(wasm.method).toBe('shift-invert');
        expect(ts.method).toBe('shift-invert');
        expect(wasm.lambda2).toBe(ts.lambda2);
        expect(Array.from(wasm.vector)).toEqual(Array.from(ts.vector));
        expect(wasm.iterations).toBe(ts.iterations);
      }),
      { numRuns: 25 },
    );
  });
});

describe('tridiagonal Ritz values without the vectors (the Lanczos convergence checks)', () => {
  it('values and last components equal the full QL bit for bit; inverse iteration gives the top vector', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1e9 }), (alpha, seed) => {
        const t = alpha.length;
        const rng = new Rng(seed);
        const beta = Array.from({ length: t - 1 }, () => 0.05 + rng.next() * 2);
        const full = tridiagonalEigen(alpha, beta, t);
        const fast = tridiagonalEigenvaluesLast(alpha, beta, t);
        expect(Array.from(fast.values)).toEqual(Array.from(full.values));
        expect(Array.from(fast.last)).toEqual(full.vectors.map((v) => v[t - 1]!));
        // The largest eigenvalue is simple (beta > 0): inverse iteration finds its vector up to sign.
        const top = full.vectors[t - 1]!;
        const v = tridiagonalEigenvector(alpha, beta, t, full.values[t - 1]!);
        const sign = Math.sign(v.reduce((s, x, i) => s + x * top[i]!, 0)) || 1;
        const gap = t > 1 ? full.values[t - 1]! - full.values[t - 2]! : 1;
        for (let i = 0; i < t; i++) expect(Math.abs(sign * v[i]! - top[i]!)).toBeLessThan(1e-12 * Math.max(1, 10 / gap));
      }),
      { numRuns: 300 },
    );
  });
});

describe('abort on the factorization path (issue 13)', () => {
  it('at any checkpoint, with and without the kernels: no-solution in the setup or a vector whose quotient bounds lambda2', async () => {
    // A 100 x 100 grid: minimum degree, the factor and Lanczos each pass several checkpoints.
    const side = 100;
    const e: [number, number][] = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
      if (j + 1 < side) e.push([i * side + j, i * side + j + 1]);
      if (i + 1 < side) e.push([i * side + j, (i + 1) * side + j]);
    }
    const g = createGraph({ n: side * side, edges: e });
    const lambda2 = 2 * (1 - Math.cos(Math.PI / side));
    for (const wasm of [true, false]) {
      useWasmKernels(wasm);
      for (const after of [1, 2, 3, 5, 8, 13, 21, 34, 55]) {
        const a = abortAtRead(after);
        const r = await solveFiedler(g, { signal: a.signal });
        if (r.stoppedBy === 'converged') {
          expect(r.objective!).toBeCloseTo(lambda2, 10);
          continue;
        }
        expect(r.stoppedBy).toBe('aborted');
        if (r.status === 'no-solution') expect(r.warnings?.[0]).toMatch(/stopped \(aborted\) during/);
        else {
          expect(r.status).toBe('feasible');
          expect(r.solution!.vector.length).toBe(g.n);
          expect(r.objective!).toBeGreaterThanOrEqual(lambda2 * (1 - 1e-9));
        }
      }
    }
  });
});

describe('the stop answer prepared before a stop (DiagonalExtremes)', () => {
  it('gives the same two-node vectors and norm bound as the scan after the stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 300 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (n, extra, seed, count, normalized) => {
        const lap = laplacian(randomConnected(n, extra, seed), normalized ? 'normalized' : 'combinatorial');
        if (2 * count > n) return;
        const known = runSteps(diagonalExtremesSteps(lap, 2 * count, new SolveRun({}, 'test')))!;
        let dmax = 0;
        for (let i = 0; i < n; i++) dmax = Math.max(dmax, lap.diagonal[i]!);
        expect(known.maxDiagonal).toBe(Math.max(dmax, Number.MIN_VALUE));
        const a = twoNodeVectors(lap, count, known)!;
        const b = twoNodeVectors(lap, count)!;
        expect(Array.from(a.values)).toEqual(Array.from(b.values));
        a.vectors.forEach((v, j) => expect(Array.from(v)).toEqual(Array.from(b.vectors[j]!)));
      }),
      { numRuns: 100 },
    );
  });
});
