import type { Steps } from '@emplace/core';
import type { Checkpoints } from '../chunks.js';
import type { SparseLaplacian } from '../laplacian.js';
import type { SymbolicFactor } from '../min-degree.js';
import { CHOLESKY_WASM } from './cholesky-wasm.js';
import { compileInBackground, instantiateKernel } from './wasm.js';

compileInBackground([CHOLESKY_WASM]);

/**
 * The numeric Cholesky factorization and the triangular solves of the grounded Laplacian
 * (cholesky.ts) as WebAssembly (assembly/cholesky.ts: the same arithmetic in the same
 * order, so equal values bit for bit). The factor stays in the instance's memory; `solve`
 * copies the right-hand side in and the solution out.
 */

/** Header slots, in the order of assembly/cholesky.ts's H_* byte offsets (4 bytes each). */
const HEADER = ['offsets', 'cols', 'values', 'lapDiagonal', 'perm', 'inverse', 'colStart', 'rows', 'diagonal', 'lower', 'dense', 'x', 'listHead', 'listNext', 'cursor', 'y', 'in', 'out'] as const;
type Slot = (typeof HEADER)[number];

interface CholeskyExports {
  init(size: number, denseStart: number): void;
  factorSparse(chunkWork: number): number;
  factorDense(chunkWork: number): number;
  solve(grounded: number, n: number): void;
  multiply(n: number): void;
  powerNorm(n: number, steps: number): number;
  rayleighResidual(n: number): number;
  lastRayleighValue(): number;
  residualNorm(n: number, lambda: number): number;
}

/** Multiply-adds between two checkpoints. */
const CHUNK_WORK = 1 << 18;

/** The factor in a kernel's memory: `solve` as GroundedCholesky's; the Laplacian's products too (it is in the same memory). */
export class KernelCholesky {
  constructor(
    private readonly ex: CholeskyExports,
    private readonly input: Float64Array,
    private readonly output: Float64Array,
    private readonly grounded: number,
  ) {}

  /** z = the solution of L_full z = x with z[grounded] = 0 (see GroundedCholesky.solve). */
  solve(x: Float64Array, z: Float64Array): void {
    this.input.set(x);
    this.ex.solve(this.grounded, this.input.length);
    z.set(this.output);
  }

  /** y = L x (SparseLaplacian.multiply, the same arithmetic). */
  multiply(x: Float64Array, y: Float64Array): void {
    this.input.set(x);
    this.ex.multiply(this.input.length);
    y.set(this.output);
  }

  /** lap.rayleighResidual(x) of a combinatorial Laplacian (its weights are its values), the same arithmetic. */
  rayleighResidual(x: Float64Array): { value: number; residual: number } {
    this.input.set(x);
    const residual = this.ex.rayleighResidual(this.input.length);
    return { value: this.ex.lastRayleighValue(), residual };
  }

  /** lap.residualNorm(x, lambda), the same arithmetic. */
  residualNorm(x: Float64Array, lambda: number): number {
    this.input.set(x);
    return this.ex.residualNorm(this.input.length, lambda);
  }

  /** powerNormLowerBound(lap, steps), the same arithmetic. */
  normLowerBound(steps: number): number {
    return this.ex.powerNorm(this.input.length, steps);
  }
}

/**
 * The factor by the kernel, with a checkpoint every CHUNK_WORK multiply-adds; undefined on a
 * non-positive pivot or when the run stops, null when the kernel cannot run here (the caller
 * then factors in TypeScript).
 */
export function* kernelCholeskySteps(lap: SparseLaplacian, symbolic: SymbolicFactor, grounded: number, cp: Checkpoints): Steps<KernelCholesky | undefined | null> {
  const { n, nnz } = lap;
  const { size, denseStart } = symbolic;
  const sparse = symbolic.colStart[denseStart]!;
  const r = size - denseStart;
  const sizes: Record<Slot, number> = {
    offsets: 4 * (n + 1), cols: 4 * nnz, values: 8 * nnz, lapDiagonal: 8 * n, perm: 4 * size, inverse: 4 * n, colStart: 4 * (denseStart + 1),
    rows: 4 * sparse, diagonal: 8 * denseStart, lower: 8 * sparse, dense: 8 * r * r, x: 8 * size, listHead: 4 * size, listNext: 4 * size,
    cursor: 4 * size, y: 8 * size, in: 8 * n, out: 8 * n,
  };
  const kernel = instantiateKernel(CHOLESKY_WASM, HEADER, sizes);
  if (!kernel) return null;
  const { i32, f64 } = kernel;
  i32('offsets', n + 1).set(lap.offsets);
  i32('cols', nnz).set(lap.cols);
  f64('values', nnz).set(lap.values);
  f64('lapDiagonal', n).set(lap.diagonal);
  i32('perm', size).set(symbolic.perm.subarray(0, size));
  i32('inverse', n).set(symbolic.inverse);
  i32('colStart', denseStart + 1).set(symbolic.colStart.subarray(0, denseStart + 1));
  i32('rows', sparse).set(symbolic.rows.subarray(0, sparse));
  const ex = kernel.exports as unknown as CholeskyExports;
  ex.init(size, denseStart);
  for (const step of [ex.factorSparse, ex.factorDense]) {
    for (;;) {
      const status = step(CHUNK_WORK);
      if (status === 1) break;
      if (status === -1) return undefined;
      if (cp.needsYield()) yield;
      if (cp.shouldStop()) return undefined;
    }
  }
  return new KernelCholesky(ex, f64('in', n), f64('out', n), grounded);
}
