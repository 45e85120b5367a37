import { runSteps, type Rng, type Steps } from '@emplace/core';
import { symmetricEigen } from './dense.js';
import { axpy, deflate, dot, normalize, randomFillSteps, scale } from './vectors.js';

/** Yields after every chunk of the start vectors (runStepsAsync decides whether the event loop gets a turn). */
const ALWAYS_YIELD = { needsYield: () => true, shouldStop: () => false };

/** A symmetric linear operator y = A x on R^n (must not allocate in hot paths). */
export type LinearOperator = (x: Float64Array, y: Float64Array) => void;

export interface LobpcgInput {
  n: number;
  apply: LinearOperator;
  /** Symmetric positive definite preconditioner z = T r, ideally T ~ A^-1. */
  precondition?: LinearOperator;
  /**
   * The product as steps (checkpoints inside one product, for large operators): returns
   * false when the run stopped in the middle (y is then unusable). Used instead of `apply`.
   */
  applySteps?: (x: Float64Array, y: Float64Array) => Steps<boolean>;
  /**
   * The same preconditioner as steps (checkpoints inside one application, for long ones):
   * returns false when the run stopped in the middle. Used instead of `precondition`.
   */
  preconditionSteps?: (r: Float64Array, z: Float64Array) => Steps<boolean>;
  /** Orthonormal vectors kept out of the search space (known null vectors). */
  deflation?: readonly Float64Array[];
  /** Number of wanted smallest eigenpairs. */
  k: number;
  /** Extra block vectors that speed convergence of the wanted ones (default 2). */
  guard?: number;
  /** Also precondition the guard columns (default false). */
  preconditionGuard?: boolean;
  /** Absolute residual tolerance ||A x - theta x|| for each wanted pair. */
  tolerance: number;
  /**
   * Also require ||A x - theta x|| <= valueTolerance |theta| (but never below `floor`), so
   * that eigenvalues tiny next to ||A|| still get relative accuracy (the eigenvalue error is
   * at most residual^2 / gap). Default: no such requirement.
   */
  valueTolerance?: number;
  floor?: number;
  maxIterations: number;
  /** Starting vectors (warm start); the rest are random. */
  initial?: readonly Float64Array[];
  rng: Rng;
  shouldStop?: () => boolean;
  /** `vectors` are the current Ritz vectors (live storage: copy what you keep). */
  onIteration?: (iteration: number, values: Float64Array, residuals: Float64Array, vectors: readonly Float64Array[]) => void;
}

export interface LobpcgOutput {
  values: Float64Array;
  vectors: Float64Array[];
  residuals: Float64Array;
  iterations: number;
  converged: boolean;
  matvecs: number;
  /**
   * `values` are the Ritz values of the returned vectors (their Rayleigh quotients up to
   * rounding). False when the run stopped before the start block was rotated (values 0).
   */
  valuesCurrent: boolean;
  /** `residuals` belong to the returned vectors (false when the run stopped after X changed and before its residuals were formed). */
  residualsCurrent: boolean;
}

/**
 * Block LOBPCG (Knyazev 2001) for the k smallest eigenpairs of a symmetric operator, in
 * the orthonormal-basis form of Hetmaniuk & Lehoucq (2006): the search space
 * [X, W, P] is orthonormalised explicitly (modified Gram-Schmidt, twice) so that the
 * Rayleigh-Ritz step is a standard symmetric eigenproblem and stays stable down to
 * residuals near machine precision. Converged columns are soft-locked (no new search
 * direction). A-images of X and P are carried along by the same linear combinations and
 * refreshed exactly every few iterations and before the final convergence test, so the
 * residuals reported are true residuals.
 */
export function lobpcg(input: LobpcgInput): LobpcgOutput {
  return runSteps(lobpcgSteps(input));
}

/** The blocks of one LOBPCG run (X, P and their A-images, double-buffered; W, AW) and its counters. */
interface LobpcgState {
  readonly input: LobpcgInput;
  readonly n: number;
  /** Block size (wanted + guard). */
  readonly b: number;
  readonly defl: readonly Float64Array[];
  X: Float64Array[];
  AX: Float64Array[];
  Xn: Float64Array[];
  AXn: Float64Array[];
  P: Float64Array[];
  AP: Float64Array[];
  Pn: Float64Array[];
  APn: Float64Array[];
  /** Residuals are built in W's storage, then preconditioned in place. */
  readonly W: Float64Array[];
  readonly AW: Float64Array[];
  readonly tmp: Float64Array;
  readonly residuals: Float64Array;
  theta: Float64Array;
  /** Live P columns. */
  np: number;
  matvecs: number;
  /** AX holds exact products (not carried-along combinations). */
  exactAX: boolean;
  /** theta holds the Ritz values of X (the start block was rotated). */
  valuesCurrent: boolean;
  /** st.residuals were formed from the current X. */
  residualsCurrent: boolean;
  readonly mv: LinearOperator;
}

function newLobpcgState(input: LobpcgInput): LobpcgState {
  const { n, k } = input;
  const defl = input.deflation ?? [];
  const room = n - defl.length;
  const b = Math.max(k, Math.min(k + (input.guard ?? 2), Math.floor(room / 3)));
  if (b < k || room < k) throw new RangeError(`lobpcg: ${k} pairs asked of an operator of rank <= ${room}`);
  const alloc = (): Float64Array[] => Array.from({ length: b }, () => new Float64Array(n));
  const st: LobpcgState = {
    input, n, b, defl,
    X: alloc(), AX: alloc(), Xn: alloc(), AXn: alloc(),
    P: alloc(), AP: alloc(), Pn: alloc(), APn: alloc(),
    W: alloc(), AW: alloc(),
    tmp: new Float64Array(n),
    residuals: new Float64Array(b),
    theta: new Float64Array(b),
    np: 0,
    matvecs: 0,
    exactAX: true,
    valuesCurrent: false,
    residualsCurrent: false,
    mv: (x, y) => {
      input.apply(x, y);
      st.matvecs++;
    },
  };
  return st;
}

/**
 * Start block: warm-start vectors, then random ones; deflated, orthonormal, Rayleigh-Ritz
 * rotated. A checkpoint after each column. False when the run stopped before the
 * products were complete: X is then orthonormal but not rotated (still valid vectors).
 */
function* startBlockSteps(st: LobpcgState): Steps<boolean> {
  const { input, b, defl, X } = st;
  for (let j = 0; j < b; j++) {
    const x = X[j]!;
    const init = input.initial?.[j];
    for (let attempt = 0; ; attempt++) {
      if (init && attempt === 0) x.set(init);
      else yield* randomFillSteps(x, input.rng, ALWAYS_YIELD);
      deflate(x, defl);
      for (let pass = 0; pass < 2; pass++) for (let q = 0; q < j; q++) axpy(-dot(X[q]!, x), X[q]!, x);
      if (normalize(x) > 1e-8 || attempt > 5) break;
    }
    if (!(yield* mvSteps(st, X[j]!, st.AX[j]!))) return false;
    yield;
  }
  const { values, C } = rayleighRitz(st.X.slice(), st.AX.slice(), b);
  combine(st.X, C, 0, b, st.Xn);
  combine(st.AX, C, 0, b, st.AXn);
  [st.X, st.Xn] = [st.Xn, st.X];
  [st.AX, st.AXn] = [st.AXn, st.AX];
  st.theta = values;
  st.valuesCurrent = true;
  return true;
}

/** y = A x, counted; through `applySteps` (checkpoints inside) when given. False when the run stopped in the middle. */
function* mvSteps(st: LobpcgState, x: Float64Array, y: Float64Array): Steps<boolean> {
  if (!st.input.applySteps) {
    st.mv(x, y);
    return true;
  }
  st.matvecs++;
  return yield* st.input.applySteps(x, y);
}

/** R = AX - X diag(theta), in W's storage; their norms in st.residuals. */
function computeResiduals(st: LobpcgState): void {
  const { n, b, W, X, AX, theta, residuals } = st;
  for (let j = 0; j < b; j++) {
    const r = W[j]!;
    const x = X[j]!;
    const ax = AX[j]!;
    const t = theta[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = ax[i]! - t * x[i]!;
      r[i] = v;
      s += v * v;
    }
    residuals[j] = Math.sqrt(s);
  }
  st.residualsCurrent = true;
}

/** Residual tolerance of column j (absolute, or relative to theta_j when valueTolerance is set). */
function columnLimit(st: LobpcgState, j: number): number {
  const { tolerance, valueTolerance, floor } = st.input;
  return valueTolerance === undefined ? tolerance : Math.min(tolerance, Math.max(valueTolerance * Math.abs(st.theta[j]!), floor ?? 0));
}

/**
 * New directions W = T R for the unconverged columns, orthonormalised against X, P and
 * each other; returns how many, or -1 when the run stopped in the middle (X is then still
 * the current Ritz block). A checkpoint after every preconditioned column and product.
 */
function* newDirectionsSteps(st: LobpcgState): Steps<number> {
  const { input, b, W, tmp, residuals } = st;
  const R = W;
  let nw = 0;
  for (let j = 0; j < b; j++) {
    if (residuals[j]! <= columnLimit(st, j) * 0.5) continue;
    const w = W[nw]!;
    // Only the wanted columns are preconditioned: the guard columns just keep the next
    // eigendirections in the basis, and their raw residuals do that at a fraction of the
    // cost (measured: 10-25% less work on grids, power-law and collaboration graphs).
    if ((input.precondition || input.preconditionSteps) && (j < input.k || input.preconditionGuard === true)) {
      tmp.set(R[j]!);
      if (input.preconditionSteps) {
        if (!(yield* input.preconditionSteps(tmp, w))) return -1;
      } else input.precondition!(tmp, w);
      yield;
      if (input.shouldStop?.()) return -1;
    } else if (w !== R[j]) w.set(R[j]!);
    if (yield* orthogonalizeDirectionSteps(st, w, nw)) nw++;
    if (input.shouldStop?.()) return -1;
  }
  // W was written in place over R; columns beyond nw are stale and ignored.
  for (let j = 0; j < nw; j++) {
    if (!(yield* mvSteps(st, W[j]!, st.AW[j]!))) return -1;
    yield;
    if (input.shouldStop?.()) return -1;
  }
  return nw;
}

/**
 * Orthonormalises w against the null space, X, P and the first nw directions (twice);
 * false when nothing is left of it. A checkpoint after each pass (on a graph of 250k
 * nodes a pass is a dozen sweeps over vectors of n).
 */
function* orthogonalizeDirectionSteps(st: LobpcgState, w: Float64Array, nw: number): Steps<boolean> {
  deflate(w, st.defl);
  const before = Math.sqrt(dot(w, w));
  for (let pass = 0; pass < 2; pass++) {
    orthogonalizePass(st, w, nw);
    yield;
  }
  const after = normalize(w);
  return after > 1e-10 * before && after > 0;
}

function orthogonalizePass(st: LobpcgState, w: Float64Array, nw: number): void {
  const { b, W, X, P } = st;
  for (let q = 0; q < b; q++) axpy(-dot(X[q]!, w), X[q]!, w);
  for (let q = 0; q < st.np; q++) axpy(-dot(P[q]!, w), P[q]!, w);
  for (let q = 0; q < nw; q++) axpy(-dot(W[q]!, w), W[q]!, w);
}

/**
 * Rayleigh-Ritz on [X, W, P]: new X and the new P (the part of the Ritz vectors outside
 * the old X). A checkpoint after the projection and after each block combination; the
 * blocks are swapped in only at the end, so a stop in between is not possible (the
 * caller checks after the step).
 */
function* rayleighRitzSteps(st: LobpcgState, nw: number): Steps<void> {
  const { b } = st;
  const S: Float64Array[] = [...st.X, ...st.W.slice(0, nw), ...st.P.slice(0, st.np)];
  const AS: Float64Array[] = [...st.AX, ...st.AW.slice(0, nw), ...st.AP.slice(0, st.np)];
  const { values, C } = rayleighRitz(S, AS, b);
  yield;
  combine(S, C, 0, b, st.Xn);
  yield;
  combine(AS, C, 0, b, st.AXn);
  yield;
  combine(S, C, b, b, st.Pn);
  yield;
  combine(AS, C, b, b, st.APn);
  st.theta = values;
  [st.X, st.Xn] = [st.Xn, st.X];
  [st.AX, st.AXn] = [st.AXn, st.AX];
  [st.P, st.Pn] = [st.Pn, st.P];
  [st.AP, st.APn] = [st.APn, st.AP];
  st.exactAX = false;
  st.residualsCurrent = false;
}

/** Orthonormalises P against X and itself, carrying AP along; drops dependent columns. */
function orthonormalizeP(st: LobpcgState): void {
  const { b, X, AX, P, AP } = st;
  let np = 0;
  for (let j = 0; j < b; j++) {
    const p = P[j]!;
    const ap = AP[j]!;
    const before = Math.sqrt(dot(p, p));
    if (!(before > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < b; q++) {
        const c = dot(X[q]!, p);
        axpy(-c, X[q]!, p);
        axpy(-c, AX[q]!, ap);
      }
      for (let q = 0; q < np; q++) {
        const c = dot(P[q]!, p);
        axpy(-c, P[q]!, p);
        axpy(-c, AP[q]!, ap);
      }
    }
    const after = Math.sqrt(dot(p, p));
    if (!(after > 1e-10 * before)) continue;
    scale(1 / after, p);
    scale(1 / after, ap);
    if (np !== j) {
      // Keep live columns packed at the front.
      [P[np], P[j]] = [P[j]!, P[np]!];
      [AP[np], AP[j]] = [AP[j]!, AP[np]!];
    }
    np++;
  }
  st.np = np;
}

/** Exact products AX and Rayleigh quotients again (they drift when carried along); false when the run stopped in the middle (X is still valid). */
function* refreshExactSteps(st: LobpcgState, reorthonormalizeFirst: boolean): Steps<boolean> {
  if (reorthonormalizeFirst) reorthonormalize(st.X, st.b);
  // X moved (by rounding) and AX is being replaced: the residuals formed before no longer apply.
  st.residualsCurrent = false;
  for (let j = 0; j < st.b; j++) {
    if (!(yield* mvSteps(st, st.X[j]!, st.AX[j]!))) return false;
    yield;
  }
  st.theta = rayleighQuotients(st.X, st.AX, st.b);
  st.exactAX = true;
  return true;
}

/**
 * LOBPCG as steps: a checkpoint per iteration (see core's runSteps / runStepsAsync). The
 * arithmetic lives in plain functions over a state object (V8 optimises those better than
 * generator bodies); the generator only sequences them.
 */
export function* lobpcgSteps(input: LobpcgInput): Steps<LobpcgOutput> {
  if (input.shouldStop?.()) return stoppedBeforeStart(input);
  const st = newLobpcgState(input);
  const k = input.k;
  const started = yield* startBlockSteps(st);
  let iterations = 0;
  let converged = false;
  for (;;) {
    if (!started || input.shouldStop?.()) break;
    computeResiduals(st);
    input.onIteration?.(iterations, st.theta, st.residuals, st.X);
    let wantedDone = true;
    for (let j = 0; j < k; j++) if (!(st.residuals[j]! <= columnLimit(st, j))) wantedDone = false;
    if (wantedDone) {
      if (st.exactAX) {
        converged = true;
        break;
      }
      // Confirm with exact products before declaring convergence.
      if (!(yield* refreshExactSteps(st, false))) break;
      continue;
    }
    if (iterations >= input.maxIterations) break;
    yield;
    if (input.shouldStop?.()) break;
    iterations++;
    // Checkpoints between the phases of an iteration (and inside the preconditioning):
    // on large graphs one iteration is longer than a yield interval. A stop in the middle
    // leaves X the current Ritz block, which is what is returned.
    const nw = yield* newDirectionsSteps(st);
    if (nw < 0) break;
    yield* rayleighRitzSteps(st, nw);
    yield;
    orthonormalizeP(st);
    if (iterations % 10 === 0 && !(yield* refreshExactSteps(st, true))) break;
  }
  return {
    values: st.theta.slice(0, k),
    vectors: st.X.slice(0, k).map((x) => x.slice()),
    residuals: st.residuals.slice(0, k),
    iterations,
    converged,
    matvecs: st.matvecs,
    valuesCurrent: st.valuesCurrent,
    residualsCurrent: st.residualsCurrent,
  };
}

/**
 * A run already stopped when LOBPCG is called (an abort during the setup): the start block
 * alone (warm-start or random vectors, deflated, orthonormal), without the ten blocks of
 * state and the products an iteration needs. Its values are not known (no product was made).
 */
function stoppedBeforeStart(input: LobpcgInput): LobpcgOutput {
  const { n, k } = input;
  const defl = input.deflation ?? [];
  const vectors: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const x = new Float64Array(n);
    for (let attempt = 0; ; attempt++) {
      const init = input.initial?.[j];
      if (init && attempt === 0) x.set(init);
      else runSteps(randomFillSteps(x, input.rng));
      deflate(x, defl);
      for (let pass = 0; pass < 2; pass++) for (const q of vectors) axpy(-dot(q, x), q, x);
      if (normalize(x) > 1e-8 || attempt > 5) break;
    }
    vectors.push(x);
  }
  return { values: new Float64Array(k), vectors, residuals: new Float64Array(k), iterations: 0, converged: false, matvecs: 0, valuesCurrent: false, residualsCurrent: false };
}

function rayleighQuotients(X: Float64Array[], AX: Float64Array[], b: number): Float64Array {
  const t = new Float64Array(b);
  for (let j = 0; j < b; j++) t[j] = dot(X[j]!, AX[j]!);
  return t;
}

function reorthonormalize(X: Float64Array[], b: number): void {
  for (let j = 0; j < b; j++) {
    for (let q = 0; q < j; q++) axpy(-dot(X[q]!, X[j]!), X[q]!, X[j]!);
    normalize(X[j]!);
  }
}

/** Ritz values (ascending, first `b`) and coefficients of the projected problem S^T A S. */
function rayleighRitz(S: Float64Array[], AS: Float64Array[], b: number): { values: Float64Array; C: Float64Array[] } {
  const s = S.length;
  const G: number[][] = Array.from({ length: s }, () => new Array<number>(s).fill(0));
  for (let i = 0; i < s; i++) {
    for (let j = i; j < s; j++) {
      const v = dot(S[i]!, AS[j]!);
      G[i]![j] = v;
      G[j]![i] = v;
    }
  }
  const eig = symmetricEigen(G, s);
  const C = eig.vectors.slice(0, b);
  return { values: eig.values.slice(0, b), C };
}

/** out[j] = sum_{i >= from} S[i] * C[j][i] for j < b (rows below `from` are skipped). */
function combine(S: Float64Array[], C: Float64Array[], from: number, b: number, out: Float64Array[]): void {
  const n = out[0]!.length;
  for (let j = 0; j < b; j++) {
    const o = out[j]!;
    o.fill(0);
    const c = C[j]!;
    for (let i = from; i < S.length; i++) {
      const coef = c[i]!;
      if (coef === 0) continue;
      const src = S[i]!;
      for (let t = 0; t < n; t++) o[t]! += coef * src[t]!;
    }
  }
}
