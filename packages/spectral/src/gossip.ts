import { SolveRun, type Graph } from '@emplace/core';
import { checkSpectralOptions, laplacianLargest, requireTwoNodes, type SpectralOptions } from './eigensolver.js';
import { laplacianFiedler } from './fiedler.js';
import { laplacian } from './laplacian.js';

/** Convergence of distributed averaging x(t+1) = (I - alpha L) x(t) on a graph. */
export interface AveragingBounds {
  lambda2: number;
  lambdaMax: number;
  /** The constant step minimising the spectral radius on the disagreement space: 2 / (lambda2 + lambda_n). */
  optimalStep: number;
  /** Per-iteration contraction of the disagreement with the optimal step: (lambda_n - lambda2) / (lambda_n + lambda2). */
  optimalRate: number;
  /** Iterations to shrink the disagreement ten-fold with the optimal step (Infinity when disconnected). */
  iterationsPerDecade: number;
  /** The common safe choice alpha = 1 / max degree, and its contraction max(|1 - alpha lambda2|, |1 - alpha lambda_n|). */
  maxDegreeStep: number;
  maxDegreeRate: number;
  /** Continuous-time consensus dx/dt = -L x converges as exp(-lambda2 t). */
  continuousRate: number;
  /** Spectral gap of the optimal averaging matrix: 1 - optimalRate. */
  spectralGap: number;
  connected: boolean;
}

/**
 * Convergence bounds for consensus / gossip averaging on the graph's combinatorial
 * Laplacian (Xiao & Boyd 2004): with W = I - alpha L the disagreement contracts by
 * max(|1 - alpha lambda2|, |1 - alpha lambda_n|) per step, least at alpha = 2/(lambda2 + lambda_n).
 */
export function averagingBounds(g: Graph, options: SpectralOptions = {}): AveragingBounds {
  checkSpectralOptions(options);
  const lap = laplacian(g, 'combinatorial');
  requireTwoNodes(g);
  const run = new SolveRun(options, 'spectral:averaging', 'min');
  const f = laplacianFiedler(lap, { ...options, laplacian: 'combinatorial' }, run);
  const top = laplacianLargest(lap, { ...options, laplacian: 'combinatorial' }, run);
  const l2 = f.lambda2;
  const ln = top.value;
  const optimalStep = 2 / (l2 + ln);
  const optimalRate = (ln - l2) / (ln + l2);
  let dmax = 0;
  for (let i = 0; i < lap.n; i++) dmax = Math.max(dmax, lap.degrees[i]!);
  const a = 1 / dmax;
  const maxDegreeRate = Math.max(Math.abs(1 - a * l2), Math.abs(1 - a * ln));
  return {
    lambda2: l2,
    lambdaMax: ln,
    optimalStep,
    optimalRate,
    iterationsPerDecade: optimalRate < 1 && optimalRate > 0 ? Math.log(10) / -Math.log(optimalRate) : optimalRate === 0 ? 1 : Infinity,
    maxDegreeStep: a,
    maxDegreeRate,
    continuousRate: l2,
    spectralGap: 1 - optimalRate,
    connected: f.connected,
  };
}
