import { runSteps, type Steps } from '@emplace/core';
import type { Checkpoints } from './chunks.js';

/** Eigenvalues (ascending) and unit eigenvectors (vectors[k] goes with values[k]) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array[];
}


/**
 * Full eigen-decomposition of a dense symmetric n x n matrix (row-major, or rows):
 * Householder tridiagonalisation and implicit QL (tred2 / tql2 of EISPACK, as in JAMA),
 * O(n^3), on flat Float64Arrays. Used as the exact oracle on small graphs and for the
 * Rayleigh-Ritz steps of the iterative solvers.
 */
export function symmetricEigen(a: Float64Array | number[][], n: number): SymmetricEigen {
  return runSteps(symmetricEigenSteps(a, n))!;
}

/**
 * `symmetricEigen` as steps: a checkpoint after every Householder column and every QL
 * iteration when `checkpoints` wants the event loop (each is O(n^2)). Returns undefined
 * when the run stops first (there is no partial answer).
 */
export function* symmetricEigenSteps(a: Float64Array | number[][], n: number, checkpoints?: Checkpoints): Steps<SymmetricEigen | undefined> {
  const V = new Float64Array(n * n);
  // Upper triangle mirrored: exact symmetry.
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = Array.isArray(a) ? a[i]![j]! : a[i * n + j]!;
      V[i * n + j] = x;
      V[j * n + i] = x;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: [] };
  const exponent = extremeExponent(V);
  if (exponent !== 0) scaleByPowerOfTwo(V, -exponent);
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    householderColumn(V, d, e, n, i);
    if (checkpoints?.needsYield()) {
      yield;
      if (checkpoints.shouldStop()) return undefined;
    }
  }
  for (let i = 0; i < n - 1; i++) {
    accumulateColumn(V, d, n, i);
    if (checkpoints?.needsYield()) {
      yield;
      if (checkpoints.shouldStop()) return undefined;
    }
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[n * n - 1] = 1;
  e[0] = 0;
  // QL works on eigenvectors stored as rows (contiguous rotations): Z = V^T.
  const Z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Z[j * n + i] = V[i * n + j]!;
  const ql = newQl(d, e, n);
  while (ql.l < n) {
    qlIteration(ql, Z, n);
    if (checkpoints?.needsYield()) {
      yield;
      if (checkpoints.shouldStop()) return undefined;
    }
  }
  if (exponent !== 0) scaleByPowerOfTwo(d, exponent);
  return sortedPairs(d, Z, n, n);
}

/**
 * The binary exponent of the largest |entry| when it is outside 2^-100 .. 2^100, else 0.
 * Householder norms square the entries: on a matrix of subnormal (or huge) entries they
 * underflow (overflow) and the vectors came out zero. Scaling by a power of two is exact,
 * so every other matrix is decomposed exactly as before.
 */
function extremeExponent(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]!));
  if (!(max > 0) || !Number.isFinite(max)) return 0;
  const exponent = Math.floor(Math.log2(max));
  return exponent < -100 || exponent > 100 ? exponent : 0;
}

/** x *= 2^k, as two factors (2^1074 alone overflows). */
function scaleByPowerOfTwo(x: Float64Array, k: number): void {
  const half = Math.trunc(k / 2);
  const f1 = 2 ** half;
  const f2 = 2 ** (k - half);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * f1 * f2;
}

/**
 * Eigenpairs of the symmetric tridiagonal matrix with diagonal `alpha` and off-diagonal
 * `beta` (beta[i] couples i and i + 1), by implicit QL: O(t^2) with the vectors. For the
 * Lanczos runs, where t is at most a few hundred.
 */
export function tridiagonalEigen(alpha: ArrayLike<number>, beta: ArrayLike<number>, t: number): SymmetricEigen {
  const d = new Float64Array(t);
  const e = new Float64Array(t);
  for (let i = 0; i < t; i++) d[i] = alpha[i]!;
  // tql2 expects the subdiagonal in e[1..t-1].
  for (let i = 1; i < t; i++) e[i] = beta[i - 1]!;
  const Z = new Float64Array(t * t);
  for (let i = 0; i < t; i++) Z[i * t + i] = 1;
  const ql = newQl(d, e, t);
  while (ql.l < t) qlIteration(ql, Z, t);
  return sortedPairs(d, Z, t, t);
}

/** One column of the Householder reduction (EISPACK tred2, column i, downwards). */
function householderColumn(V: Float64Array, d: Float64Array, e: Float64Array, n: number, i: number): void {
  let scale = 0;
  let h = 0;
  for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
  if (scale === 0) {
    e[i] = d[i - 1]!;
    for (let j = 0; j < i; j++) {
      d[j] = V[(i - 1) * n + j]!;
      V[i * n + j] = 0;
      V[j * n + i] = 0;
    }
    d[i] = 0;
    return;
  }
  for (let k = 0; k < i; k++) {
    d[k] = d[k]! / scale;
    h += d[k]! * d[k]!;
  }
  let f = d[i - 1]!;
  let g = Math.sqrt(h);
  if (f > 0) g = -g;
  e[i] = scale * g;
  h -= f * g;
  d[i - 1] = f - g;
  for (let j = 0; j < i; j++) e[j] = 0;
  for (let j = 0; j < i; j++) {
    f = d[j]!;
    V[j * n + i] = f;
    g = e[j]! + V[j * n + j]! * f;
    for (let k = j + 1; k <= i - 1; k++) {
      g += V[k * n + j]! * d[k]!;
      e[k] = e[k]! + V[k * n + j]! * f;
    }
    e[j] = g;
  }
  f = 0;
  for (let j = 0; j < i; j++) {
    e[j] = e[j]! / h;
    f += e[j]! * d[j]!;
  }
  const hh = f / (h + h);
  for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
  for (let j = 0; j < i; j++) {
    f = d[j]!;
    g = e[j]!;
    for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
    d[j] = V[(i - 1) * n + j]!;
    V[i * n + j] = 0;
  }
  d[i] = h;
}

/** Accumulates the Householder transformations, column i + 1 (EISPACK tred2, second part). */
function accumulateColumn(V: Float64Array, d: Float64Array, n: number, i: number): void {
  V[(n - 1) * n + i] = V[i * n + i]!;
  V[i * n + i] = 1;
  const h = d[i + 1]!;
  if (h !== 0) {
    for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
    for (let j = 0; j <= i; j++) {
      let g = 0;
      for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
      for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
    }
  }
  for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
}

/** State of the implicit QL iteration (EISPACK tql2) over the eigenvalues l = 0 .. n-1. */
interface QlState {
  d: Float64Array;
  e: Float64Array;
  l: number;
  f: number;
  tst1: number;
  iterations: number;
}

function newQl(d: Float64Array, e: Float64Array, n: number): QlState {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  return { d, e, l: 0, f: 0, tst1: 0, iterations: 0 };
}

const EPS = 2 ** -52;
/** QL iterations per eigenvalue before it is accepted as is (30 suffice in practice; NaN input would loop). */
const MAX_QL_ITERATIONS = 60;

/**
 * Eigenvalues (ascending) of the symmetric tridiagonal matrix of `tridiagonalEigen` and the
 * last component of each eigenvector, without the vectors: the QL rotations act on the
 * rows of Z, so one column of it is carried alone, O(t) per sweep instead of O(t^2). Equal
 * bit for bit to tridiagonalEigen's values and last components. What a Lanczos convergence
 * test needs (the residual bounds are beta_t times those last components).
 */
export function tridiagonalEigenvaluesLast(alpha: ArrayLike<number>, beta: ArrayLike<number>, t: number): { values: Float64Array; last: Float64Array } {
  const d = new Float64Array(t);
  const e = new Float64Array(t);
  for (let i = 0; i < t; i++) d[i] = alpha[i]!;
  for (let i = 1; i < t; i++) e[i] = beta[i - 1]!;
  // Column t - 1 of the identity: z[i] = Z[i][t - 1].
  const z = new Float64Array(t);
  if (t > 0) z[t - 1] = 1;
  const ql = newQl(d, e, t);
  while (ql.l < t) qlIteration(ql, z, t, 1);
  const sorted = sortedPairs(d, z, t, 1);
  return { values: sorted.values, last: Float64Array.from(sorted.vectors, (v) => v[0]!) };
}

/** One QL iteration on eigenvalue s.l (or its acceptance); rotations applied to the rows of Z (`width` columns each). */
function qlIteration(s: QlState, Z: Float64Array, n: number, width = n): void {
  const { d, e } = s;
  const l = s.l;
  s.tst1 = Math.max(s.tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
  let m = l;
  // Negligible against the running norm, or against its own two diagonal neighbours (the
  // relative test of LAPACK): with only the running norm, a subnormal e[l] beside d[l] = 0 was
  // kept, p = (d[l+1] - d[l]) / 2e[l] overflowed and every value came out NaN. Kept now, |p|
  // is at most 1 / 2EPS.
  while (m < n - 1 && !(Math.abs(e[m]!) <= EPS * Math.max(s.tst1, Math.abs(d[m]!) + Math.abs(d[m + 1]!)))) m++;
  if (m === l || s.iterations >= MAX_QL_ITERATIONS) {
    d[l] = d[l]! + s.f;
    e[l] = 0;
    s.l++;
    s.iterations = 0;
    return;
  }
  s.iterations++;
  let g = d[l]!;
  let p = (d[l + 1]! - g) / (2 * e[l]!);
  let r = Math.hypot(p, 1);
  if (p < 0) r = -r;
  d[l] = e[l]! / (p + r);
  d[l + 1] = e[l]! * (p + r);
  const dl1 = d[l + 1]!;
  let h = g - d[l]!;
  for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
  s.f += h;
  p = d[m]!;
  let c = 1;
  let c2 = c;
  let c3 = c;
  const el1 = e[l + 1]!;
  let sn = 0;
  let s2 = 0;
  for (let i = m - 1; i >= l; i--) {
    c3 = c2;
    c2 = c;
    s2 = sn;
    g = c * e[i]!;
    h = c * p;
    r = Math.hypot(p, e[i]!);
    e[i + 1] = sn * r;
    sn = e[i]! / r;
    c = p / r;
    p = c * d[i]! - sn * g;
    d[i + 1] = h + sn * (c * g + sn * d[i]!);
    const a = i * width;
    const b = a + width;
    for (let k = 0; k < width; k++) {
      const zh = Z[b + k]!;
      const zi = Z[a + k]!;
      Z[b + k] = sn * zi + c * zh;
      Z[a + k] = c * zi - sn * zh;
    }
  }
  p = (-sn * s2 * c3 * el1 * e[l]!) / dl1;
  e[l] = sn * p;
  d[l] = c * p;
}

/** Eigenvalues ascending with their vectors (rows of Z, length `len`). */
function sortedPairs(d: Float64Array, Z: Float64Array, n: number, len: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]! || x - y);
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const src = order[k]!;
    values[k] = d[src]!;
    vectors.push(Z.slice(src * len, src * len + len));
  }
  return { values, vectors };
}

/**
 * In-place dense Cholesky of an SPD n x n row-major matrix (lower triangle used and
 * overwritten). Returns false when a pivot is not positive.
 */
export function denseCholesky(a: Float64Array, n: number): boolean {
  return runSteps(denseCholeskySteps(a, n))!;
}

/** `denseCholesky` with a checkpoint after each column (O(n^2) each); undefined when the run stops first. */
export function* denseCholeskySteps(a: Float64Array, n: number, checkpoints?: Checkpoints): Steps<boolean | undefined> {
  for (let j = 0; j < n; j++) {
    if (!choleskyColumn(a, n, j)) return false;
    if (checkpoints?.needsYield()) {
      yield;
      if (checkpoints.shouldStop()) return undefined;
    }
  }
  return true;
}

function choleskyColumn(a: Float64Array, n: number, j: number): boolean {
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
