import type { Rng, Steps } from '@emplace/core';
import { chunkedSteps, yieldOnly, type Checkpoints } from './chunks.js';

/** Small dense-vector kernels on Float64Array (no allocation). */

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha x */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

export function scale(alpha: number, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i]! *= alpha;
}

/** x /= s, entry by entry (not a multiplication by 1 / s: the same bits as a division). */
export function divide(x: Float64Array, s: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! / s;
}

/** x -= (q . x) q for each unit vector q of `basis`. */
export function deflate(x: Float64Array, basis: readonly Float64Array[]): void {
  for (const q of basis) axpy(-dot(q, x), q, x);
}

/** Normalises x in place; returns its former norm. */
export function normalize(x: Float64Array): number {
  const s = norm2(x);
  if (s > 0) scale(1 / s, x);
  return s;
}

/**
 * x[from .. to) uniform in [-1, 1): a random start vector (any distribution without
 * atoms has a nonzero component along every eigenvector, almost surely). Uniform rather
 * than normal: a third of the cost per entry, and the normal sampler's cached spare
 * variate makes its call site polymorphic.
 */
export function randomFill(x: Float64Array, rng: Rng, from = 0, to = x.length): void {
  for (let i = from; i < to; i++) x[i] = 2 * rng.next() - 1;
}

/**
 * x uniform in [-1, 1) from one 32-bit seed: a counter hashed by an integer finalizer
 * (murmur3's), in one small loop. Cheaper than `randomFill` (two xoshiro steps and a
 * method call per entry, which a fresh process runs interpreted until V8 compiles them):
 * for a start vector, where any distribution without atoms will do.
 */
export function hashFill(x: Float64Array, seed: number): void {
  for (let i = 0; i < x.length; i++) {
    let z = (seed + Math.imul(i + 1, 0x9e3779b9)) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    x[i] = z / 2147483648;
  }
}

/** `randomFill` over the whole vector in chunks, yielding when the run wants the event loop (large n). */
export function* randomFillSteps(x: Float64Array, rng: Rng, cp?: Checkpoints): Steps<void> {
  yield* chunkedSteps(x.length, 1 << 15, (from, to) => randomFill(x, rng, from, to), yieldOnly(cp));
}
