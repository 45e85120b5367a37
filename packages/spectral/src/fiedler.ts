import { runSteps, SolveRun, type Graph, type Steps } from '@emplace/core';
import type { LaplacianComponents } from './components.js';
import { checkSpectralOptions, laplacianEigenpairsSteps, requireTwoNodes, stoppedBeforeStart, type RitzReport, type SpectralOptions } from './eigensolver.js';
import { laplacian, type LaplacianKind, type SparseLaplacian } from './laplacian.js';

/** The algebraic connectivity lambda2 and its eigenvector, with the evidence of accuracy. */
export interface FiedlerPair {
  laplacian: LaplacianKind;
  /**
   * lambda2, recomputed from the vector as sum_ij w_ij (v_i - v_j)^2 (its Rayleigh quotient);
   * on a stopped LOBPCG run the Ritz value LOBPCG has for it (the same quotient up to rounding).
   */
  lambda2: number;
  /** Unit vector orthogonal to the null vector (the constant, or D^1/2 1 for the normalized Laplacian). */
  vector: Float64Array;
  /**
   * ||L v - lambda2 v||_2. On a stopped run (abort, time limit): LOBPCG's own residual of the
   * vector when it had formed one, else NaN (not computed: the run answers at once).
   */
  residual: number;
  /** residual / ||L||_2 (NaN with `residual`). */
  relativeResidual: number;
  /** ||L||_2 estimate (lambda_max: exact for the dense method, a lower estimate otherwise: Lanczos for LOBPCG, power steps for shift-invert). */
  normL: number;
  connected: boolean;
  /** Connected components (positive-weight edges). On a disconnected graph lambda2 = 0 exactly and `vector` separates component 0 from the rest. */
  components: LaplacianComponents;
  method: 'dense' | 'lobpcg' | 'shift-invert' | 'components';
  converged: boolean;
  iterations: number;
  matvecs: number;
}

/**
 * The Fiedler pair of a graph. Method `auto`: on a disconnected graph lambda2 = 0 with
 * the components; on small graphs (<= denseMaxNodes) the dense oracle (tred2 + tql2);
 * otherwise LOBPCG with a multilevel (aggregation AMG) preconditioner, deflation of the
 * null vector and a residual test ||L v - lambda v|| <= tolerance ||L|| (default 1e-10).
 * Throws ModelError on empty, single-node, directed, negative or NaN-weighted input.
 */
export function fiedler(g: Graph, options: SpectralOptions = {}, run?: SolveRun): FiedlerPair {
  checkSpectralOptions(options);
  const lap = laplacian(g, options.laplacian ?? 'combinatorial');
  requireTwoNodes(g);
  return laplacianFiedler(lap, options, run ?? new SolveRun(options, 'fiedler:' + (options.method ?? 'auto'), 'min'));
}

export function laplacianFiedler(lap: SparseLaplacian, options: SpectralOptions, run: SolveRun): FiedlerPair {
  return stoppedBeforeStart(runSteps(laplacianFiedlerSteps(lap, options, run)), run);
}

/** `laplacianFiedler` as steps (checkpoints in every phase); undefined when the run stops before a first vector. */
export function* laplacianFiedlerSteps(lap: SparseLaplacian, options: SpectralOptions, run: SolveRun, report?: RitzReport): Steps<FiedlerPair | undefined> {
  const pairs = yield* laplacianEigenpairsSteps(lap, 2, options, run, report);
  if (!pairs) return undefined;
  const residual = pairs.residuals[1]!;
  return {
    laplacian: lap.kind,
    lambda2: pairs.values[1]!,
    vector: pairs.vectors[1]!,
    residual,
    relativeResidual: pairs.normL > 0 ? residual / pairs.normL : residual,
    normL: pairs.normL,
    connected: pairs.components.count === 1,
    components: pairs.components,
    method: pairs.method,
    converged: pairs.converged,
    iterations: pairs.iterations,
    matvecs: pairs.matvecs,
  };
}

/** lambda2 only (see `fiedler`). */
export function algebraicConnectivity(g: Graph, options: SpectralOptions = {}): number {
  return fiedler(g, options).lambda2;
}
