import type { Rng, SolveRun, Steps } from '@emplace/core';
import { groundedCholeskySteps, type PseudoInverseSolve } from './cholesky.js';
import { tridiagonalEigen, tridiagonalEigenvaluesLast } from './dense.js';
import { tridiagonalEigenvector } from './inverse-iteration.js';
import type { SparseLaplacian } from './laplacian.js';
import { minimumDegreeSymbolicSteps, type FillBudget } from './min-degree.js';
import { OrthogonalityEstimate } from './partial-reorth.js';
import { axpy, deflate, dot, hashFill, normalize, randomFill, scale } from './vectors.js';

/** What the shift-invert Lanczos run found: the smallest non-null pairs, ascending. */
export interface ShiftInvertOutput {
  values: Float64Array;
  /** Unit vectors orthogonal to the null vector, in the Laplacian's node order. */
  vectors: Float64Array[];
  iterations: number;
  /** Applications of the pseudo-inverse (two triangular solves each). */
  matvecs: number;
  converged: boolean;
  /** Nonzeros of the Cholesky factor (strictly lower). */
  factorNnz: number;
  /** The factor (its kernel also has products with L, for the caller's final residuals). */
  factor: PseudoInverseSolve;
}

export interface ShiftInvertInput {
  /** Number of wanted non-null pairs (lambda2 ... lambda_{wanted + 1}). */
  wanted: number;
  /** Stop when ||L v - lambda v|| <= tolerance x ||L|| holds for every wanted pair. */
  tolerance: number;
  /** ||L|| estimate (asked for once the bound nears the tolerance); with it the stopping test uses the residual itself instead of a bound of it. */
  normL?: ((factor: PseudoInverseSolve) => number) | undefined;
  budget: FillBudget;
  maxIterations: number;
  initial?: readonly Float64Array[] | undefined;
  rng: Rng;
  /** Receives the current approximation of lambda2; `vector()` builds its vector (only call it when it is wanted). */
  onIteration?: ((iteration: number, value: number, vector: () => Float64Array) => void) | undefined;
}

/** Largest Krylov basis kept before an explicit restart from the current Ritz vectors (memory: this many vectors of n). */
const MAX_BASIS = 96;

/**
 * The node removed to ground the Laplacian: one of largest degree, so that its row, the
 * densest, is not eliminated at all (on power-law graphs this removes most fill).
 */
export function groundingNode(lap: SparseLaplacian): number {
  let best = 0;
  for (let v = 1; v < lap.n; v++) if (lap.offsets[v + 1]! - lap.offsets[v]! > lap.offsets[best + 1]! - lap.offsets[best]!) best = v;
  return best;
}

/**
 * Factorization path for the smallest Laplacian eigenpairs of a connected graph: a
 * minimum-degree sparse Cholesky of the grounded Laplacian gives the exact pseudo-inverse
 * L^+ on the complement of the null vector, and Lanczos with partial reorthogonalisation on
 * L^+ (shift-invert at 0) finds its largest eigenvalues 1 / lambda2, 1 / lambda3, ...
 * Each step costs two triangular solves; convergence depends on lambda2 / lambda3 only,
 * not on the conditioning of L, so few steps are needed.
 *
 * Stopping test: for a Ritz pair (mu, y) of L^+ with Lanczos residual r = L^+ y - mu y =
 * beta s_last v_next, L y - y / mu = -L r / mu, so ||L y - lambda y|| = lambda |beta
 * s_last| ||L v_next|| with lambda = 1 / mu: the residual itself for the price of one
 * product with L (the bound ||L|| ||r|| lambda, from the tridiagonal matrix alone, is often
 * two orders too pessimistic, which cost several solves). Checked after every step.
 *
 * Returns undefined when the factor would exceed the fill budget, when a pivot is not
 * positive, or when the run stops before the factor is complete (the caller then uses
 * LOBPCG or returns its start vector).
 */
export function* shiftInvertSteps(lap: SparseLaplacian, input: ShiftInvertInput, run: SolveRun): Steps<ShiftInvertOutput | undefined> {
  const grounded = groundingNode(lap);
  const symbolic = yield* minimumDegreeSymbolicSteps(lap, grounded, input.budget, run);
  if (!symbolic) return undefined;
  yield;
  const factor = yield* groundedCholeskySteps(lap, symbolic, grounded, run);
  if (!factor) return undefined;
  yield;
  const out = yield* lanczosSteps(lap, factor, input, run);
  return { ...out, factorNnz: symbolic.nnz, factor };
}

/** Lanczos state: the basis, the tridiagonal coefficients and the work vectors. */
interface Krylov {
  basis: Float64Array[];
  alpha: number[];
  beta: number[];
  omega: OrthogonalityEstimate;
  w: Float64Array;
}

function* lanczosSteps(lap: SparseLaplacian, factor: PseudoInverseSolve, input: ShiftInvertInput, run: SolveRun): Steps<Omit<ShiftInvertOutput, 'factorNnz' | 'factor'>> {
  const n = lap.n;
  const q = lap.nullVector;
  const wanted = input.wanted;
  const limit = Math.min(MAX_BASIS, n - 1);
  let start = startVector(n, q, input);
  let iterations = 0;
  let ritz: { values: Float64Array; vectors: Float64Array[]; converged: boolean } | undefined;
  while (iterations < input.maxIterations) {
    const k: Krylov = { basis: [start], alpha: [], beta: [], omega: new OrthogonalityEstimate(n), w: new Float64Array(n) };
    let done = false;
    // The tridiagonal eigenproblem of a check costs O(t^3): every third step while the
    // bound is far from the tolerance, every step once it is within 1e4 of it.
    let near = false;
    for (let j = 0; j < limit && iterations < input.maxIterations; j++) {
      iterations++;
      const breakdown = lanczosStep(k, factor, q);
      const size = k.alpha.length;
      const check = size >= wanted && (breakdown || size === limit || (size >= 4 && (near || size % 3 === 0)) || iterations >= input.maxIterations);
      if (check) {
        const est = ritzEstimates(k, wanted, breakdown, 1);
        near = est.converged(input.tolerance * 1e4);
        // The bound is within reach of the tolerance: the residual itself decides.
        if (!est.converged(input.tolerance) && est.converged(input.tolerance * 1e3)) {
          const f = residualFactor(lap, factor, k, input, breakdown);
          for (let i = 0; i < est.bounds.length; i++) est.bounds[i] = est.bounds[i]! * f;
        }
        if (input.onIteration) input.onIteration(iterations, 1 / est.mu[0]!, () => combine(k.basis, est.s()[0]!, n));
        if (est.converged(input.tolerance) || breakdown || size === limit || iterations >= input.maxIterations) {
          ritz = ritzPairs(k, est, wanted, n, q, input.tolerance);
          if (ritz.converged && !breakdown && !residualsConfirmed(lap, factor, ritz, input)) ritz.converged = false;
          done = ritz.converged || breakdown;
          break;
        }
      }
      yield;
      if (run.shouldStop()) {
        ritz = ritzPairs(k, ritzEstimates(k, Math.min(wanted, k.alpha.length), false, 1), wanted, n, q, input.tolerance);
        done = true;
        break;
      }
    }
    if (done || !ritz) break;
    // Explicit restart from the sum of the wanted Ritz vectors (their Krylov space holds them all).
    start = new Float64Array(n);
    for (const v of ritz.vectors) axpy(1, v, start);
    deflate(start, [q]);
    normalize(start);
  }
  if (!ritz) return { values: new Float64Array(wanted), vectors: Array.from({ length: wanted }, () => Float64Array.from(start)), iterations, matvecs: iterations, converged: false };
  return { values: ritz.values, vectors: ritz.vectors, iterations, matvecs: iterations, converged: ritz.converged };
}

function startVector(n: number, q: Float64Array, input: ShiftInvertInput): Float64Array {
  const v = new Float64Array(n);
  if (input.initial && input.initial.length > 0) for (const x of input.initial) axpy(1, x, v);
  else hashFill(v, input.rng.nextUint32());
  deflate(v, [q]);
  if (normalize(v) === 0) {
    randomFill(v, input.rng);
    deflate(v, [q]);
    normalize(v);
  }
  return v;
}

/**
 * One Lanczos step: the three-term recurrence, and reorthogonalisation against the whole
 * basis (twice when the first pass removed most of w, DGKS) only when the estimate of
 * the loss of orthogonality asks for it (partial reorthogonalisation). True on breakdown
 * (an invariant subspace).
 */
function lanczosStep(k: Krylov, factor: PseudoInverseSolve, q: Float64Array): boolean {
  const j = k.alpha.length;
  const v = k.basis[j]!;
  const w = k.w;
  factor.solve(v, w);
  deflate(w, [q]);
  const a = dot(w, v);
  k.alpha.push(a);
  axpy(-a, v, w);
  if (j > 0) axpy(-k.beta[j - 1]!, k.basis[j - 1]!, w);
  let b = Math.sqrt(dot(w, w));
  if (k.omega.advance(k.alpha, k.beta, b)) {
    deflate(w, k.basis);
    deflate(w, [q]);
    const once = Math.sqrt(dot(w, w));
    if (once < 0.7071 * b) {
      deflate(w, k.basis);
      deflate(w, [q]);
      b = Math.sqrt(dot(w, w));
    } else b = once;
    k.omega.orthogonalised();
  }
  if (!(b > 1e-14 * Math.abs(a))) return true;
  k.beta.push(b);
  // A copy and the shared scaling kernel: no loop of lanczosStep's own, so V8 does not
  // compile it (with the whole triangular solve inlined) for its few dozen calls.
  const next = w.slice();
  scale(1 / b, next);
  k.basis.push(next);
  return false;
}

interface RitzEstimates {
  /** Largest Ritz values of L^+ first. */
  mu: Float64Array;
  /** Their eigenvectors in the Krylov basis (by inverse iteration, on the first call). */
  s: () => Float64Array[];
  /** Upper bounds of the relative residuals ||L y - y / mu|| / ||L||. */
  bounds: Float64Array;
  converged: (tolerance: number) => boolean;
}

/**
 * ||L v_next|| / ||L|| for the newest basis vector (at most about 1: then the bound is the
 * residual); 1 without a norm estimate or on breakdown.
 */
function residualFactor(lap: SparseLaplacian, factor: PseudoInverseSolve, k: Krylov, input: ShiftInvertInput, breakdown: boolean): number {
  const next = k.basis[k.alpha.length];
  if (!input.normL || breakdown || !next) return 1;
  const normL = input.normL(factor);
  if (!(normL > 0)) return 1;
  if (factor.multiply) factor.multiply(next, k.w);
  else lap.multiply(next, k.w);
  return Math.sqrt(dot(k.w, k.w)) / normL;
}

/**
 * The wanted Ritz values and their residual bounds, from the tridiagonal eigenvalues and
 * the last components of its eigenvectors alone (O(t^2)); the eigenvectors themselves
 * only when asked for, by inverse iteration (O(t) each: QL's O(t^3) for all of them was
 * most of a check's cost in a fresh process).
 */
/**
 * The residuals of Ritz pairs that the bound calls converged, recomputed (one product with L
 * each), within the tolerance. The bound holds for a basis orthogonal to working accuracy;
 * with partial reorthogonalisation a pair can fall short of it (found by the property test
 * against the dense oracle: a 68-node normalized Laplacian whose returned vector had 5.8e-10
 * for 1e-10). A pair that fails makes the run restart from the Ritz vectors.
 */
function residualsConfirmed(lap: SparseLaplacian, factor: PseudoInverseSolve, ritz: { values: Float64Array; vectors: Float64Array[] }, input: ShiftInvertInput): boolean {
  if (!input.normL) return true;
  const limit = input.tolerance * input.normL(factor);
  const work = factor.residualNorm ? undefined : new Float64Array(lap.n);
  return ritz.vectors.every((y, i) => {
    const value = ritz.values[i]!;
    const r = factor.residualNorm ? factor.residualNorm(y, value) : lap.residualNorm(y, value, work);
    return r <= limit;
  });
}

function ritzEstimates(k: Krylov, wanted: number, breakdown: boolean, factor: number): RitzEstimates {
  const t = k.alpha.length;
  const eig = tridiagonalEigenvaluesLast(k.alpha, k.beta, t);
  const last = breakdown ? 0 : (k.beta[t - 1] ?? 0);
  const take = Math.min(wanted, t);
  const mu = new Float64Array(take);
  const bounds = new Float64Array(take);
  for (let i = 0; i < take; i++) {
    const at = t - 1 - i;
    mu[i] = eig.values[at]!;
    bounds[i] = (factor * Math.abs(last * eig.last[at]!)) / Math.max(mu[i]!, Number.MIN_VALUE);
  }
  // The alpha and beta of now (the basis grows after this check).
  const alpha = k.alpha.slice(0, t);
  const beta = k.beta.slice(0, t);
  let vectors: Float64Array[] | undefined;
  // One vector (the Fiedler pair) by inverse iteration; several by QL, which keeps them
  // orthogonal however close their values are.
  const s = (): Float64Array[] => {
    if (vectors) return vectors;
    if (take === 1) return (vectors = [tridiagonalEigenvector(alpha, beta, t, mu[0]!)]);
    const full = tridiagonalEigen(alpha, beta, t);
    return (vectors = Array.from({ length: take }, (_, i) => full.vectors[t - 1 - i]!));
  };
  // A margin of 2: the recomputed residual of the returned vector carries rounding of the
  // solves (relative to ||L||, of the order of 1e-16 lambda_max / lambda2: far below it).
  return { mu, s, bounds, converged: (tolerance) => take === wanted && bounds.every((b) => b <= 0.5 * tolerance) };
}

function combine(basis: readonly Float64Array[], s: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < s.length; i++) axpy(s[i]!, basis[i]!, y);
  return y;
}

function ritzPairs(k: Krylov, est: RitzEstimates, wanted: number, n: number, q: Float64Array, tolerance: number): { values: Float64Array; vectors: Float64Array[]; converged: boolean } {
  const values = new Float64Array(wanted);
  const vectors: Float64Array[] = [];
  const krylov = est.s();
  for (let i = 0; i < wanted; i++) {
    const s = krylov[Math.min(i, krylov.length - 1)]!;
    const y = combine(k.basis, s, n);
    deflate(y, [q]);
    for (const prev of vectors) deflate(y, [prev]);
    normalize(y);
    vectors.push(y);
    values[i] = 1 / est.mu[Math.min(i, est.mu.length - 1)]!;
  }
  return { values, vectors, converged: est.converged(tolerance) };
}
