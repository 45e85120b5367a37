import type { SolveRun, Steps } from '@emplace/core';
import { kernelCholeskySteps } from './kernels/cholesky-kernel.js';
import type { SparseLaplacian } from './laplacian.js';
import type { SymbolicFactor } from './min-degree.js';

/** What the Lanczos run needs of a factor: z with L_full z = x, z[grounded] = 0, for x orthogonal to the null vector. */
export interface PseudoInverseSolve {
  solve(x: Float64Array, z: Float64Array): void;
  /** y = L x, where the factor has its own copy of L (the WebAssembly kernel). */
  multiply?(x: Float64Array, y: Float64Array): void;
  /** powerNormLowerBound(L, steps), where the factor has its own copy of L. */
  normLowerBound?(steps: number): number;
  /** L.rayleighResidual(x) for a combinatorial L, where the factor has its own copy of L. */
  rayleighResidual?(x: Float64Array): { value: number; residual: number };
  /** L.residualNorm(x, lambda), where the factor has its own copy of L. */
  residualNorm?(x: Float64Array, lambda: number): number;
}

/**
 * A sparse Cholesky factor P A P^T = L L^T of the Laplacian with one row and column
 * removed (`grounded`), in the elimination order of a SymbolicFactor: sparse columns
 * before `symbolic.denseStart`, then a dense lower triangle (the clique the ordering ended
 * on), row-major. `solve` applies the pseudo-inverse of the whole Laplacian to a vector
 * orthogonal to its null vector.
 */
export class GroundedCholesky {
  private readonly y: Float64Array;

  constructor(
    readonly symbolic: SymbolicFactor,
    /** Diagonal of L's sparse columns. */
    readonly diagonal: Float64Array,
    /** Strictly lower entries of L's sparse columns, aligned with symbolic.rows. */
    readonly lower: Float64Array,
    /** The dense block, r x r row-major, lower triangle with its diagonal (r = size - denseStart). */
    readonly dense: Float64Array,
    readonly grounded: number,
  ) {
    this.y = new Float64Array(symbolic.size);
  }

  /**
   * z = the solution of L_full z = x with z[grounded] = 0, for x orthogonal to the null
   * vector (then every row of the full system holds, not only the kept ones). The caller
   * projects z onto the complement of the null vector to get L^+ x. Allocates nothing.
   * Each triangle sweep is its own small function: V8 optimizes each after a few calls
   * (one function holding all four loops was compiled on the stack before its later
   * loops had run, and fell back to the interpreter at every call).
   */
  solve(x: Float64Array, z: Float64Array): void {
    const { symbolic, diagonal, lower, dense, y } = this;
    const { size, perm, colStart, rows, denseStart } = symbolic;
    gather(x, perm, y, size);
    forwardSparse(y, diagonal, lower, colStart, rows, denseStart);
    forwardDense(y, dense, denseStart, size - denseStart);
    backwardDense(y, dense, denseStart, size - denseStart);
    backwardSparse(y, diagonal, lower, colStart, rows, denseStart);
    scatter(y, perm, z, size);
    z[this.grounded] = 0;
  }
}

function gather(x: Float64Array, perm: Int32Array, y: Float64Array, size: number): void {
  for (let k = 0; k < size; k++) y[k] = x[perm[k]!]!;
}

function scatter(y: Float64Array, perm: Int32Array, z: Float64Array, size: number): void {
  for (let k = 0; k < size; k++) z[perm[k]!] = y[k]!;
}

/** L y' = y over the sparse columns (column oriented: also updates the dense rows). */
function forwardSparse(y: Float64Array, diagonal: Float64Array, lower: Float64Array, colStart: Int32Array, rows: Int32Array, columns: number): void {
  for (let k = 0; k < columns; k++) {
    const yk = y[k]! / diagonal[k]!;
    y[k] = yk;
    if (yk !== 0) scatterAxpy(y, rows, lower, colStart[k]!, colStart[k + 1]!, yk);
  }
}

/**
 * x[rows[p]] -= alpha lower[p] for p in [from, to): the column update of both the numeric
 * factorization and the forward solve, one small kernel that is optimized early and once
 * (see spanDot).
 */
function scatterAxpy(x: Float64Array, rows: Int32Array, lower: Float64Array, from: number, to: number, alpha: number): void {
  for (let p = from; p < to; p++) x[rows[p]!]! -= lower[p]! * alpha;
}

/** The sum of lower[p] y[rows[p]] for p in [from, to). */
function gatherDot(lower: Float64Array, rows: Int32Array, y: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let p = from; p < to; p++) s += lower[p]! * y[rows[p]!]!;
  return s;
}

/** L^T z = y over the sparse columns (a row of L^T is a column of L). */
function backwardSparse(y: Float64Array, diagonal: Float64Array, lower: Float64Array, colStart: Int32Array, rows: Int32Array, columns: number): void {
  for (let k = columns - 1; k >= 0; k--) {
    y[k] = (y[k]! - gatherDot(lower, rows, y, colStart[k]!, colStart[k + 1]!)) / diagonal[k]!;
  }
}

/** Forward substitution with the dense block (rows are contiguous). */
function forwardDense(y: Float64Array, dense: Float64Array, at: number, r: number): void {
  for (let a = 0; a < r; a++) {
    const row = a * r;
    y[at + a] = (y[at + a]! - spanDot(dense, row, y, at, a)) / dense[row + a]!;
  }
}

/**
 * a[i .. i + length) . b[j .. j + length): the inner product of every dense-block loop
 * (factor and forward solve). One small kernel shared by both is compiled once, early
 * (a fresh process spends most of a 4,000-node solve waiting for its loops to be
 * optimized: a loop nested in a function called a few times waits for on-stack
 * replacement of the whole function).
 */
function spanDot(a: Float64Array, i: number, b: Float64Array, j: number, length: number): number {
  // Four partial sums: one chain of dependent additions waits for each add's latency
  // (about four cycles); four independent chains keep the floating-point unit busy.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (const end = length - 3; t < end; t += 4) {
    s0 += a[i + t]! * b[j + t]!;
    s1 += a[i + t + 1]! * b[j + t + 1]!;
    s2 += a[i + t + 2]! * b[j + t + 2]!;
    s3 += a[i + t + 3]! * b[j + t + 3]!;
  }
  for (; t < length; t++) s0 += a[i + t]! * b[j + t]!;
  return s0 + s1 + (s2 + s3);
}

/** Back substitution with the dense block's transpose, by rows of the block (contiguous). */
function backwardDense(y: Float64Array, dense: Float64Array, at: number, r: number): void {
  for (let a = r - 1; a >= 0; a--) {
    const row = a * r;
    const ya = y[at + a]! / dense[row + a]!;
    y[at + a] = ya;
    if (ya !== 0) spanAxpy(y, at, dense, row, a, ya);
  }
}

/** y[i .. i + length) -= alpha a[j .. j + length): a small kernel of its own (see spanDot). */
function spanAxpy(y: Float64Array, i: number, a: Float64Array, j: number, length: number, alpha: number): void {
  for (let t = 0; t < length; t++) y[i + t]! -= a[j + t]! * alpha;
}

/**
 * Numeric Cholesky on the symbolic pattern. Sparse columns left-looking: column k
 * gathers the updates of the earlier columns that have a nonzero in row k (linked lists
 * by next row, as in CSparse's up/left-looking schemes), then scales; its entries in the
 * dense block go into the block's Schur complement at once (right-looking, a rank-one
 * update). The dense block is then factored in place (row-oriented Cholesky-Crout, inner
 * products of contiguous rows). Returns undefined if a pivot is not positive (the
 * grounded Laplacian of a connected graph is positive definite; a non-positive pivot
 * means rounding has won, and the caller falls back to LOBPCG). Yields (a checkpoint)
 * whenever the run wants the event loop, and gives up when it stops.
 */
export function* groundedCholeskySteps(lap: SparseLaplacian, symbolic: SymbolicFactor, grounded: number, run: SolveRun): Steps<PseudoInverseSolve | undefined> {
  // The WebAssembly kernel (the same arithmetic) where it runs; these TypeScript loops otherwise.
  const byKernel = yield* kernelCholeskySteps(lap, symbolic, grounded, run);
  if (byKernel !== null) return byKernel;
  const state = newFactorState(lap, symbolic);
  // The hot loops live in plain functions (generators are not optimised as well), run in
  // chunks of about 2^18 multiply-adds with a checkpoint between them.
  // A chunk ends when the run wants the event loop (clock read every CHECK_WORK
  // multiply-adds), not after a fixed amount of work: in a fresh process each kernel is
  // then entered a few times instead of dozens, and V8 compiles it once (on-stack
  // replacement) instead of a second time for the next entries.
  const { denseStart, size } = symbolic;
  const pause = (): boolean => run.needsYield() || run.shouldStop();
  while (state.k < denseStart) {
    const k = factorSparseChunk(lap, symbolic, state, pause);
    if (k < 0) return undefined;
    state.k = k;
    if (k < denseStart) {
      yield;
      if (run.shouldStop()) return undefined;
    }
  }
  const r = size - denseStart;
  let j = 0;
  while (j < r) {
    j = factorDenseColumns(state.dense, r, j, pause);
    if (j < 0) return undefined;
    if (j < r) {
      yield;
      if (run.shouldStop()) return undefined;
    }
  }
  return new GroundedCholesky(symbolic, state.diagonal, state.lower, state.dense, grounded);
}

interface FactorState {
  k: number;
  diagonal: Float64Array;
  lower: Float64Array;
  /** The dense block's Schur complement, then its factor (row-major lower triangle). */
  dense: Float64Array;
  /** Dense work column. */
  x: Float64Array;
  /** listHead[i]: first column j < i whose next unprocessed entry is in row i; listNext chains them. */
  listHead: Int32Array;
  listNext: Int32Array;
  cursor: Int32Array;
}

function newFactorState(lap: SparseLaplacian, symbolic: SymbolicFactor): FactorState {
  const { size, denseStart } = symbolic;
  return {
    k: 0,
    diagonal: new Float64Array(denseStart),
    lower: new Float64Array(Math.max(0, symbolic.colStart[denseStart]!)),
    dense: denseBlock(lap, symbolic, size - denseStart),
    x: new Float64Array(size),
    listHead: new Int32Array(size).fill(-1),
    listNext: new Int32Array(size).fill(-1),
    cursor: new Int32Array(size),
  };
}

/** The Laplacian's entries among the dense block's rows (lower triangle, row-major). */
function denseBlock(lap: SparseLaplacian, symbolic: SymbolicFactor, r: number): Float64Array {
  const { perm, inverse, denseStart } = symbolic;
  const { offsets, cols, values, diagonal } = lap;
  const block = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    const v = perm[denseStart + a]!;
    block[a * r + a] = diagonal[v]!;
    for (let q = offsets[v]!, end = offsets[v + 1]!; q < end; q++) {
      const b = inverse[cols[q]!]! - denseStart;
      if (b >= 0 && b < a) block[a * r + b]! -= values[q]!;
    }
  }
  return block;
}

/** Multiply-adds between two looks at the clock in the factorization kernels. */
const CHECK_WORK = 1 << 16;

/**
 * Factors sparse columns from state.k until `pause()` (asked every CHECK_WORK
 * multiply-adds) says to stop; returns the next column, or -1 on a non-positive pivot.
 */
function factorSparseChunk(lap: SparseLaplacian, symbolic: SymbolicFactor, state: FactorState, pause: () => boolean): number {
  const { perm, inverse, colStart, rows, denseStart, size } = symbolic;
  const { offsets, cols, values, diagonal: lapDiagonal } = lap;
  const { diagonal, lower, dense, x, listHead, listNext, cursor } = state;
  const r = size - denseStart;
  let done = 0;
  let check = CHECK_WORK;
  let k = state.k;
  for (; k < denseStart; k++) {
    if (done >= check) {
      check = done + CHECK_WORK;
      if (pause()) break;
    }
    const v = perm[k]!;
    // Scatter column k of P A P^T on and below the diagonal (entries are -values).
    x[k] = lapDiagonal[v]!;
    for (let q = offsets[v]!, end = offsets[v + 1]!; q < end; q++) {
      const i = inverse[cols[q]!]!;
      if (i > k) x[i]! -= values[q]!;
    }
    // Updates from the columns j with L[k, j] != 0.
    let j = listHead[k]!;
    while (j >= 0) {
      const nextJ = listNext[j]!;
      const p0 = cursor[j]!;
      const ljk = lower[p0]!;
      x[k]! -= ljk * ljk;
      const end = colStart[j + 1]!;
      scatterAxpy(x, rows, lower, p0 + 1, end, ljk);
      done += end - p0;
      if (p0 + 1 < end && rows[p0 + 1]! < denseStart) {
        cursor[j] = p0 + 1;
        const row = rows[p0 + 1]!;
        listNext[j] = listHead[row]!;
        listHead[row] = j;
      }
      j = nextJ;
    }
    const d = x[k]!;
    x[k] = 0;
    if (!(d > 0)) return -1;
    const lkk = Math.sqrt(d);
    diagonal[k] = lkk;
    const inv = 1 / lkk;
    const start = colStart[k]!;
    const end = colStart[k + 1]!;
    let firstDense = end;
    for (let p = start; p < end; p++) {
      const i = rows[p]!;
      lower[p] = x[i]! * inv;
      x[i] = 0;
      if (i >= denseStart && firstDense === end) firstDense = p;
    }
    if (start < firstDense) {
      cursor[k] = start;
      const row = rows[start]!;
      listNext[k] = listHead[row]!;
      listHead[row] = k;
    }
    if (firstDense < end) done += schurUpdate(dense, r, denseStart, rows, lower, firstDense, end);
    done += end - start + 1;
  }
  return k;
}

/** dense -= l l^T (lower triangle) for the dense-block entries lower[from .. end) of one column. */
function schurUpdate(dense: Float64Array, r: number, at: number, rows: Int32Array, lower: Float64Array, from: number, end: number): number {
  for (let p = from; p < end; p++) {
    const row = (rows[p]! - at) * r - at;
    const lp = lower[p]!;
    for (let q = from; q <= p; q++) dense[row + rows[q]!]! -= lp * lower[q]!;
  }
  return ((end - from) * (end - from + 1)) / 2;
}

/**
 * Columns j0, j0 + 1, ... of the dense block's Cholesky-Crout factorization until
 * `pause()` (asked every CHECK_WORK multiply-adds) says to stop: L[i][j] = (A[i][j] -
 * L[i][0..j) . L[j][0..j)) / L[j][j]. Returns the next column, or -1 on a non-positive pivot.
 */
function factorDenseColumns(a: Float64Array, r: number, j0: number, pause: () => boolean): number {
  let done = 0;
  let check = CHECK_WORK;
  let j = j0;
  for (; j < r; j++) {
    if (done >= check) {
      check = done + CHECK_WORK;
      if (pause()) break;
    }
    const rj = j * r;
    const d = a[rj + j]! - spanDot(a, rj, a, rj, j);
    if (!(d > 0)) return -1;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < r; i++) {
      const ri = i * r;
      a[ri + j] = (a[ri + j]! - spanDot(a, ri, a, rj, j)) * inv;
    }
    done += (r - j) * (j + 1);
  }
  return j;
}
