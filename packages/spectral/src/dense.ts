import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Eigenvalues (ascending) and unit eigenvectors (vectors[k] goes with values[k]) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array[];
}

/**
 * Full eigen-decomposition of a dense symmetric n x n matrix (row-major) with ml-matrix
 * (Householder tridiagonalisation + implicit QL, O(n^3)). Used as the exact oracle on
 * small graphs and for the Rayleigh-Ritz steps of the iterative solvers.
 */
export function symmetricEigen(a: Float64Array | number[][], n: number): SymmetricEigen {
  const rows: number[][] = [];
  if (Array.isArray(a)) for (const r of a) rows.push(r);
  else for (let i = 0; i < n; i++) rows.push(Array.from(a.subarray(i * n, i * n + n)));
  // Exact symmetry: the QL path of ml-matrix is taken only for symmetric input.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) rows[i]![j] = rows[j]![i]!;
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const vecs = evd.eigenvectorMatrix;
  const order = vals.map((_, i) => i).sort((x, y) => vals[x]! - vals[y]!);
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  order.forEach((src, k) => {
    values[k] = vals[src]!;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = vecs.get(i, src);
    vectors.push(v);
  });
  return { values, vectors };
}

/**
 * In-place dense Cholesky of an SPD n x n row-major matrix (lower triangle used and
 * overwritten). Returns false when a pivot is not positive.
 */
export function denseCholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves (L L^T) x = b in place in `b` with a factor from denseCholesky. */
export function denseCholeskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}
