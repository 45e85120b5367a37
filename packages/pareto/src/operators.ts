import type { Rng } from '@emplace/core';
import type { DecisionSpace } from './problem.js';
import { spaceLength } from './problem.js';

/** Parameters of the variation operators. */
export interface VariationOptions {
  /** Crossover probability per pair. Default 0.9 (1.0 for NSGA-III). */
  crossoverProbability?: number | undefined;
  /** SBX distribution index. Default 20 (30 for NSGA-III). */
  crossoverEta?: number | undefined;
  /** Mutation probability per variable. Default 1 / length. */
  mutationProbability?: number | undefined;
  /** Polynomial mutation distribution index. Default 20. */
  mutationEta?: number | undefined;
}

export interface Variation {
  crossoverProbability: number;
  crossoverEta: number;
  mutationProbability: number;
  mutationEta: number;
}

export function resolveVariation(space: DecisionSpace, o: VariationOptions, defaults: Partial<Variation> = {}): Variation {
  const n = spaceLength(space);
  return {
    crossoverProbability: o.crossoverProbability ?? defaults.crossoverProbability ?? 0.9,
    crossoverEta: o.crossoverEta ?? defaults.crossoverEta ?? 20,
    mutationProbability: o.mutationProbability ?? defaults.mutationProbability ?? 1 / n,
    mutationEta: o.mutationEta ?? defaults.mutationEta ?? 20,
  };
}

/** A random decision vector of the space. */
export function randomSolution(space: DecisionSpace, rng: Rng): Float64Array {
  const n = spaceLength(space);
  const x = new Float64Array(n);
  switch (space.kind) {
    case 'real':
      for (let i = 0; i < n; i++) x[i] = rng.uniform(space.lower[i]!, space.upper[i]!);
      break;
    case 'integer':
      for (let i = 0; i < n; i++) {
        const lo = Math.ceil(space.lower[i]!);
        x[i] = lo + rng.int(Math.max(1, Math.floor(space.upper[i]!) - lo + 1));
      }
      break;
    case 'binary':
      for (let i = 0; i < n; i++) x[i] = rng.next() < 0.5 ? 1 : 0;
      break;
    case 'permutation': {
      const p = rng.permutation(n);
      for (let i = 0; i < n; i++) x[i] = p[i]!;
      break;
    }
    case 'subset': {
      // A size drawn uniformly in [minSize, maxSize], then that many random items.
      const lo = space.minSize ?? 0;
      const hi = space.maxSize ?? n;
      const size = lo + rng.int(hi - lo + 1);
      const p = rng.permutation(n);
      for (let t = 0; t < size; t++) x[p[t]!] = 1;
      repairSubset(space, x, rng);
      break;
    }
  }
  return x;
}

/**
 * Produces two children from two parents (in place into c1, c2): SBX + polynomial
 * mutation for reals (integers rounded), uniform crossover + bit flips for binary,
 * order crossover (OX) + swap for permutations, and for subsets a uniform crossover
 * followed by flip / swap moves and a repair to the size bounds.
 */
export function vary(space: DecisionSpace, v: Variation, rng: Rng, p1: Float64Array, p2: Float64Array, c1: Float64Array, c2: Float64Array): void {
  c1.set(p1);
  c2.set(p2);
  const cross = rng.next() < v.crossoverProbability;
  switch (space.kind) {
    case 'real':
    case 'integer':
      if (cross) sbx(space.lower, space.upper, v.crossoverEta, rng, p1, p2, c1, c2);
      polynomialMutation(space.lower, space.upper, v.mutationEta, v.mutationProbability, rng, c1);
      polynomialMutation(space.lower, space.upper, v.mutationEta, v.mutationProbability, rng, c2);
      if (space.kind === 'integer') {
        roundInto(space.lower, space.upper, c1);
        roundInto(space.lower, space.upper, c2);
      }
      break;
    case 'binary':
      if (cross) uniformCrossover(rng, p1, p2, c1, c2);
      bitFlip(v.mutationProbability, rng, c1);
      bitFlip(v.mutationProbability, rng, c2);
      break;
    case 'permutation':
      if (cross) {
        orderCrossover(rng, p1, p2, c1);
        orderCrossover(rng, p2, p1, c2);
      }
      swapMutation(v.mutationProbability, rng, c1);
      swapMutation(v.mutationProbability, rng, c2);
      break;
    case 'subset':
      if (cross) uniformCrossover(rng, p1, p2, c1, c2);
      subsetMutation(space, v.mutationProbability, rng, c1);
      subsetMutation(space, v.mutationProbability, rng, c2);
      repairSubset(space, c1, rng);
      repairSubset(space, c2, rng);
      break;
  }
}

/** Simulated binary crossover (Deb & Agrawal 1995), per variable with probability 1/2, bounded form. */
export function sbx(lower: ArrayLike<number>, upper: ArrayLike<number>, eta: number, rng: Rng, p1: Float64Array, p2: Float64Array, c1: Float64Array, c2: Float64Array): void {
  const n = p1.length;
  for (let i = 0; i < n; i++) {
    if (rng.next() > 0.5) continue;
    const a = p1[i]!;
    const b = p2[i]!;
    if (Math.abs(a - b) <= 1e-14) continue;
    const y1 = Math.min(a, b);
    const y2 = Math.max(a, b);
    const lo = lower[i]!;
    const hi = upper[i]!;
    const u = rng.next();
    const spreadFactor = (beta: number): number => {
      const alpha = 2 - Math.pow(beta, -(eta + 1));
      return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
    };
    const bq1 = spreadFactor(1 + (2 * (y1 - lo)) / (y2 - y1));
    const bq2 = spreadFactor(1 + (2 * (hi - y2)) / (y2 - y1));
    let v1 = 0.5 * (y1 + y2 - bq1 * (y2 - y1));
    let v2 = 0.5 * (y1 + y2 + bq2 * (y2 - y1));
    v1 = Math.min(hi, Math.max(lo, v1));
    v2 = Math.min(hi, Math.max(lo, v2));
    if (rng.next() < 0.5) {
      c1[i] = v2;
      c2[i] = v1;
    } else {
      c1[i] = v1;
      c2[i] = v2;
    }
  }
}

/** Polynomial mutation (Deb & Goyal 1996), the bounded variant used by NSGA-II's reference code. */
export function polynomialMutation(lower: ArrayLike<number>, upper: ArrayLike<number>, eta: number, probability: number, rng: Rng, x: Float64Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (rng.next() >= probability) continue;
    const lo = lower[i]!;
    const hi = upper[i]!;
    const span = hi - lo;
    if (!(span > 0)) continue;
    const y = x[i]!;
    const d1 = (y - lo) / span;
    const d2 = (hi - y) / span;
    const u = rng.next();
    const power = 1 / (eta + 1);
    let dq: number;
    if (u < 0.5) {
      const val = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
      dq = Math.pow(val, power) - 1;
    } else {
      const val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
      dq = 1 - Math.pow(val, power);
    }
    x[i] = Math.min(hi, Math.max(lo, y + dq * span));
  }
}

function roundInto(lower: ArrayLike<number>, upper: ArrayLike<number>, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(Math.floor(upper[i]!), Math.max(Math.ceil(lower[i]!), Math.round(x[i]!)));
}

export function uniformCrossover(rng: Rng, p1: Float64Array, p2: Float64Array, c1: Float64Array, c2: Float64Array): void {
  for (let i = 0; i < p1.length; i++) {
    if (rng.next() < 0.5) {
      c1[i] = p2[i]!;
      c2[i] = p1[i]!;
    }
  }
}

export function bitFlip(probability: number, rng: Rng, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) if (rng.next() < probability) x[i] = 1 - x[i]!;
}

/** Order crossover (OX1): a slice of `a`, the rest in `b`'s order. */
export function orderCrossover(rng: Rng, a: Float64Array, b: Float64Array, child: Float64Array): void {
  const n = a.length;
  if (n < 2) return;
  let i = rng.int(n);
  let j = rng.int(n);
  if (i > j) [i, j] = [j, i];
  const taken = new Uint8Array(n);
  for (let t = i; t <= j; t++) {
    child[t] = a[t]!;
    taken[a[t]!] = 1;
  }
  let pos = (j + 1) % n;
  for (let s = 0; s < n; s++) {
    const v = b[(j + 1 + s) % n]!;
    if (taken[v]) continue;
    child[pos] = v;
    taken[v] = 1;
    pos = (pos + 1) % n;
  }
}

export function swapMutation(probability: number, rng: Rng, x: Float64Array): void {
  const n = x.length;
  if (n < 2) return;
  for (let i = 0; i < n; i++) {
    if (rng.next() >= probability) continue;
    const j = rng.int(n);
    const t = x[i]!;
    x[i] = x[j]!;
    x[j] = t;
  }
}

/** Subset moves: each item flips with the mutation probability; with probability 1/2 one swap (close one open item, open one closed). */
function subsetMutation(space: Extract<DecisionSpace, { kind: 'subset' }>, probability: number, rng: Rng, x: Float64Array): void {
  bitFlip(probability, rng, x);
  if (rng.next() < 0.5) {
    const n = space.length;
    const i = rng.int(n);
    const j = rng.int(n);
    if (x[i] !== x[j]) {
      const t = x[i]!;
      x[i] = x[j]!;
      x[j] = t;
    }
  }
}

/** Enforces fixed items and the size bounds of a subset by random additions / removals. */
export function repairSubset(space: Extract<DecisionSpace, { kind: 'subset' }>, x: Float64Array, rng: Rng): void {
  const n = space.length;
  if (space.fixedOn) for (let t = 0; t < space.fixedOn.length; t++) x[space.fixedOn[t]!] = 1;
  if (space.fixedOff) for (let t = 0; t < space.fixedOff.length; t++) x[space.fixedOff[t]!] = 0;
  const lo = space.minSize ?? 0;
  const hi = space.maxSize ?? n;
  let size = 0;
  for (let i = 0; i < n; i++) size += x[i]!;
  const fixed = (i: number, value: number): boolean => {
    const list = value === 1 ? space.fixedOn : space.fixedOff;
    if (!list) return false;
    for (let t = 0; t < list.length; t++) if (list[t] === i) return true;
    return false;
  };
  let guard = 4 * n;
  while (size < lo && guard-- > 0) {
    const i = rng.int(n);
    if (x[i] === 0 && !fixed(i, 0)) {
      x[i] = 1;
      size++;
    }
  }
  guard = 4 * n;
  while (size > hi && guard-- > 0) {
    const i = rng.int(n);
    if (x[i] === 1 && !fixed(i, 1)) {
      x[i] = 0;
      size--;
    }
  }
}
