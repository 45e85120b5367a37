import { ModelError } from '@emplace/core';
import { toPointSet, type PointSet } from './points.js';

type Points = readonly ArrayLike<number>[] | PointSet;

function pair(approx: Points, reference: Points): [PointSet, PointSet] {
  const a = toPointSet(approx, 'approximation');
  const r = toPointSet(reference, 'referenceFront');
  if (r.n === 0) throw new ModelError('referenceFront', 'must not be empty');
  if (a.n === 0) throw new ModelError('approximation', 'must not be empty');
  if (a.m !== r.m) throw new ModelError('approximation', `has ${a.m} objectives, the reference front has ${r.m}`);
  return [a, r];
}

/** Inverted generational distance: mean over reference points of the Euclidean distance to the nearest approximation point. */
export function igd(approximation: Points, referenceFront: Points): number {
  const [a, r] = pair(approximation, referenceFront);
  return meanNearest(r, a, false);
}

/** IGD+ (Ishibuchi et al. 2015): like IGD but counting only the amount by which the approximation is worse (weakly Pareto compliant). */
export function igdPlus(approximation: Points, referenceFront: Points): number {
  const [a, r] = pair(approximation, referenceFront);
  return meanNearest(r, a, true);
}

/** Generational distance: mean over approximation points of the distance to the nearest reference point. */
export function gd(approximation: Points, referenceFront: Points): number {
  const [a, r] = pair(approximation, referenceFront);
  let total = 0;
  for (let i = 0; i < a.n; i++) total += nearest(a.values, i, r, false, true);
  return total / a.n;
}

function meanNearest(r: PointSet, a: PointSet, plus: boolean): number {
  let total = 0;
  for (let i = 0; i < r.n; i++) total += nearest(r.values, i, a, plus, false);
  return total / r.n;
}

/** Distance from row i of `from` to the nearest point of `to`; IGD+ measures max(0, a - r) per objective. */
function nearest(from: Float64Array, i: number, to: PointSet, plus: boolean, fromIsApprox: boolean): number {
  const m = to.m;
  let best = Infinity;
  for (let j = 0; j < to.n; j++) {
    let s = 0;
    for (let k = 0; k < m; k++) {
      let d = to.values[j * m + k]! - from[i * m + k]!;
      if (fromIsApprox) d = -d;
      if (plus) d = Math.max(0, d);
      s += d * d;
      if (s >= best) break;
    }
    if (s < best) best = s;
  }
  return Math.sqrt(best);
}

/**
 * Additive epsilon indicator I_eps+(A, R): the smallest eps such that every reference
 * point is weakly dominated by some approximation point shifted by -eps. 0 or less means
 * A covers R.
 */
export function additiveEpsilon(approximation: Points, referenceFront: Points): number {
  const [a, r] = pair(approximation, referenceFront);
  const m = a.m;
  let worst = -Infinity;
  for (let j = 0; j < r.n; j++) {
    let best = Infinity;
    for (let i = 0; i < a.n; i++) {
      let eps = -Infinity;
      for (let k = 0; k < m; k++) eps = Math.max(eps, a.values[i * m + k]! - r.values[j * m + k]!);
      if (eps < best) best = eps;
    }
    if (best > worst) worst = best;
  }
  return worst;
}

/**
 * Spread (Deb's Delta for two objectives, generalised by Zhou et al. to m objectives):
 * (sum of distances from the reference front's extremes to the approximation + sum of
 * |d_i - mean d|) / (extremes + n * mean d), with d_i each point's nearest-neighbour
 * distance. 0 for an even spread that reaches the extremes. Without a reference front the
 * extreme terms are 0.
 */
export function spread(approximation: Points, referenceFront?: Points): number {
  const a = toPointSet(approximation, 'approximation');
  if (a.n < 2) return 0;
  const m = a.m;
  const d = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++) {
    let best = Infinity;
    for (let j = 0; j < a.n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let k = 0; k < m; k++) {
        const x = a.values[i * m + k]! - a.values[j * m + k]!;
        s += x * x;
      }
      if (s < best) best = s;
    }
    d[i] = Math.sqrt(best);
  }
  let mean = 0;
  for (let i = 0; i < a.n; i++) mean += d[i]!;
  mean /= a.n;
  let extremes = 0;
  if (referenceFront !== undefined) {
    const r = toPointSet(referenceFront, 'referenceFront');
    if (r.m !== m) throw new ModelError('referenceFront', `has ${r.m} objectives, the approximation has ${m}`);
    for (let k = 0; k < m; k++) {
      // The reference front's extreme in objective k (smallest value) and its distance to the approximation.
      let e = 0;
      for (let j = 1; j < r.n; j++) if (r.values[j * m + k]! < r.values[e * m + k]!) e = j;
      let best = Infinity;
      for (let i = 0; i < a.n; i++) {
        let s = 0;
        for (let kk = 0; kk < m; kk++) {
          const x = a.values[i * m + kk]! - r.values[e * m + kk]!;
          s += x * x;
        }
        if (s < best) best = s;
      }
      extremes += Math.sqrt(best);
    }
  }
  let dev = 0;
  for (let i = 0; i < a.n; i++) dev += Math.abs(d[i]! - mean);
  const denom = extremes + a.n * mean;
  return denom > 0 ? (extremes + dev) / denom : 0;
}
