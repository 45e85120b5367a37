// The numeric Cholesky factorization of a grounded Laplacian and its triangular solves
// (packages/spectral/src/cholesky.ts: denseBlock, factorSparseChunk, schurUpdate,
// factorDenseColumns, GroundedCholesky.solve) as WebAssembly, compiled by AssemblyScript
// (packages/facility/scripts/build-kernels.mjs). The same arithmetic in the same order as
// the TypeScript: equal values bit for bit. Why: see assembly/ordering.ts.
//
// Memory: the caller (src/kernels/cholesky-kernel.ts) lays the arrays out and writes their
// byte offsets into the header below. No allocation here.

// Header slots (i32 at byte 4 * slot); keep in step with HEADER in src/kernels/cholesky-kernel.ts.
const H_OFFSETS: i32 = 0; // i32[n + 1] Laplacian rows
const H_COLS: i32 = 4; // i32[nnz]
const H_VALUES: i32 = 8; // f64[nnz]
const H_LAP_DIAGONAL: i32 = 12; // f64[n]
const H_PERM: i32 = 16; // i32[size]
const H_INVERSE: i32 = 20; // i32[n]
const H_COL_START: i32 = 24; // i32[denseStart + 1]
const H_ROWS: i32 = 28; // i32[sparse nnz]
const H_DIAGONAL: i32 = 32; // f64[denseStart]
const H_LOWER: i32 = 36; // f64[sparse nnz]
const H_DENSE: i32 = 40; // f64[r * r]
const H_X: i32 = 44; // f64[size]
const H_LIST_HEAD: i32 = 48; // i32[size]
const H_LIST_NEXT: i32 = 52; // i32[size]
const H_CURSOR: i32 = 56; // i32[size]
const H_Y: i32 = 60; // f64[size]
const H_IN: i32 = 64; // f64[n] the right-hand side of solve
const H_OUT: i32 = 68; // f64[n] its solution

@inline function hp(slot: i32): usize {
  return <usize>load<i32>(<usize>slot);
}
@inline function at(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
@inline function put(base: usize, k: i32, x: i32): void {
  store<i32>(base + (<usize>k << 2), x);
}
@inline function f(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}
@inline function setF(base: usize, k: i32, x: f64): void {
  store<f64>(base + (<usize>k << 3), x);
}

let OFFSETS: usize = 0;
let COLS: usize = 0;
let VALUES: usize = 0;
let LAP_DIAGONAL: usize = 0;
let PERM: usize = 0;
let INVERSE: usize = 0;
let COL_START: usize = 0;
let ROWS: usize = 0;
let DIAGONAL: usize = 0;
let LOWER: usize = 0;
let DENSE: usize = 0;
let X: usize = 0;
let LIST_HEAD: usize = 0;
let LIST_NEXT: usize = 0;
let CURSOR: usize = 0;
let Y: usize = 0;

let size: i32 = 0;
let denseStart: i32 = 0;
let r: i32 = 0;
let k: i32 = 0;
let j: i32 = 0;

/** Reads the layout, fills the dense block with the Laplacian's entries among its rows (denseBlock) and empties the row lists. */
export function init(rows: i32, sparseColumns: i32): void {
  OFFSETS = hp(H_OFFSETS);
  COLS = hp(H_COLS);
  VALUES = hp(H_VALUES);
  LAP_DIAGONAL = hp(H_LAP_DIAGONAL);
  PERM = hp(H_PERM);
  INVERSE = hp(H_INVERSE);
  COL_START = hp(H_COL_START);
  ROWS = hp(H_ROWS);
  DIAGONAL = hp(H_DIAGONAL);
  LOWER = hp(H_LOWER);
  DENSE = hp(H_DENSE);
  X = hp(H_X);
  LIST_HEAD = hp(H_LIST_HEAD);
  LIST_NEXT = hp(H_LIST_NEXT);
  CURSOR = hp(H_CURSOR);
  Y = hp(H_Y);
  size = rows;
  denseStart = sparseColumns;
  r = size - denseStart;
  k = 0;
  j = 0;
  for (let i: i32 = 0; i < size; i++) {
    put(LIST_HEAD, i, -1);
    put(LIST_NEXT, i, -1);
  }
  for (let a: i32 = 0; a < r; a++) {
    const v = at(PERM, denseStart + a);
    setF(DENSE, a * r + a, f(LAP_DIAGONAL, v));
    for (let q = at(OFFSETS, v), end = at(OFFSETS, v + 1); q < end; q++) {
      const b = at(INVERSE, at(COLS, q)) - denseStart;
      if (b >= 0 && b < a) setF(DENSE, a * r + b, f(DENSE, a * r + b) - f(VALUES, q));
    }
  }
}

@inline function scatterAxpy(x: usize, from: i32, to: i32, alpha: f64): void {
  for (let p = from; p < to; p++) {
    const i = at(ROWS, p);
    setF(x, i, f(x, i) - f(LOWER, p) * alpha);
  }
}

/**
 * Sparse columns from the current one on (factorSparseChunk) until `chunkWork`
 * multiply-adds are done: 1 when the sparse columns are complete, 0 when paused, -1 on a
 * non-positive pivot.
 */
export function factorSparse(chunkWork: f64): i32 {
  let done: f64 = 0;
  for (; k < denseStart; k++) {
    if (done >= chunkWork) return 0;
    const v = at(PERM, k);
    setF(X, k, f(LAP_DIAGONAL, v));
    for (let q = at(OFFSETS, v), end = at(OFFSETS, v + 1); q < end; q++) {
      const i = at(INVERSE, at(COLS, q));
      if (i > k) setF(X, i, f(X, i) - f(VALUES, q));
    }
    let c = at(LIST_HEAD, k);
    while (c >= 0) {
      const nextC = at(LIST_NEXT, c);
      const p0 = at(CURSOR, c);
      const lck = f(LOWER, p0);
      setF(X, k, f(X, k) - lck * lck);
      const end = at(COL_START, c + 1);
      scatterAxpy(X, p0 + 1, end, lck);
      done += <f64>(end - p0);
      if (p0 + 1 < end && at(ROWS, p0 + 1) < denseStart) {
        put(CURSOR, c, p0 + 1);
        const row = at(ROWS, p0 + 1);
        put(LIST_NEXT, c, at(LIST_HEAD, row));
        put(LIST_HEAD, row, c);
      }
      c = nextC;
    }
    const d = f(X, k);
    setF(X, k, 0);
    if (!(d > 0)) return -1;
    const lkk = Math.sqrt(d);
    setF(DIAGONAL, k, lkk);
    const inv = 1 / lkk;
    const start = at(COL_START, k);
    const end = at(COL_START, k + 1);
    let firstDense = end;
    for (let p = start; p < end; p++) {
      const i = at(ROWS, p);
      setF(LOWER, p, f(X, i) * inv);
      setF(X, i, 0);
      if (i >= denseStart && firstDense == end) firstDense = p;
    }
    if (start < firstDense) {
      put(CURSOR, k, start);
      const row = at(ROWS, start);
      put(LIST_NEXT, k, at(LIST_HEAD, row));
      put(LIST_HEAD, row, k);
    }
    if (firstDense < end) done += schurUpdate(firstDense, end);
    done += <f64>(end - start + 1);
  }
  return 1;
}

function schurUpdate(from: i32, end: i32): f64 {
  for (let p = from; p < end; p++) {
    const row = (at(ROWS, p) - denseStart) * r - denseStart;
    const lp = f(LOWER, p);
    for (let q = from; q <= p; q++) {
      const c = row + at(ROWS, q);
      setF(DENSE, c, f(DENSE, c) - lp * f(LOWER, q));
    }
  }
  const w = <f64>(end - from);
  return (w * (w + 1)) / 2;
}

/** a[i .. i + length) . b[j .. j + length) with four partial sums (cholesky.ts spanDot). */
function spanDot(a: usize, i: i32, b: usize, jb: i32, length: i32): f64 {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let s2: f64 = 0;
  let s3: f64 = 0;
  let t: i32 = 0;
  for (const end = length - 3; t < end; t += 4) {
    s0 += f(a, i + t) * f(b, jb + t);
    s1 += f(a, i + t + 1) * f(b, jb + t + 1);
    s2 += f(a, i + t + 2) * f(b, jb + t + 2);
    s3 += f(a, i + t + 3) * f(b, jb + t + 3);
  }
  for (; t < length; t++) s0 += f(a, i + t) * f(b, jb + t);
  return s0 + s1 + (s2 + s3);
}

/** Columns of the dense block (factorDenseColumns) until `chunkWork` multiply-adds are done: 1 when complete, 0 when paused, -1 on a non-positive pivot. */
export function factorDense(chunkWork: f64): i32 {
  let done: f64 = 0;
  for (; j < r; j++) {
    if (done >= chunkWork) return 0;
    const rj = j * r;
    const d = f(DENSE, rj + j) - spanDot(DENSE, rj, DENSE, rj, j);
    if (!(d > 0)) return -1;
    const ljj = Math.sqrt(d);
    setF(DENSE, rj + j, ljj);
    const inv = 1 / ljj;
    for (let i = j + 1; i < r; i++) {
      const ri = i * r;
      setF(DENSE, ri + j, (f(DENSE, ri + j) - spanDot(DENSE, ri, DENSE, rj, j)) * inv);
    }
    done += <f64>(r - j) * <f64>(j + 1);
  }
  return 1;
}

/** OUT = the solution of L_full z = IN with z[grounded] = 0 (GroundedCholesky.solve); n is the Laplacian's order. */
export function solve(grounded: i32, n: i32): void {
  const input = hp(H_IN);
  const out = hp(H_OUT);
  for (let t: i32 = 0; t < size; t++) setF(Y, t, f(input, at(PERM, t)));
  for (let c: i32 = 0; c < denseStart; c++) {
    const yc = f(Y, c) / f(DIAGONAL, c);
    setF(Y, c, yc);
    if (yc != 0) scatterAxpy(Y, at(COL_START, c), at(COL_START, c + 1), yc);
  }
  for (let a: i32 = 0; a < r; a++) {
    const row = a * r;
    setF(Y, denseStart + a, (f(Y, denseStart + a) - spanDot(DENSE, row, Y, denseStart, a)) / f(DENSE, row + a));
  }
  for (let a = r - 1; a >= 0; a--) {
    const row = a * r;
    const ya = f(Y, denseStart + a) / f(DENSE, row + a);
    setF(Y, denseStart + a, ya);
    if (ya != 0) {
      for (let t: i32 = 0; t < a; t++) setF(Y, denseStart + t, f(Y, denseStart + t) - f(DENSE, row + t) * ya);
    }
  }
  for (let c = denseStart - 1; c >= 0; c--) {
    let s: f64 = 0;
    for (let p = at(COL_START, c), end = at(COL_START, c + 1); p < end; p++) s += f(LOWER, p) * f(Y, at(ROWS, p));
    setF(Y, c, (f(Y, c) - s) / f(DIAGONAL, c));
  }
  for (let t: i32 = 0; t < size; t++) setF(out, at(PERM, t), f(Y, t));
  if (grounded >= 0 && grounded < n) setF(out, grounded, 0);
}

/** y = L x over the Laplacian in memory (SparseLaplacian.multiplyRows). */
function multiplyInto(x: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    let s = f(LAP_DIAGONAL, i) * f(x, i);
    for (let q = at(OFFSETS, i), end = at(OFFSETS, i + 1); q < end; q++) s -= f(VALUES, q) * f(x, at(COLS, q));
    setF(y, i, s);
  }
}

/** OUT = L IN. */
export function multiply(n: i32): void {
  multiplyInto(hp(H_IN), hp(H_OUT), n);
}

function dot(a: usize, b: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i: i32 = 0; i < n; i++) s += f(a, i) * f(b, i);
  return s;
}

/** A lower estimate of ||L||_2 by `steps` power steps from a row of largest diagonal entry (eigensolver.ts powerNormLowerBound); IN and OUT are its work vectors. */
export function powerNorm(n: i32, steps: i32): f64 {
  let u: i32 = 0;
  for (let i: i32 = 1; i < n; i++) if (f(LAP_DIAGONAL, i) > f(LAP_DIAGONAL, u)) u = i;
  let x = hp(H_IN);
  let y = hp(H_OUT);
  memory.fill(x, 0, <usize>n << 3);
  setF(x, u, 1);
  let best = f(LAP_DIAGONAL, u);
  for (let k: i32 = 0; k < steps; k++) {
    multiplyInto(x, y, n);
    best = max(best, dot(x, y, n));
    const s = Math.sqrt(dot(y, y, n));
    if (!(s > 0)) break;
    for (let i: i32 = 0; i < n; i++) setF(y, i, f(y, i) / s);
    const t = x;
    x = y;
    y = t;
  }
  return max(best, 5e-324);
}

let rayleighValue: f64 = 0;

/** The quotient of the last rayleighResidual. */
export function lastRayleighValue(): f64 {
  return rayleighValue;
}

/**
 * The Rayleigh quotient of the unit vector IN (into lastRayleighValue) and its residual
 * ||L x - value x|| in one pass (SparseLaplacian.rayleighResidual, combinatorial kind: the
 * weights are the values); OUT is the work vector.
 */
export function rayleighResidual(n: i32): f64 {
  const x = hp(H_IN);
  const work = hp(H_OUT);
  let q: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const xi = f(x, i);
    let y = f(LAP_DIAGONAL, i) * xi;
    for (let k = at(OFFSETS, i), end = at(OFFSETS, i + 1); k < end; k++) {
      const c = at(COLS, k);
      const xj = f(x, c);
      y -= f(VALUES, k) * xj;
      if (c > i) {
        const d = xi - xj;
        q += f(VALUES, k) * d * d;
      }
    }
    setF(work, i, y);
  }
  let r: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const t = f(work, i) - q * f(x, i);
    r += t * t;
  }
  rayleighValue = q;
  return Math.sqrt(r);
}

/** ||L x - lambda x|| for x = IN (SparseLaplacian.residualNorm); OUT is the work vector. */
export function residualNorm(n: i32, lambda: f64): f64 {
  const x = hp(H_IN);
  const work = hp(H_OUT);
  multiplyInto(x, work, n);
  let s: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const r = f(work, i) - lambda * f(x, i);
    s += r * r;
  }
  return Math.sqrt(s);
}
