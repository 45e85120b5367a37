import { ModelError, runSteps, SolveRun, describe, type Graph, type SolveOptions, type Steps } from '@emplace/core';
import { symmetricEigen } from './dense.js';
import { laplacian, type LaplacianKind, type SparseLaplacian } from './laplacian.js';
import { lobpcg, lobpcgSteps, type LinearOperator, type LobpcgOutput } from './lobpcg.js';
import { MultilevelPreconditioner } from './multilevel.js';
import { laplacianComponents, type LaplacianComponents } from './components.js';
import { deflate, dot, normalize } from './vectors.js';
import { bfsOrder, permuteLaplacian } from './ordering.js';

export type EigenMethod = 'auto' | 'lobpcg' | 'dense';
export type PreconditionerKind = 'multilevel' | 'jacobi' | 'none';

export interface SpectralOptions extends Omit<SolveOptions, 'method'> {
  /** Which Laplacian: L = D - W (default) or I - D^-1/2 W D^-1/2. */
  laplacian?: LaplacianKind | undefined;
  /** `dense` (ml-matrix, O(n^3), the oracle), `lobpcg`, or `auto` (dense up to `denseMaxNodes`). */
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
  /** ||L v_j - values[j] v_j||_2 recomputed from the returned vectors. */
  residuals: Float64Array;
  /** ||L||_2 (largest eigenvalue) estimate used to scale the tolerance. */
  normL: number;
  converged: boolean;
  method: 'dense' | 'lobpcg' | 'components';
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
  return runSteps(laplacianEigenpairsSteps(lap, k, options, run));
}

/** `laplacianEigenpairs` as steps: a checkpoint per LOBPCG iteration. */
/** Receives the current approximation of the first non-null pair (original node order, unit, deflated). */
export type RitzReport = (value: number, vector: Float64Array, residual: number, normL: number) => void;

export function* laplacianEigenpairsSteps(lap: SparseLaplacian, k: number, options: SpectralOptions, run: SolveRun, report?: RitzReport): Steps<Eigenpairs> {
  // (lap is re-bound to a reordered copy for large graphs)
  const n = lap.n;
  if (n < 2) throw new ModelError('graph.n', n === 0 ? 'is 0: the empty graph has no Laplacian spectrum' : 'is 1: lambda2 needs at least two nodes');
  const components = laplacianComponents(lap);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (components.count > 1) return disconnectedPairs(lap, k, components);

  const denseMax = options.denseMaxNodes ?? 48;
  const method = options.method ?? 'auto';
  const guardRoom = Math.floor((n - 1) / 3);
  const useDense = method === 'dense' || (method === 'auto' && n <= denseMax) || guardRoom < k;
  if (useDense) return densePairs(lap, k, components);

  // Large graphs are solved in breadth-first order (cache locality), results mapped back.
  const reorder = (options.reorder ?? true) && n >= 20_000;
  const order = reorder ? bfsOrder(lap) : undefined;
  const original = lap;
  if (order) lap = permuteLaplacian(lap, order);
  // Setup (ordering, norm estimate, preconditioner hierarchy) takes a good part of a short
  // budget on large graphs: checkpoints between its stages let timers and aborts in.
  yield;
  const toLocal = (v: Float64Array): Float64Array => (order ? Float64Array.from(order, (i) => v[i]!) : v);
  const toOriginal = (v: Float64Array): Float64Array => {
    if (!order) return v;
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[order[r]!] = v[r]!;
    return out;
  };
  const normL = estimateNorm(lap, run);
  yield;
  const q = lap.nullVector;
  const precondition = run.shouldStop() ? undefined : makePreconditioner(lap, options.preconditioner ?? 'multilevel');
  yield;
  const apply: LinearOperator = (x, y) => lap.multiply(x, y);
  const maxIterations = options.maxIterations ?? 2000;
  const base = {
    n,
    apply,
    ...(precondition ? { precondition } : {}),
    deflation: [q],
    k: k - 1,
    tolerance: tolerance * normL,
    // Relative accuracy of lambda2 itself when it is tiny next to ||L|| (long paths, huge grids).
    valueTolerance: 1e-4,
    floor: 1e-13 * normL,
    rng: run.rng,
    onIteration: (it: number, values: Float64Array, residuals: Float64Array, vectors: readonly Float64Array[]) => {
      run.progress({ phase: 'lobpcg', iterations: it, incumbent: values[0]!, message: `residual ${residuals[0]!.toExponential(2)}` });
      // The current Ritz vector is a valid (unconverged) answer: report it, throttled, so a
      // pool that has to kill the worker still returns it. Built only when it will be sent.
      if (report && run.wantsIncumbent() && vectors[0]) {
        const v = toOriginal(Float64Array.from(vectors[0]));
        deflate(v, [original.nullVector]);
        normalize(v);
        fixSign(v);
        const value = original.quadraticForm(v);
        report(value, v, original.residualNorm(v, value), normL);
      }
    },
  };
  const initial = options.initial ? options.initial.map(toLocal) : undefined;
  let out: LobpcgOutput;
  if (k === 2 && options.guard === undefined) {
    // Adaptive block size for the Fiedler pair: a single vector is cheapest per step and
    // converges fast when lambda3 is well above lambda2; when the observed contraction
    // predicts a long run (lambda2 and lambda3 close), restart from the current vector
    // with one guard vector, which removes that dependence.
    const history: number[] = [];
    let slow = false;
    const first = yield* lobpcgSteps({
      ...base,
      guard: 0,
      maxIterations,
      ...(initial ? { initial } : {}),
      onIteration: (it, values, residuals, vectors) => {
        base.onIteration(it, values, residuals, vectors);
        history.push(residuals[0]!);
      },
      shouldStop: () => {
        if (run.shouldStop()) return true;
        const it = history.length - 1;
        if (it >= 12 && it % 4 === 0) {
          const rate = Math.pow(history[it]! / history[it - 8]!, 1 / 8);
          const target = base.tolerance;
          const remaining = rate < 1 ? Math.log(target / history[it]!) / Math.log(rate) : Infinity;
          if (it + remaining > 90) slow = true;
        }
        return slow;
      },
    });
    if (slow && !first.converged) {
      const second = yield* lobpcgSteps({ ...base, guard: 1, preconditionGuard: true, maxIterations: Math.max(0, maxIterations - first.iterations), initial: first.vectors, shouldStop: () => run.shouldStop() });
      out = { ...second, iterations: first.iterations + second.iterations, matvecs: first.matvecs + second.matvecs };
    } else out = first;
  } else {
    out = yield* lobpcgSteps({
      ...base,
      guard: options.guard ?? Math.min(4, k),
      maxIterations,
      ...(initial ? { initial } : {}),
      shouldStop: () => run.shouldStop(),
    });
  }
  if (!out.converged && !run.shouldStop()) run.hitIterationLimit();
  const values = new Float64Array(k);
  lap = original;
  const vectors: Float64Array[] = [Float64Array.from(lap.nullVector)];
  const residuals = new Float64Array(k);
  residuals[0] = lap.residualNorm(vectors[0]!, 0);
  const work = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    const v = toOriginal(out.vectors[j - 1]!);
    deflate(v, [vectors[0]!]);
    for (let t = 1; t < j; t++) deflate(v, [vectors[t]!]);
    normalize(v);
    fixSign(v);
    vectors.push(v);
    values[j] = lap.quadraticForm(v);
    residuals[j] = lap.residualNorm(v, values[j]!, work);
  }
  const converged = out.converged && residuals.every((r) => r <= tolerance * normL * 1.0001 + 1e-300);
  return { laplacian: lap.kind, values, vectors, residuals, normL, converged, method: 'lobpcg', iterations: out.iterations, matvecs: out.matvecs, components };
}

function densePairs(lap: SparseLaplacian, k: number, components: LaplacianComponents): Eigenpairs {
  const n = lap.n;
  const eig = symmetricEigen(lap.toDense(), n);
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  const residuals = new Float64Array(k);
  const q = lap.nullVector;
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    let v: Float64Array;
    if (j === 0) v = Float64Array.from(q);
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
 */
function disconnectedPairs(lap: SparseLaplacian, k: number, comps: LaplacianComponents): Eigenpairs {
  const n = lap.n;
  const c = comps.count;
  if (k > c) {
    throw new ModelError('graph', `has ${c} connected components, so its ${c} smallest Laplacian eigenvalues are 0; ask for k <= ${c} pairs, or take the pairs of each component (component[] is returned by laplacianComponents)`);
  }
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = lap.kind === 'normalized' ? (lap.degrees[i]! > 0 ? Math.sqrt(lap.degrees[i]!) : 1) : 1;
  const basis: Float64Array[] = [];
  const whole = Float64Array.from(s);
  normalize(whole);
  basis.push(whole);
  // Indicators of components 0, 1, ... orthogonalised against what is already there.
  for (let comp = 0; basis.length < k && comp < c; comp++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) if (comps.component[i] === comp) v[i] = s[i]!;
    for (let pass = 0; pass < 2; pass++) deflate(v, basis);
    if (normalize(v) > 1e-12) {
      fixSign(v);
      basis.push(v);
    }
  }
  const residuals = new Float64Array(k);
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) residuals[j] = lap.residualNorm(basis[j]!, 0, work);
  return {
    laplacian: lap.kind,
    values: new Float64Array(k),
    vectors: basis,
    residuals,
    normL: lap.gershgorinBound(),
    converged: true,
    method: 'components',
    iterations: 0,
    matvecs: 0,
    components: comps,
  };
}

function makePreconditioner(lap: SparseLaplacian, kind: PreconditionerKind): LinearOperator | undefined {
  const n = lap.n;
  if (kind === 'none') return undefined;
  if (kind === 'jacobi') {
    const inv = new Float64Array(n);
    for (let i = 0; i < n; i++) inv[i] = lap.diagonal[i]! > 0 ? 1 / lap.diagonal[i]! : 0;
    return (r, z) => {
      for (let i = 0; i < n; i++) z[i] = r[i]! * inv[i]!;
    };
  }
  const ml = new MultilevelPreconditioner(lap);
  if (lap.kind === 'combinatorial') return (r, z) => ml.applyCombinatorial(r, z);
  // N = D^-1/2 L D^-1/2, so N^+ ~ D^1/2 L^+ D^1/2 on the complement of the null vector.
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = Math.sqrt(lap.degrees[i]!);
  const t = new Float64Array(n);
  return (r, z) => {
    for (let i = 0; i < n; i++) t[i] = r[i]! * sq[i]!;
    ml.applyCombinatorial(t, z);
    for (let i = 0; i < n; i++) z[i] = z[i]! * sq[i]!;
  };
}

/**
 * A cheap estimate of ||L||_2 = lambda_max from a short Lanczos run (12 steps, full
 * reorthogonalisation), at least the max diagonal entry (a lower bound of lambda_max).
 * Lanczos Ritz values approach lambda_max from below, so the tolerance it scales is never
 * looser than asked; the estimate is typically within a few per cent.
 */
export function estimateNorm(lap: SparseLaplacian, run: SolveRun, steps = 12): number {
  const n = lap.n;
  const m = Math.min(steps, n);
  const V: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const v = new Float64Array(n);
  const rng = run.rng.fork();
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  normalize(v);
  V.push(v);
  const w = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    lap.multiply(V[j]!, w);
    const a = dot(w, V[j]!);
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) deflate(w, V);
    const b = Math.sqrt(dot(w, w));
    if (j === m - 1 || b < 1e-12 * Math.abs(a)) break;
    beta.push(b);
    const next = Float64Array.from(w);
    for (let i = 0; i < n; i++) next[i] = next[i]! / b;
    V.push(next);
  }
  const t = alpha.length;
  const T = new Float64Array(t * t);
  for (let i = 0; i < t; i++) {
    T[i * t + i] = alpha[i]!;
    if (i + 1 < t) {
      T[i * t + i + 1] = beta[i]!;
      T[(i + 1) * t + i] = beta[i]!;
    }
  }
  const eig = symmetricEigen(T, t);
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, lap.diagonal[i]!);
  return Math.max(eig.values[t - 1]!, dmax, Number.MIN_VALUE);
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
