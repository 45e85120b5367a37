import type { Steps } from '@emplace/core';
import { chunkedSteps, rowsPerChunk, type Checkpoints } from './chunks.js';
import type { SparseLaplacian } from './laplacian.js';

/**
 * The answer of a run stopped before LOBPCG had a Ritz value (an abort during the setup or
 * the start block's first products): `count` unit vectors, each on two nodes, orthogonal to
 * the null vector and to each other, with their Rayleigh quotients computed exactly from a few
 * matrix entries. A random start vector would need one pass over every edge for its quotient
 * (on a million edges in a fresh process that pass runs interpreted: 100-250 ms after the
 * abort), and that quotient is about the average degree; on the two nodes of smallest
 * diagonal entry the quotient is the mean of those entries (plus their coupling when they are
 * adjacent), usually a lower upper bound of lambda2, at O(n) cost.
 *
 * v = q_w e_u - q_u e_w (normalised), q the unit null vector: q . v = 0 for either Laplacian
 * kind. Pairs are disjoint, so the vectors are orthogonal; each is unit and sign-fixed (the
 * caller needs no pass over it). Needs n >= 2 count nodes with a
 * nonzero null-vector entry; undefined otherwise (the caller then evaluates its own vectors).
 */
export function twoNodeVectors(lap: SparseLaplacian, count: number, known?: DiagonalExtremes): { vectors: Float64Array[]; values: Float64Array } | undefined {
  const nodes = known && known.smallest.length >= 2 * count ? known.smallest : smallestDiagonalNodes(lap, 2 * count);
  if (nodes.length < 2 * count) return undefined;
  const q = lap.nullVector;
  const vectors: Float64Array[] = [];
  const values = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const u = nodes[2 * j]!;
    const w = nodes[2 * j + 1]!;
    const a = q[w]!;
    const b = -q[u]!;
    const norm = Math.hypot(a, b);
    const v = new Float64Array(lap.n);
    // fixSign's rule on the two entries (the first of largest magnitude is positive), so the
    // vectors are final as they are: unit, deflated, sign-fixed.
    const [lo, hi] = u < w ? [u, w] : [w, u];
    const sign = Math.sign(signedLargest(lo === u ? a : b, hi === u ? a : b));
    v[u] = (sign * a) / norm;
    v[w] = (sign * b) / norm;
    vectors.push(v);
    values[j] = sparseQuadraticForm(lap, v, u, w);
  }
  return { vectors, values };
}

/** The entry fixSign would make positive, of two at increasing indices: the second only when larger by more than 1e-12. */
function signedLargest(first: number, second: number): number {
  return Math.abs(second) > Math.abs(first) + 1e-12 ? second : first;
}

/** v^T L v for v supported on {u, w}: v_u^2 L_uu + v_w^2 L_ww + 2 v_u v_w L_uw (L_uw = -values[k]). */
function sparseQuadraticForm(lap: SparseLaplacian, v: Float64Array, u: number, w: number): number {
  let coupling = 0;
  for (let k = lap.offsets[u]!, end = lap.offsets[u + 1]!; k < end; k++) if (lap.cols[k] === w) coupling += lap.values[k]!;
  const vu = v[u]!;
  const vw = v[w]!;
  return Math.max(0, vu * vu * lap.diagonal[u]! + vw * vw * lap.diagonal[w]! - 2 * vu * vw * coupling);
}

/** The `count` nodes of smallest diagonal entry among those with a nonzero null-vector entry, by one pass (count is small). */
function smallestDiagonalNodes(lap: SparseLaplacian, count: number): number[] {
  const best: number[] = [];
  keepSmallest(lap, lap.nullVector, count, best, 0, lap.n);
  return best;
}

/**
 * What a stopped run's answer needs of the diagonal, found before any stop: the `count`
 * nodes of smallest diagonal entry (twoNodeVectors) and the largest entry (the norm
 * estimate of a run stopped before its Lanczos steps), and the null vector made. After a
 * stop in a fresh process, each of those passes over 200,000 rows ran interpreted (5-20 ms
 * each, with the page faults of a new null vector) between the signal and the answer.
 */
export interface DiagonalExtremes {
  smallest: number[];
  /** max(largest diagonal entry, Number.MIN_VALUE): a lower bound of lambda_max. */
  maxDiagonal: number;
}

/** `DiagonalExtremes` in chunks of rows with a checkpoint between them; undefined when the run stops first. */
export function* diagonalExtremesSteps(lap: SparseLaplacian, count: number, cp: Checkpoints): Steps<DiagonalExtremes | undefined> {
  const q = lap.nullVector;
  const smallest: number[] = [];
  let dmax = 0;
  const done = yield* chunkedSteps(lap.n, rowsPerChunk(lap.n, lap.n), (from, to) => {
    keepSmallest(lap, q, count, smallest, from, to);
    dmax = Math.max(dmax, largestEntry(lap.diagonal, from, to));
  }, cp);
  return done ? { smallest, maxDiagonal: Math.max(dmax, Number.MIN_VALUE) } : undefined;
}

function largestEntry(x: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, x[i]!);
  return m;
}

/** Rows [from, to) into `best`, the (at most) `count` nodes of smallest diagonal entry so far, ascending. */
function keepSmallest(lap: SparseLaplacian, q: Float64Array, count: number, best: number[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (!(q[i]! !== 0)) continue;
    const d = lap.diagonal[i]!;
    if (best.length === count && d >= lap.diagonal[best[count - 1]!]!) continue;
    let at = best.length === count ? count - 1 : best.length;
    best[at] = i;
    while (at > 0 && lap.diagonal[best[at - 1]!]! > d) {
      best[at] = best[at - 1]!;
      best[at - 1] = i;
      at--;
    }
  }
}
