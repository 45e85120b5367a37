/**
 * The unit eigenvector of the symmetric tridiagonal matrix T (diagonal `alpha`, off-diagonal
 * `beta`, order t) for an eigenvalue `theta` already known to working accuracy (from the QL
 * iteration), by inverse iteration: three solves with T - theta I, factored once by
 * Gaussian elimination with partial pivoting (LAPACK dgttrf / dgtts2), a tiny pivot replaced
 * by eps ||T|| (the matrix is singular to working accuracy, which is what makes one solve
 * nearly exact). O(t) instead of the O(t^3) of all eigenvectors by QL: the Lanczos runs need
 * the vectors of one or two Ritz values only, once. The sign is arbitrary (callers fix it).
 */
export function tridiagonalEigenvector(alpha: ArrayLike<number>, beta: ArrayLike<number>, t: number, theta: number): Float64Array {
  const x = new Float64Array(t);
  if (t === 1) {
    x[0] = 1;
    return x;
  }
  const d = new Float64Array(t);
  const dl = new Float64Array(t - 1);
  const du = new Float64Array(t - 1);
  const du2 = new Float64Array(t);
  const swapped = new Uint8Array(t - 1);
  let norm = 0;
  for (let i = 0; i < t; i++) {
    d[i] = alpha[i]! - theta;
    norm = Math.max(norm, Math.abs(alpha[i]!) + (i > 0 ? Math.abs(beta[i - 1]!) : 0) + (i < t - 1 ? Math.abs(beta[i]!) : 0));
  }
  for (let i = 0; i < t - 1; i++) dl[i] = du[i] = beta[i]!;
  factor(d, dl, du, du2, swapped, t);
  const tiny = Number.EPSILON * Math.max(norm, Number.MIN_VALUE);
  for (let i = 0; i < t; i++) if (Math.abs(d[i]!) < tiny) d[i] = d[i]! < 0 ? -tiny : tiny;
  // A start with a component along every eigenvector (no structure that T could annihilate).
  for (let i = 0; i < t; i++) x[i] = 1 + ((i * 7919) % 13) / 13;
  for (let pass = 0; pass < 3; pass++) {
    solve(d, dl, du, du2, swapped, t, x);
    let s = 0;
    for (let i = 0; i < t; i++) s += x[i]! * x[i]!;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < t; i++) x[i] = x[i]! * inv;
  }
  return x;
}

/** LU of a tridiagonal matrix with row interchanges (dgttrf): multipliers in dl, U in d, du, du2. */
function factor(d: Float64Array, dl: Float64Array, du: Float64Array, du2: Float64Array, swapped: Uint8Array, t: number): void {
  for (let i = 0; i < t - 1; i++) {
    if (Math.abs(d[i]!) >= Math.abs(dl[i]!)) {
      const fact = d[i] !== 0 ? dl[i]! / d[i]! : 0;
      dl[i] = fact;
      d[i + 1] = d[i + 1]! - fact * du[i]!;
    } else {
      const fact = d[i]! / dl[i]!;
      d[i] = dl[i]!;
      dl[i] = fact;
      const temp = du[i]!;
      du[i] = d[i + 1]!;
      d[i + 1] = temp - fact * d[i + 1]!;
      if (i < t - 2) {
        du2[i] = du[i + 1]!;
        du[i + 1] = -fact * du[i + 1]!;
      }
      swapped[i] = 1;
    }
  }
}

/** Solves (LU) x = b in place (dgtts2). */
function solve(d: Float64Array, dl: Float64Array, du: Float64Array, du2: Float64Array, swapped: Uint8Array, t: number, b: Float64Array): void {
  for (let i = 0; i < t - 1; i++) {
    if (!swapped[i]) b[i + 1] = b[i + 1]! - dl[i]! * b[i]!;
    else {
      const temp = b[i]!;
      b[i] = b[i + 1]!;
      b[i + 1] = temp - dl[i]! * b[i]!;
    }
  }
  b[t - 1] = b[t - 1]! / d[t - 1]!;
  b[t - 2] = (b[t - 2]! - du[t - 2]! * b[t - 1]!) / d[t - 2]!;
  for (let i = t - 3; i >= 0; i--) b[i] = (b[i]! - du[i]! * b[i + 1]! - du2[i]! * b[i + 2]!) / d[i]!;
}
