import { ModelError, type Steps } from '@emplace/core';
import { chunkedSteps, rowsPerChunk, type Checkpoints } from './chunks.js';
import type { LaplacianComponents } from './components.js';
import type { SparseLaplacian } from './laplacian.js';

/**
 * The null-space basis of a disconnected graph's Laplacian (the component indicators,
 * orthonormalised), in chunks: on a power-law graph of 200k nodes the single-pass version
 * was one 30-35 ms stretch (issue 13). Every kernel accumulates in index order across its
 * chunks (the running sum is carried from chunk to chunk, never summed per chunk), so the
 * results are bit-identical to the whole-vector kernels of vectors.ts (dot, deflate,
 * normalize), `fixSign` and `residualNorm`.
 */

/** Items of a whole-vector pass per chunk: about 0.1 ms of work between checkpoints (tests pass small chunks to cross chunk boundaries). */
const VECTOR_CHUNK = 1 << 15;

export interface NullSpaceBasis {
  vectors: Float64Array[];
  residuals: Float64Array;
}

/**
 * The first k vectors of the basis: the null vector of the whole graph, then the
 * indicators of components 0, 1, ... (scaled by D^1/2 for the normalized Laplacian)
 * deflated twice against what is there, normalised, signed (largest entry positive), with
 * their residuals ||L v||. Undefined when the run stops first (no partial basis is useful).
 */
export function* nullSpaceBasisSteps(lap: SparseLaplacian, k: number, comps: LaplacianComponents, cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<NullSpaceBasis | undefined> {
  const n = lap.n;
  const c = comps.count;
  if (k > c) {
    throw new ModelError('graph', `has ${c} connected components, so its ${c} smallest Laplacian eigenvalues are 0; ask for k <= ${c} pairs, or take the pairs of each component (component[] is returned by laplacianComponents)`);
  }
  const s = new Float64Array(n);
  const degrees = lap.degrees;
  const normalized = lap.kind === 'normalized';
  const filled = yield* chunkedSteps(n, chunk, (from, to) => {
    for (let i = from; i < to; i++) s[i] = normalized ? (degrees[i]! > 0 ? Math.sqrt(degrees[i]!) : 1) : 1;
  }, cp);
  if (!filled) return undefined;
  const basis: Float64Array[] = [];
  const whole = new Float64Array(n);
  if (!(yield* chunkedSteps(n, chunk, (from, to) => whole.set(s.subarray(from, to), from), cp))) return undefined;
  if ((yield* normalizeSteps(whole, cp, chunk)) === undefined) return undefined;
  basis.push(whole);
  const component = comps.component;
  for (let comp = 0; basis.length < k && comp < c; comp++) {
    const v = new Float64Array(n);
    const indicated = yield* chunkedSteps(n, chunk, (from, to) => {
      for (let i = from; i < to; i++) if (component[i] === comp) v[i] = s[i]!;
    }, cp);
    if (!indicated) return undefined;
    for (let pass = 0; pass < 2; pass++) if (!(yield* deflateSteps(v, basis, cp, chunk))) return undefined;
    const norm = yield* normalizeSteps(v, cp, chunk);
    if (norm === undefined) return undefined;
    if (norm > 1e-12) {
      if (!(yield* fixSignSteps(v, cp, chunk))) return undefined;
      basis.push(v);
    }
  }
  const residuals = new Float64Array(k);
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const r = yield* residualNormSteps(lap, basis[j]!, 0, work, cp, chunk);
    if (r === undefined) return undefined;
    residuals[j] = r;
  }
  return { vectors: basis, residuals };
}

/** a . b summed in index order (as `dot`); undefined when the run stops. */
export function* dotSteps(a: Float64Array, b: Float64Array, cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<number | undefined> {
  let s = 0;
  const done = yield* chunkedSteps(a.length, chunk, (from, to) => {
    let acc = s;
    for (let i = from; i < to; i++) acc += a[i]! * b[i]!;
    s = acc;
  }, cp);
  return done ? s : undefined;
}

/** x -= (q . x) q for each q of `basis`, in order (as `deflate`); false when the run stops. */
export function* deflateSteps(x: Float64Array, basis: readonly Float64Array[], cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<boolean> {
  for (const q of basis) {
    const d = yield* dotSteps(q, x, cp, chunk);
    if (d === undefined) return false;
    const alpha = -d;
    const done = yield* chunkedSteps(x.length, chunk, (from, to) => {
      for (let i = from; i < to; i++) x[i]! += alpha * q[i]!;
    }, cp);
    if (!done) return false;
  }
  return true;
}

/** x / ||x|| in place (as `normalize`); the former norm, undefined when the run stops. */
export function* normalizeSteps(x: Float64Array, cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<number | undefined> {
  const sq = yield* dotSteps(x, x, cp, chunk);
  if (sq === undefined) return undefined;
  const norm = Math.sqrt(sq);
  if (norm > 0) {
    const inv = 1 / norm;
    const done = yield* chunkedSteps(x.length, chunk, (from, to) => {
      for (let i = from; i < to; i++) x[i]! *= inv;
    }, cp);
    if (!done) return undefined;
  }
  return norm;
}

/** The sign rule of `fixSign` (the first entry of largest magnitude, 1e-12 slack, is positive); false when the run stops. */
export function* fixSignSteps(v: Float64Array, cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<boolean> {
  let best = 0;
  let at = 0;
  const scanned = yield* chunkedSteps(v.length, chunk, (from, to) => {
    for (let i = from; i < to; i++) {
      const a = Math.abs(v[i]!);
      if (a > best + 1e-12) {
        best = a;
        at = i;
      }
    }
  }, cp);
  if (!scanned) return false;
  if (!(v[at]! < 0)) return true;
  return yield* chunkedSteps(v.length, chunk, (from, to) => {
    for (let i = from; i < to; i++) v[i] = -v[i]!;
  }, cp);
}

/** ||L x - lambda x||_2 (as `SparseLaplacian.residualNorm`), the product in chunks of rows; undefined when the run stops. */
export function* residualNormSteps(lap: SparseLaplacian, x: Float64Array, lambda: number, work: Float64Array, cp?: Checkpoints, chunk = VECTOR_CHUNK): Steps<number | undefined> {
  const n = lap.n;
  if (!(yield* chunkedSteps(n, Math.min(chunk, rowsPerChunk(n, lap.nnz)), (from, to) => lap.multiplyRows(x, work, from, to), cp))) return undefined;
  let s = 0;
  const done = yield* chunkedSteps(n, chunk, (from, to) => {
    let acc = s;
    for (let i = from; i < to; i++) {
      const r = work[i]! - lambda * x[i]!;
      acc += r * r;
    }
    s = acc;
  }, cp);
  return done ? Math.sqrt(s) : undefined;
}
