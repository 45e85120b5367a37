import type { Graph } from '@emplace/core';
import { validateSpectralGraph } from './laplacian.js';

/**
 * Largest / smallest positive weight beyond which float64 eigensolvers cannot resolve
 * lambda2 (their absolute error is about 1e-16 x the largest eigenvalue).
 */
export const RESOLVABLE_WEIGHT_RANGE = 1e12;

/**
 * Extreme edge weights overflow the eigensolvers: with a weight of 1e308 the degrees,
 * the Rayleigh quotients and the squared norms are Infinity (the dense eigensolver then threw a
 * TypeError and the partition reported conductance Infinity). Eigenvectors and
 * conductances do not depend on a common factor of the weights, and the combinatorial
 * eigenvalues scale with it, so the solvers work on a copy scaled by a power of two
 * (exact) and scale the eigenvalues back. `scale` is 1 (and `graph` the input) for
 * ordinary weights.
 */
export function rescaleWeights(g: Graph): { graph: Graph; scale: number; range: number } {
  validateSpectralGraph(g);
  let max = 0;
  let minPos = Infinity;
  for (let e = 0; e < g.m; e++) {
    const w = g.edgeW[e]!;
    if (w > max) max = w;
    if (w > 0 && w < minPos) minPos = w;
  }
  // Squares of degrees must stay far from overflow and underflow: |w| in [1e-100, 1e100] is safe.
  const range = max > 0 ? max / minPos : 1;
  if (max === 0 || (max <= 1e100 && minPos >= 1e-100)) return { graph: g, scale: 1, range };
  const scale = 2 ** (20 - Math.ceil(Math.log2(max)));
  const edgeW = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) edgeW[e] = g.edgeW[e]! * scale;
  const adjWeight = new Float64Array(g.adjWeight.length);
  for (let k = 0; k < adjWeight.length; k++) adjWeight[k] = g.adjWeight[k]! * scale;
  return { graph: { ...g, edgeW, adjWeight }, scale, range };
}
