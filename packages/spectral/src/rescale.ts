import { runSteps, type Graph, type Steps } from '@emplace/core';
import { checkUndirectedGraph, checkWeights } from './laplacian.js';

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
 * (exact) and scale the eigenvalues back with `unscale`. `scale` is 1 (and `graph` the input)
 * for ordinary weights.
 */
export function rescaleWeights(g: Graph): Rescaled {
  return runSteps(rescaleWeightsSteps(g));
}

export interface Rescaled {
  graph: Graph;
  scale: number;
  range: number;
  rangeText: string;
  unscale: (x: number) => number;
}

/** Weights read (or copied) between two checkpoints of rescaleWeightsSteps. */
const WEIGHT_CHUNK = 1 << 18;

/**
 * `rescaleWeights` as steps: a checkpoint every WEIGHT_CHUNK weights (the pass over 4M edge
 * weights was a 25-30 ms stretch right after the shape check, issue 13: sweep --scale 4).
 */
export function* rescaleWeightsSteps(g: Graph): Steps<Rescaled> {
  // Validation (validateSpectralGraph) and the extremes in one pass over the weights.
  checkUndirectedGraph(g);
  let max = 0;
  let minPos = Infinity;
  for (let at = 0; at < g.m; at += WEIGHT_CHUNK) {
    for (let e = at, end = Math.min(g.m, at + WEIGHT_CHUNK); e < end; e++) {
      const w = g.edgeW[e]!;
      if (!(w >= 0 && w < Infinity)) checkWeights(g.edgeW, e, e + 1, 'graph');
      if (w > max) max = w;
      if (w > 0 && w < minPos) minPos = w;
    }
    if (at + WEIGHT_CHUNK < g.m) yield;
  }
  // Squares of degrees must stay far from overflow and underflow: |w| in [1e-100, 1e100] is safe.
  const range = max > 0 ? max / minPos : 1;
  const rangeText = max > 0 ? weightFactorText(max, minPos) : '1';
  // A positive weight below max x 2^-332 (about 1e-100 of the largest) is raised to that floor:
  // the Laplacian moves by far less than the solvers' tolerance x ||L||, while the true
  // subnormal value (1e-320 next to 11) made the tridiagonal QL divide 0 by 0 and answer NaN.
  const floor = max * 2 ** -332;
  if (max === 0 || (max <= 1e100 && minPos >= 1e-100 && minPos >= floor)) return { graph: g, scale: 1, range, rangeText, unscale: (x) => x };
  // 2^exponent can exceed the float64 range when every weight is subnormal (1e-320 needs
  // 2^1083), so the factor is applied as two halves, each a representable power of two.
  const exponent = 20 - Math.ceil(Math.log2(max));
  const half = 2 ** Math.trunc(exponent / 2);
  const rest = 2 ** (exponent - Math.trunc(exponent / 2));
  const edgeW = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) {
    edgeW[e] = atLeast(g.edgeW[e]!, floor) * half * rest;
    if (e % WEIGHT_CHUNK === WEIGHT_CHUNK - 1) yield;
  }
  const adjWeight = new Float64Array(g.adjWeight.length);
  for (let k = 0; k < adjWeight.length; k++) {
    adjWeight[k] = atLeast(g.adjWeight[k]!, floor) * half * rest;
    if (k % WEIGHT_CHUNK === WEIGHT_CHUNK - 1) yield;
  }
  // `scale` itself may overflow (it is reported only); values go back through `unscale`.
  return { graph: { ...g, edgeW, adjWeight }, scale: half * rest, range, rangeText, unscale: (x) => x / half / rest };
}

/** A positive weight raised to `floor`; zero stays zero (no edge is created). */
function atLeast(w: number, floor: number): number {
  return w > 0 && w < floor ? floor : w;
}

/**
 * max / minPos in exponent notation, also when the quotient overflows float64 (1e308 over
 * a subnormal 1e-320 is 1e628, printed as Infinity before): from the decimal logarithms.
 */
export function weightFactorText(max: number, minPos: number): string {
  const ratio = max / minPos;
  if (Number.isFinite(ratio)) return ratio.toExponential(1);
  const digits = Math.log10(max) - Math.log10(minPos);
  let exponent = Math.floor(digits);
  let mantissa = Math.round(10 ** (digits - exponent) * 10) / 10;
  if (mantissa >= 10) {
    mantissa /= 10;
    exponent++;
  }
  return `${mantissa.toFixed(1)}e+${exponent}`;
}
