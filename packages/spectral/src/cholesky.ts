import type { SolveRun, Steps } from '@emplace/core';
import type { SparseLaplacian } from './laplacian.js';
import type { SymbolicFactor } from './min-degree.js';

/**
 * A sparse Cholesky factor P A P^T = L L^T of the Laplacian with one row and column
 * removed (`grounded`), in the elimination order of a SymbolicFactor. `solve` applies
 * the pseudo-inverse of the whole Laplacian to a vector orthogonal to its null vector.
 */
export class GroundedCholesky {
  private readonly y: Float64Array;

  constructor(
    readonly symbolic: SymbolicFactor,
    /** Diagonal of L. */
    readonly diagonal: Float64Array,
    /** Strictly lower entries of L, aligned with symbolic.rows. */
    readonly lower: Float64Array,
    readonly grounded: number,
  ) {
    this.y = new Float64Array(symbolic.size);
  }

  /**
   * z = the solution of L_full z = x with z[grounded] = 0, for x orthogonal to the null
   * vector (then every row of the full system holds, not only the kept ones). The caller
   * projects z onto the complement of the null vector to get L^+ x. Allocates nothing.
   */
  solve(x: Float64Array, z: Float64Array): void {
    const { symbolic, diagonal, lower, y } = this;
    const { size, perm, colStart, rows } = symbolic;
    for (let k = 0; k < size; k++) y[k] = x[perm[k]!]!;
    // Forward: L y' = y (column oriented).
    for (let k = 0; k < size; k++) {
      const yk = y[k]! / diagonal[k]!;
      y[k] = yk;
      if (yk !== 0) for (let p = colStart[k]!, end = colStart[k + 1]!; p < end; p++) y[rows[p]!]! -= lower[p]! * yk;
    }
    // Backward: L^T z = y' (row of L^T = column of L).
    for (let k = size - 1; k >= 0; k--) {
      let s = y[k]!;
      for (let p = colStart[k]!, end = colStart[k + 1]!; p < end; p++) s -= lower[p]! * y[rows[p]!]!;
      y[k] = s / diagonal[k]!;
    }
    for (let k = 0; k < size; k++) z[perm[k]!] = y[k]!;
    z[this.grounded] = 0;
  }
}

/**
 * Left-looking numeric Cholesky on the symbolic pattern: column k gathers the updates of
 * the earlier columns that have a nonzero in row k (linked lists by next row, as in
 * CSparse's up/left-looking schemes), then scales. Returns undefined if a pivot is not
 * positive (the grounded Laplacian of a connected graph is positive definite; a
 * non-positive pivot means rounding has won, and the caller falls back to LOBPCG).
 * Yields (a checkpoint) whenever the run wants the event loop, and gives up when it stops.
 */
export function* groundedCholeskySteps(lap: SparseLaplacian, symbolic: SymbolicFactor, grounded: number, run: SolveRun): Steps<GroundedCholesky | undefined> {
  const state = newFactorState(symbolic);
  // The hot loop lives in a plain function (generators are not optimised as well), run in
  // chunks of about 2^18 multiply-adds with a checkpoint between them.
  while (state.k < symbolic.size) {
    if (!factorChunk(lap, symbolic, state, 1 << 18)) return undefined;
    if (state.k < symbolic.size) {
      if (run.needsYield()) yield;
      if (run.shouldStop()) return undefined;
    }
  }
  return new GroundedCholesky(symbolic, state.diagonal, state.lower, grounded);
}

interface FactorState {
  k: number;
  diagonal: Float64Array;
  lower: Float64Array;
  /** Dense work column. */
  x: Float64Array;
  /** listHead[i]: first column j < i whose next unprocessed entry is in row i; listNext chains them. */
  listHead: Int32Array;
  listNext: Int32Array;
  cursor: Int32Array;
}

function newFactorState(symbolic: SymbolicFactor): FactorState {
  const size = symbolic.size;
  return {
    k: 0,
    diagonal: new Float64Array(size),
    lower: new Float64Array(symbolic.nnz),
    x: new Float64Array(size),
    listHead: new Int32Array(size).fill(-1),
    listNext: new Int32Array(size).fill(-1),
    cursor: new Int32Array(size),
  };
}

/** Factors columns from state.k until about `work` multiply-adds are done; false on a non-positive pivot. */
function factorChunk(lap: SparseLaplacian, symbolic: SymbolicFactor, state: FactorState, work: number): boolean {
  const { size, perm, inverse, colStart, rows } = symbolic;
  const { offsets, cols, values, diagonal: lapDiagonal } = lap;
  const { diagonal, lower, x, listHead, listNext, cursor } = state;
  let done = 0;
  let k = state.k;
  for (; k < size && done < work; k++) {
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
      for (let p = p0 + 1; p < end; p++) x[rows[p]!]! -= lower[p]! * ljk;
      done += end - p0;
      if (p0 + 1 < end) {
        cursor[j] = p0 + 1;
        const r = rows[p0 + 1]!;
        listNext[j] = listHead[r]!;
        listHead[r] = j;
      }
      j = nextJ;
    }
    const d = x[k]!;
    x[k] = 0;
    if (!(d > 0)) return false;
    const lkk = Math.sqrt(d);
    diagonal[k] = lkk;
    const inv = 1 / lkk;
    const start = colStart[k]!;
    const end = colStart[k + 1]!;
    for (let p = start; p < end; p++) {
      const i = rows[p]!;
      lower[p] = x[i]! * inv;
      x[i] = 0;
    }
    if (start < end) {
      cursor[k] = start;
      const r = rows[start]!;
      listNext[k] = listHead[r]!;
      listHead[r] = k;
    }
    done += end - start + 1;
  }
  state.k = k;
  return true;
}
