import { ModelError, runSteps, SolveRun, describe, type Graph, type SolveOptions, type Steps } from '@emplace/core';
import { symmetricEigen, symmetricEigenSteps, tridiagonalEigenvaluesLast } from './dense.js';
import { laplacian, type LaplacianKind, type SparseLaplacian } from './laplacian.js';
import { lobpcg, lobpcgSteps, type LobpcgInput, type LobpcgOutput } from './lobpcg.js';
import { MultilevelPreconditioner } from './multilevel.js';
import { laplacianComponentsSteps, type LaplacianComponents } from './components.js';
import { deflate, divide, dot, normalize, randomFillSteps } from './vectors.js';
import { bfsOrderSteps, permuteLaplacianSteps } from './ordering.js';
import type { FillBudget } from './min-degree.js';
import { shiftInvertSteps } from './shift-invert.js';
import type { PseudoInverseSolve } from './cholesky.js';
import { csrChunkedSteps } from './chunks.js';
import { nullSpaceBasisSteps } from './null-space.js';
import { diagonalExtremesSteps, twoNodeVectors, type DiagonalExtremes } from './two-node-start.js';

export type EigenMethod = 'auto' | 'lobpcg' | 'dense';
export type PreconditionerKind = 'multilevel' | 'jacobi' | 'none';
/** Whether the Fiedler pair may be found by a sparse factorization (shift-invert): by predicted fill, always, or never. */
export type FactorizationMode = 'auto' | 'always' | 'never';

export interface SpectralOptions extends Omit<SolveOptions, 'method'> {
  /** Which Laplacian: L = D - W (default) or I - D^-1/2 W D^-1/2. */
  laplacian?: LaplacianKind | undefined;
  /** `dense` (Householder + implicit QL, O(n^3), the oracle), `lobpcg`, or `auto` (dense up to `denseMaxNodes`). */
  method?: EigenMethod | undefined;
  /** Residual tolerance relative to ||L||_2: stop when ||L v - lambda v|| <= tolerance ||L||. Default 1e-10. */
  tolerance?: number | undefined;
  maxIterations?: number | undefined;
  /** Preconditioner of LOBPCG (default multilevel). */
  preconditioner?: PreconditionerKind | undefined;
  /** Warm start: approximate eigenvectors (e.g. the Fiedler vector of a similar graph). */
  initial?: readonly Float64Array[] | undefined;
  /** Largest graph the `auto` method solves densely (default 48). */
  denseMaxNodes?: number | undefined;
  /**
   * Extra LOBPCG block vectors beyond the wanted ones. Default for the Fiedler pair:
   * adaptive (none, then one if the observed convergence is slow); for k pairs: k up to 4.
   * More converge faster on clustered spectra but cost more per step.
   */
  guard?: number | undefined;
  /**
   * `auto` (default): with method `auto`, use a minimum-degree sparse Cholesky of the
   * grounded Laplacian and shift-invert Lanczos when the factor stays within a fill budget
   * proportional to the graph's size, else LOBPCG (method `lobpcg` means LOBPCG). `always`
   * tries the factorization whatever its fill (LOBPCG if a pivot fails); `never` skips it.
   */
  factorization?: FactorizationMode | undefined;
  /** Solve large graphs (>= 20,000 nodes) in breadth-first node order for cache locality (default true). */
  reorder?: boolean | undefined;
}

/** k smallest eigenpairs of a Laplacian, with how they were obtained. */
export interface Eigenpairs {
  laplacian: LaplacianKind;
  /** Ascending eigenvalues; values[0] = 0 belongs to the null vector of a connected graph. */
  values: Float64Array;
  /** Unit eigenvectors, vectors[j] with values[j]. */
  vectors: Float64Array[];
  /**
   * ||L v_j - values[j] v_j||_2 recomputed from the returned vectors; on a stopped run (abort,
   * time limit) the eigensolver's own residual when it had formed one for the vector, else NaN
   * (not computed: the run answers at once).
   */
  residuals: Float64Array;
  /** ||L||_2 (largest eigenvalue) estimate used to scale the tolerance. */
  normL: number;
  converged: boolean;
  method: 'dense' | 'lobpcg' | 'shift-invert' | 'components';
  iterations: number;
  matvecs: number;
  components: LaplacianComponents;
}

const DEFAULT_TOLERANCE = 1e-10;

/** Validates the spectral options, naming the bad field. */
export function checkSpectralOptions(o: SpectralOptions): void {
  if (o.method !== undefined && !['auto', 'lobpcg', 'dense'].includes(o.method)) {
    throw new ModelError('options.method', `must be 'auto', 'lobpcg' or 'dense', got ${describe(o.method)}`);
  }
  if (o.preconditioner !== undefined && !['multilevel', 'jacobi', 'none'].includes(o.preconditioner)) {
    throw new ModelError('options.preconditioner', `must be 'multilevel', 'jacobi' or 'none', got ${describe(o.preconditioner)}`);
  }
  if (o.maxIterations !== undefined && !(Number.isInteger(o.maxIterations) && o.maxIterations >= 0)) {
    throw new ModelError('options.maxIterations', `must be a non-negative integer, got ${describe(o.maxIterations)}`);
  }
}

/** Refuses the graphs on which lambda2 is undefined. */
export function requireTwoNodes(g: Graph): void {
  if (g.n === 0) throw new ModelError('graph.n', 'is 0: the empty graph has no Laplacian spectrum');
  if (g.n === 1) throw new ModelError('graph.n', 'is 1: lambda2 needs at least two nodes');
}

/**
 * The k smallest eigenpairs (k >= 2 includes lambda2) of the graph's Laplacian. On a
 * disconnected graph the first `components.count` eigenvalues are exactly 0 and the
 * returned vectors for them are the (scaled) component indicators.
 */
export function smallestEigenpairs(g: Graph, k: number, options: SpectralOptions = {}, run?: SolveRun): Eigenpairs {
  checkSpectralOptions(options);
  const lap = laplacian(g, options.laplacian ?? 'combinatorial');
  requireTwoNodes(g);
  if (!Number.isInteger(k) || k < 1 || k > g.n) throw new ModelError('k', `must be an integer in [1, ${g.n}], got ${describe(k)}`);
  return laplacianEigenpairs(lap, k, options, run ?? new SolveRun(options, 'spectral:eigenpairs', 'min'));
}

/** As smallestEigenpairs, on a Laplacian already built. */
export function laplacianEigenpairs(lap: SparseLaplacian, k: number, options: SpectralOptions, run: SolveRun): Eigenpairs {
  return stoppedBeforeStart(runSteps(laplacianEigenpairsSteps(lap, k, options, run)), run);
}

/**
 * The sync entry points have no no-solution status: a run stopped (time limit, signal)
 * before its eigensolver produced a first vector is an error there.
 */
export function stoppedBeforeStart<T>(value: T | undefined, run: SolveRun): T {
  if (value === undefined) throw new Error(`${run.method}: stopped (${run.stoppedBy()}) during setup, before a first approximation`);
  return value;
}

/** Receives the current approximation of the first non-null pair (original node order, unit, deflated). */
export type RitzReport = (value: number, vector: Float64Array, residual: number, normL: number) => void;

/**
 * `laplacianEigenpairs` as steps (a checkpoint per phase and per iteration): components
 * (exact zeros on a disconnected graph), the dense oracle on small graphs, else the
 * factorization path (minimum-degree Cholesky + shift-invert Lanczos) when its factor is
 * predicted sparse enough, else multilevel-preconditioned LOBPCG. Undefined when the run
 * stops before the eigensolver has a first vector (setup phases, the dense oracle).
 */
export function* laplacianEigenpairsSteps(lap: SparseLaplacian, k: number, options: SpectralOptions, run: SolveRun, report?: RitzReport): Steps<Eigenpairs | undefined> {
  const n = lap.n;
  if (n < 2) throw new ModelError('graph.n', n === 0 ? 'is 0: the empty graph has no Laplacian spectrum' : 'is 1: lambda2 needs at least two nodes');
  const components = yield* laplacianComponentsSteps(lap, run);
  if (!components) return undefined;
  if (components.count > 1) return yield* disconnectedPairsSteps(lap, k, components, run);
  const method = options.method ?? 'auto';
  const useDense = method === 'dense' || (method === 'auto' && n <= (options.denseMaxNodes ?? 48)) || Math.floor((n - 1) / 3) < k;
  if (useDense) return yield* densePairsSteps(lap, k, components, run);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const budget = factorizationBudget(lap, method, options.factorization ?? 'auto');
  if (budget && !run.shouldStop()) {
    // ||L|| only scales the stopping test and the reported residual: a lower estimate by
    // a few power steps (powerNormLowerBound), made when the Lanczos run first needs it.
    let norm: number | undefined;
    // The factorization kernel has its own copy of L (the same arithmetic, compiled).
    const normOf = (factor?: PseudoInverseSolve): number => (norm ??= factor?.normLowerBound ? factor.normLowerBound(POWER_STEPS) : powerNormLowerBound(lap, POWER_STEPS));
    const si = yield* shiftInvertSteps(lap, {
      wanted: k - 1,
      tolerance,
      normL: normOf,
      budget,
      maxIterations: options.maxIterations ?? 2000,
      initial: options.initial,
      rng: run.rng,
      onIteration: (it, value, vector) => {
        run.progress({ phase: 'shift-invert', iterations: it, incumbent: value });
        if (report && run.wantsIncumbent()) reportRitz(lap, vector(), normOf(), report);
      },
    }, run);
    if (si) {
      if (!si.converged && !run.shouldStop()) run.hitIterationLimit();
      return finishPairs(lap, k, si.vectors, { normL: normOf(si.factor), tolerance, converged: si.converged, method: 'shift-invert', iterations: si.iterations, matvecs: si.matvecs, components, stopped: run.shouldStop(), products: si.factor });
    }
    yield;
  }
  // What an answer after a stop needs, found now (see DiagonalExtremes).
  const extremes = run.shouldStop() ? undefined : yield* diagonalExtremesSteps(lap, 2 * (k - 1), run);
  const normL = yield* estimateNormSteps(lap, run, 12, extremes?.maxDiagonal);
  yield;
  const out = yield* lobpcgPairsSteps(lap, k, options, run, normL, report, extremes);
  if (!out.converged && !run.shouldStop()) run.hitIterationLimit();
  const known = { ...(out.valuesCurrent ? { values: out.values } : {}), ...(out.residualsCurrent ? { residuals: out.residuals } : {}), finished: out.finished === true };
  return finishPairs(lap, k, out.vectors, { normL, tolerance, converged: out.converged, method: 'lobpcg', iterations: out.iterations, matvecs: out.matvecs, components, stopped: run.shouldStop(), known });
}

/**
 * The fill budget of the factorization path, or undefined when it is not to be tried.
 * `auto`: graphs of at most FACTOR_MAX_NODES nodes whose factor has at most
 * FILL_PER_ENTRY nonzeros and costs at most FLOPS_PER_ENTRY multiply-adds per entry of
 * the Laplacian (n + 2m). Cost model, per entry of L: LOBPCG with the multilevel
 * preconditioner spends 20-50 iterations of about 25 operations (a product, a W-cycle
 * of about six, block updates); the factorization path spends about 4 operations per
 * factor flop (minimum-degree elimination on the explicit graph costs about three times
 * the numeric factorization) plus 60 per factor nonzero (about 30 Lanczos steps of two
 * triangular solves). The minimum-degree pass stops as soon as it passes the budget, so
 * a graph whose factor would be dense (random power-law graphs, large meshes) pays a
 * bounded part of a LOBPCG run for the attempt; larger graphs are not tried at all.
 * Measured on 40,000-node meshes (issue 17): a 200 x 200 grid (127M factor flops, 1.07M
 * nonzeros) takes 0.72 s by factorization against 0.56 s by LOBPCG (27 products), the
 * same grid with 10 % of its edges dropped and random diagonals 0.73 s against 1.20 s
 * (LOBPCG needs 103 products there: its cost depends on the spectrum, the factorization's
 * does not), so the budget admits factors of such meshes up to about 50,000 nodes (the
 * grid's minimum-degree pass scans 22.5 entries per Laplacian entry). A random graph of
 * 40,000 nodes and 120,000 edges (an expander: its factor is dense) pays about a fifth
 * of its LOBPCG time for the abandoned attempt.
 */
function factorizationBudget(lap: SparseLaplacian, method: EigenMethod, mode: FactorizationMode): FillBudget | undefined {
  if (mode === 'never' || (mode === 'auto' && (method === 'lobpcg' || lap.n > FACTOR_MAX_NODES))) return undefined;
  if (mode === 'always') return { maxNnz: Infinity, maxFlops: Infinity, maxWork: Infinity };
  if (denseRows(lap) > 1) return undefined;
  const size = lap.n + lap.nnz;
  return { maxNnz: FILL_PER_ENTRY * size, maxFlops: FLOPS_PER_ENTRY * size, maxWork: WORK_PER_ENTRY * size };
}

const FACTOR_MAX_NODES = 60_000;

/**
 * Rows denser than AMD's threshold 10 sqrt(n). AMD orders such rows last because the
 * quotient graph handles them badly; here one of them is grounded (removed), and a graph
 * with more than one (power-law hubs) is left to LOBPCG: its factor fills up anyway.
 */
function denseRows(lap: SparseLaplacian): number {
  const threshold = 10 * Math.sqrt(lap.n);
  let count = 0;
  for (let i = 0; i < lap.n; i++) if (lap.offsets[i + 1]! - lap.offsets[i]! > threshold) count++;
  return count;
}
const FILL_PER_ENTRY = 6;
const FLOPS_PER_ENTRY = 800;
const WORK_PER_ENTRY = 26;

/** Sends the current approximation of the first non-null pair as an incumbent. */
function reportRitz(lap: SparseLaplacian, v: Float64Array, normL: number, report: RitzReport): void {
  deflate(v, [lap.nullVector]);
  normalize(v);
  fixSign(v);
  const { value, residual } = lap.rayleighResidual(v);
  report(value, v, residual, normL);
}

/**
 * LOBPCG with the multilevel preconditioner and deflation of the null vector; large
 * graphs are solved in breadth-first order (cache locality). Returns the vectors in the
 * original order.
 */
function* lobpcgPairsSteps(original: SparseLaplacian, k: number, options: SpectralOptions, run: SolveRun, normL: number, report?: RitzReport, extremes?: DiagonalExtremes): Steps<LobpcgOutput & { finished?: boolean }> {
  const n = original.n;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  // Setup (ordering, preconditioner hierarchy) takes a good part of a short budget on
  // large graphs: it runs in chunks with checkpoints. A stop there skips what is left of
  // it and answers at once with unit vectors on two nodes, orthogonal to the null vector,
  // whose Rayleigh quotients (upper bounds of lambda2: a feasible answer) cost a few matrix
  // entries (twoNodeVectors); with a warm start, LOBPCG returns that start block instead.
  let order: Int32Array | undefined;
  let lap = original;
  if ((options.reorder ?? true) && n >= 20_000 && !run.shouldStop()) {
    const bfs = yield* bfsOrderSteps(original, run);
    const permuted = bfs ? yield* permuteLaplacianSteps(original, bfs, run) : undefined;
    if (permuted) {
      order = bfs;
      lap = permuted;
    }
  }
  const toLocal = (v: Float64Array): Float64Array => (order ? Float64Array.from(order, (i) => v[i]!) : v);
  const toOriginal = (v: Float64Array): Float64Array => {
    if (!order) return v;
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[order[r]!] = v[r]!;
    return out;
  };
  const preconditioner = (run.shouldStop() ? undefined : yield* makePreconditionerSteps(lap, options.preconditioner ?? 'multilevel', run)) ?? {};
  // Stopped during the setup: answer at once with vectors whose quotients cost no pass over the edges.
  const early = run.shouldStop() ? twoNodeAnswer(original, k, options, extremes) : undefined;
  if (early) return early;
  // Products of large Laplacians (a million edges: tens of ms) run in chunks of rows.
  const base: LobpcgInput = {
    n,
    apply: (x, y) => lap.multiply(x, y),
    ...(lap.nnz >= 1 << 17 ? { applySteps: (x: Float64Array, y: Float64Array) => csrChunkedSteps(lap.offsets, n, (from, to) => lap.multiplyRows(x, y, from, to), run) } : {}),
    ...(preconditioner.steps ? { preconditionSteps: preconditioner.steps } : {}),
    deflation: [lap.nullVector],
    k: k - 1,
    tolerance: tolerance * normL,
    // Relative accuracy of lambda2 itself when it is tiny next to ||L|| (long paths, huge grids).
    valueTolerance: 1e-4,
    floor: 1e-13 * normL,
    rng: run.rng,
    maxIterations: options.maxIterations ?? 2000,
    ...(options.initial ? { initial: options.initial.map(toLocal) } : {}),
    onIteration: (it, values, residuals, vectors) => {
      run.progress({ phase: 'lobpcg', iterations: it, incumbent: values[0]!, message: `residual ${residuals[0]!.toExponential(2)}` });
      // The current Ritz vector is a valid (unconverged) answer: report it, throttled, so a
      // pool that has to kill the worker still returns it. Built only when it will be sent.
      if (report && run.wantsIncumbent() && vectors[0]) reportRitz(original, toOriginal(vectors[0].slice()), normL, report);
    },
    guard: options.guard ?? Math.min(4, k),
    shouldStop: () => run.shouldStop(),
  };
  const out = k === 2 && options.guard === undefined ? yield* adaptiveFiedlerSteps(base, run) : yield* lobpcgSteps(base);
  // Stopped in the start block's products: its vectors have no value yet (see twoNodeVectors).
  if (!out.valuesCurrent) return twoNodeAnswer(original, k, options, extremes) ?? { ...out, vectors: out.vectors.map(toOriginal) };
  return { ...out, vectors: out.vectors.map(toOriginal) };
}

/** A stopped run's answer without a pass over the edges (twoNodeVectors); undefined with a warm start (its vectors are the better answer). */
function twoNodeAnswer(lap: SparseLaplacian, k: number, options: SpectralOptions, extremes?: DiagonalExtremes): (LobpcgOutput & { finished: boolean }) | undefined {
  if (options.initial !== undefined) return undefined;
  const start = twoNodeVectors(lap, k - 1, extremes);
  if (!start) return undefined;
  return { values: start.values, vectors: start.vectors, residuals: new Float64Array(k - 1), iterations: 0, converged: false, matvecs: 0, valuesCurrent: true, residualsCurrent: false, finished: true };
}

/**
 * Adaptive block size for the Fiedler pair: a single vector is cheapest per step and
 * converges fast when lambda3 is well above lambda2; when the observed contraction
 * predicts a long run (lambda2 and lambda3 close), restart from the current vector with
 * one guard vector, which removes that dependence.
 */
function* adaptiveFiedlerSteps(base: LobpcgInput, run: SolveRun): Steps<LobpcgOutput> {
  const history: number[] = [];
  let slow = false;
  const first = yield* lobpcgSteps({
    ...base,
    guard: 0,
    onIteration: (it, values, residuals, vectors) => {
      base.onIteration?.(it, values, residuals, vectors);
      history.push(residuals[0]!);
    },
    shouldStop: () => {
      if (run.shouldStop()) return true;
      const it = history.length - 1;
      if (it >= 12 && it % 4 === 0) {
        const rate = Math.pow(history[it]! / history[it - 8]!, 1 / 8);
        const remaining = rate < 1 ? Math.log(base.tolerance / history[it]!) / Math.log(rate) : Infinity;
        if (it + remaining > 90) slow = true;
      }
      return slow;
    },
  });
  if (!slow || first.converged || run.shouldStop()) return first;
  const { initial: _initial, ...rest } = base;
  const second = yield* lobpcgSteps({ ...rest, guard: 1, preconditionGuard: true, maxIterations: Math.max(0, base.maxIterations - first.iterations), initial: first.vectors });
  return { ...second, iterations: first.iterations + second.iterations, matvecs: first.matvecs + second.matvecs };
}

/** What the eigensolver already knows of the vectors it returns (each entry j for found[j]). */
interface KnownPairs {
  /** Their Ritz values (Rayleigh quotients up to rounding). */
  values?: Float64Array | undefined;
  /** Their residual norms as the eigensolver formed them. */
  residuals?: Float64Array | undefined;
  /** The vectors are already deflated, unit and sign-fixed (twoNodeVectors): no pass over them. */
  finished?: boolean | undefined;
}

/**
 * The returned pairs: null vector first, then the found vectors deflated, unit, sign-fixed,
 * with exact Rayleigh quotients and residuals. A stopped run (abort, time limit) is answering
 * as soon as it can: it computes no residual (NaN unless the eigensolver already formed it:
 * one product with L of a million edges is 10-70 ms) and takes the Ritz values the
 * eigensolver has instead of recomputing them; only a vector with no known value (stopped
 * before the start block was rotated) gets its Rayleigh quotient, one pass over the edges.
 */
function finishPairs(
  lap: SparseLaplacian,
  k: number,
  found: readonly Float64Array[],
  how: {
    normL: number;
    tolerance: number;
    converged: boolean;
    method: 'lobpcg' | 'shift-invert';
    iterations: number;
    matvecs: number;
    components: LaplacianComponents;
    stopped?: boolean;
    known?: KnownPairs;
    /** The factorization kernel's own copy of L (compiled products: the same values). */
    products?: PseudoInverseSolve;
  },
): Eigenpairs {
  const n = lap.n;
  // The kernel's quotient reads its values as the weights: the combinatorial kind only.
  const kernel = lap.kind === 'combinatorial' ? how.products : undefined;
  const values = new Float64Array(k);
  // A stopped run answers with the Laplacian's own null vector (a copy is a pass over n fresh doubles).
  const vectors: Float64Array[] = [how.stopped ? lap.nullVector : lap.nullVector.slice()];
  const residuals = new Float64Array(k);
  const work = new Float64Array(how.stopped || kernel?.rayleighResidual ? 0 : n);
  // The null vector's residual is 0 up to rounding (rows sum to 0): a product to check it, unless the run was stopped.
  residuals[0] = how.stopped ? 0 : kernel?.residualNorm ? kernel.residualNorm(vectors[0]!, 0) : lap.residualNorm(vectors[0]!, 0, work);
  for (let j = 1; j < k; j++) {
    // A stopped run's vectors are its own (copies of LOBPCG's block, or new): no copy, and none
    // of the passes when they are final already (each pass over a fresh vector of 200k entries
    // is milliseconds of page faults and interpreted code in a fresh process).
    const v = how.stopped ? found[j - 1]! : found[j - 1]!.slice();
    if (!(how.stopped && how.known?.finished)) {
      // A stopped LOBPCG run's Ritz vectors (their values known) are unit and deflated to
      // rounding already: only the sign is fixed (four passes fewer between the stop and the answer).
      if (!(how.stopped && how.known?.values !== undefined)) {
        for (let t = 0; t < j; t++) deflate(v, [vectors[t]!]);
        normalize(v);
      }
      fixSign(v);
    }
    vectors.push(v);
    if (how.stopped) {
      const value = how.known?.values?.[j - 1];
      values[j] = value !== undefined && Number.isFinite(value) ? value : lap.quadraticForm(v);
      residuals[j] = how.known?.residuals?.[j - 1] ?? NaN;
      continue;
    }
    const pair = kernel?.rayleighResidual ? kernel.rayleighResidual(v) : lap.rayleighResidual(v, work);
    values[j] = pair.value;
    residuals[j] = pair.residual;
  }
  if (how.stopped && (how.known?.values === undefined || how.known.finished)) sortPairs(values, vectors, residuals);
  const converged = how.converged && residuals.every((r) => r <= how.tolerance * how.normL * 1.0001 + 1e-300);
  return { laplacian: lap.kind, values, vectors, residuals, normL: how.normL, converged, method: how.method, iterations: how.iterations, matvecs: how.matvecs, components: how.components };
}

/** Pairs 1..k-1 in ascending order of value (a stopped start block is not rotated). */
function sortPairs(values: Float64Array, vectors: Float64Array[], residuals: Float64Array): void {
  const order = Array.from({ length: values.length - 1 }, (_, i) => i + 1).sort((a, b) => values[a]! - values[b]!);
  const v = order.map((i) => values[i]!);
  const x = order.map((i) => vectors[i]!);
  const r = order.map((i) => residuals[i]!);
  for (let t = 0; t < order.length; t++) {
    values[t + 1] = v[t]!;
    vectors[t + 1] = x[t]!;
    residuals[t + 1] = r[t]!;
  }
}

/** The dense oracle, with a checkpoint per Householder column and QL iteration; undefined when the run stops first. */
function* densePairsSteps(lap: SparseLaplacian, k: number, components: LaplacianComponents, run: SolveRun): Steps<Eigenpairs | undefined> {
  const n = lap.n;
  const eig = yield* symmetricEigenSteps(lap.toDense(), n, run);
  if (!eig) return undefined;
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  const residuals = new Float64Array(k);
  const q = lap.nullVector;
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    let v: Float64Array;
    if (j === 0) v = q.slice();
    else {
      v = eig.vectors[j]!;
      deflate(v, [q]);
      for (let t = 1; t < j; t++) deflate(v, [vectors[t]!]);
      normalize(v);
      fixSign(v);
    }
    vectors.push(v);
    values[j] = j === 0 ? 0 : lap.quadraticForm(v);
    residuals[j] = lap.residualNorm(v, values[j]!, work);
  }
  return { laplacian: lap.kind, values, vectors, residuals, normL: eig.values[n - 1]!, converged: true, method: 'dense', iterations: 0, matvecs: 0, components };
}

/**
 * Disconnected graph: lambda_1 = ... = lambda_c = 0 exactly. The null space is spanned by
 * the component indicators (scaled by D^1/2 for the normalized Laplacian); we return an
 * orthonormal basis of it whose first vector is the null vector of the whole graph and
 * whose second separates component 0 from the rest, so values[1] = 0 with residual 0.
 * Built in chunks (every disconnected graph takes this path); undefined when the run stops.
 */
function* disconnectedPairsSteps(lap: SparseLaplacian, k: number, comps: LaplacianComponents, run: SolveRun): Steps<Eigenpairs | undefined> {
  const basis = yield* nullSpaceBasisSteps(lap, k, comps, run);
  if (!basis) return undefined;
  return {
    laplacian: lap.kind,
    values: new Float64Array(k),
    vectors: basis.vectors,
    residuals: basis.residuals,
    normL: lap.gershgorinBound(),
    converged: true,
    method: 'components',
    iterations: 0,
    matvecs: 0,
    components: comps,
  };
}

/** The preconditioner as steps (none: no `steps`); undefined when the run stops while it is built. */
function* makePreconditionerSteps(lap: SparseLaplacian, kind: PreconditionerKind, run: SolveRun): Steps<{ steps?: (r: Float64Array, z: Float64Array) => Steps<boolean> } | undefined> {
  const n = lap.n;
  if (kind === 'none') return {};
  if (kind === 'jacobi') {
    const inv = new Float64Array(n);
    for (let i = 0; i < n; i++) inv[i] = lap.diagonal[i]! > 0 ? 1 / lap.diagonal[i]! : 0;
    return {
      // biome-ignore lint/correctness/useYield: a one-pass preconditioner has no checkpoint
      *steps(r, z) {
        for (let i = 0; i < n; i++) z[i] = r[i]! * inv[i]!;
        return true;
      },
    };
  }
  const ml = yield* MultilevelPreconditioner.build(lap, run);
  if (!ml) return undefined;
  if (lap.kind === 'combinatorial') return { steps: (r, z) => ml.applySteps(r, z, run) };
  // N = D^-1/2 L D^-1/2, so N^+ ~ D^1/2 L^+ D^1/2 on the complement of the null vector.
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = Math.sqrt(lap.degrees[i]!);
  const t = new Float64Array(n);
  return {
    *steps(r, z) {
      for (let i = 0; i < n; i++) t[i] = r[i]! * sq[i]!;
      if (!(yield* ml.applySteps(t, z, run))) return false;
      for (let i = 0; i < n; i++) z[i] = z[i]! * sq[i]!;
      return true;
    },
  };
}

const POWER_STEPS = 4;

/**
 * A lower estimate of ||L||_2 = lambda_max for the factorization path, from `steps`
 * products with L and no Lanczos run of its own: the Rayleigh quotients of power
 * iteration from e_u, u a row of largest diagonal entry. For a positive semidefinite L
 * the quotients x^T L^(2k+1) x / x^T L^(2k) x never decrease with k, so the last is the
 * best: at least L_uu, and from the second on at least d_max + 1 on an unweighted graph
 * (the star of u), near lambda_max on graphs with hubs; on meshes about 0.8 lambda_max.
 * A low estimate only makes the relative tolerance it scales stricter. In a fresh process
 * the 12-step Lanczos estimate (random start, reorthogonalisation, its own tridiagonal
 * eigenproblem: code that runs once, in the interpreter) was a tenth of a 4,000-node solve.
 */
export function powerNormLowerBound(lap: SparseLaplacian, steps = POWER_STEPS): number {
  const n = lap.n;
  const diagonal = lap.diagonal;
  let u = 0;
  for (let i = 1; i < n; i++) if (diagonal[i]! > diagonal[u]!) u = i;
  let x = new Float64Array(n);
  let y = new Float64Array(n);
  x[u] = 1;
  let best = diagonal[u]!;
  for (let k = 0; k < steps; k++) {
    lap.multiply(x, y);
    // x is a unit vector: x . Lx is its Rayleigh quotient.
    best = Math.max(best, dot(x, y));
    const s = Math.sqrt(dot(y, y));
    if (!(s > 0)) break;
    for (let i = 0; i < n; i++) y[i] = y[i]! / s;
    [x, y] = [y, x];
  }
  return Math.max(best, Number.MIN_VALUE);
}

/**
 * A cheap estimate of ||L||_2 = lambda_max from a short Lanczos run (12 steps, full
 * reorthogonalisation), at least the max diagonal entry (a lower bound of lambda_max).
 * Lanczos Ritz values approach lambda_max from below, so the tolerance it scales is never
 * looser than asked; the estimate is typically within a few per cent.
 */
export function estimateNorm(lap: SparseLaplacian, run: SolveRun, steps = 12): number {
  return runSteps(estimateNormSteps(lap, run, steps));
}

/** `estimateNorm` as steps: a checkpoint after every Lanczos step. */
export function* estimateNormSteps(lap: SparseLaplacian, run: SolveRun, steps = 12, knownMaxDiagonal?: number): Steps<number> {
  const n = lap.n;
  const m = Math.min(steps, n);
  const V: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  // Stopped already (during the setup): the max diagonal entry, a lower bound of lambda_max,
  // without filling a start vector of n random numbers first.
  if (run.shouldStop()) return knownMaxDiagonal ?? maxDiagonal(lap);
  const v = new Float64Array(n);
  const rng = run.rng.fork();
  yield* randomFillSteps(v, rng, run);
  normalize(v);
  V.push(v);
  const w = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    const x = V[j]!;
    // In chunks of rows on large graphs; a stop keeps the estimate of the steps done.
    if (!(yield* csrChunkedSteps(lap.offsets, n, (from, to) => lap.multiplyRows(x, w, from, to), run))) break;
    const a = dot(w, V[j]!);
    alpha.push(a);
    // Full reorthogonalisation, vector by vector (the same arithmetic as deflate(w, V)) with a
    // checkpoint where the run wants one: two passes over 12 vectors of 200k entries held the
    // thread 20-25 ms.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of V) {
        deflate(w, [q]);
        if (run.needsYield()) yield;
      }
    }
    const b = Math.sqrt(dot(w, w));
    if (j === m - 1 || b < 1e-12 * Math.abs(a)) break;
    beta.push(b);
    const next = w.slice();
    // In a plain function: a loop in a generator body stays unoptimized (a 10 ms stretch on 200k nodes, cold).
    divide(next, b);
    V.push(next);
    yield;
    // Fewer steps still give a lower estimate of lambda_max (the tolerance it scales stays safe).
    if (run.shouldStop()) break;
  }
  const t = alpha.length;
  const dmax = knownMaxDiagonal ?? maxDiagonal(lap);
  if (t === 0) return dmax;
  // The eigenvalues alone (equal to tridiagonalEigen's bit for bit, without its O(t^3) vectors).
  const eig = tridiagonalEigenvaluesLast(alpha, beta.slice(0, t - 1), t);
  return Math.max(eig.values[t - 1]!, dmax);
}

/** The largest diagonal entry (a lower bound of lambda_max), at least MIN_VALUE. */
function maxDiagonal(lap: SparseLaplacian): number {
  let dmax = 0;
  for (let i = 0; i < lap.n; i++) dmax = Math.max(dmax, lap.diagonal[i]!);
  return Math.max(dmax, Number.MIN_VALUE);
}

/**
 * The largest Laplacian eigenvalue lambda_n (= ||L||_2) and its vector, by LOBPCG on -L
 * (Jacobi-free: the top of the spectrum is where Krylov methods converge fastest).
 */
export function largestEigenpair(g: Graph, options: SpectralOptions = {}): { value: number; vector: Float64Array; residual: number; converged: boolean; iterations: number } {
  checkSpectralOptions(options);
  const lap = laplacian(g, options.laplacian ?? 'combinatorial');
  requireTwoNodes(g);
  const run = new SolveRun(options, 'spectral:largest', 'max');
  return laplacianLargest(lap, options, run);
}

export function laplacianLargest(lap: SparseLaplacian, options: SpectralOptions, run: SolveRun): { value: number; vector: Float64Array; residual: number; converged: boolean; iterations: number } {
  const n = lap.n;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (n <= (options.denseMaxNodes ?? 48) || options.method === 'dense') {
    const eig = symmetricEigen(lap.toDense(), n);
    const v = eig.vectors[n - 1]!;
    fixSign(v);
    return { value: eig.values[n - 1]!, vector: v, residual: lap.residualNorm(v, eig.values[n - 1]!), converged: true, iterations: 0 };
  }
  const norm = lap.gershgorinBound();
  const out = lobpcg({
    n,
    apply: (x, y) => {
      lap.multiply(x, y);
      for (let i = 0; i < n; i++) y[i] = -y[i]!;
    },
    k: 1,
    guard: 3,
    tolerance: tolerance * norm,
    maxIterations: options.maxIterations ?? 1000,
    rng: run.rng,
    shouldStop: () => run.shouldStop(),
  });
  const v = out.vectors[0]!;
  normalize(v);
  fixSign(v);
  const value = lap.quadraticForm(v);
  return { value, vector: v, residual: lap.residualNorm(v, value), converged: out.converged, iterations: out.iterations };
}

/** Deterministic sign: the entry of largest magnitude is positive. */
export function fixSign(v: Float64Array): void {
  let best = 0;
  let at = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > best + 1e-12) {
      best = a;
      at = i;
    }
  }
  if (v[at]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
}
