import { ModelError, describe, runSteps, type Graph, type Steps } from '@emplace/core';
import { chunkedSteps, copyPrefixSteps, csrChunkedSteps, type Checkpoints } from './chunks.js';

export type LaplacianKind = 'combinatorial' | 'normalized';

/**
 * A graph Laplacian in CSR form: the diagonal apart, the off-diagonal entries of row i
 * are `-values[k]` for columns `cols[offsets[i] .. offsets[i+1])` (values are stored as
 * positive couplings). Parallel edges are merged (their weights add up) and self-loops do
 * not appear (they cancel in D - W).
 *
 * combinatorial: L = D - W.   normalized: N = I - D^-1/2 W D^-1/2 (rows of isolated
 * nodes are zero, the networkx convention).
 */
export class SparseLaplacian {
  readonly kind: LaplacianKind;
  readonly n: number;
  readonly offsets: Int32Array;
  readonly cols: Int32Array;
  /** Positive coupling weights: the matrix entry is -values[k]. */
  readonly values: Float64Array;
  readonly diagonal: Float64Array;
  /** Weighted degrees of the graph (sum of incident weights), whatever the kind. */
  readonly degrees: Float64Array;
  /** Edge weights w_ij of the same CSR (merged, unnormalized; the same array as `values` for the combinatorial kind). */
  readonly weights: Float64Array;
  private null: Float64Array | undefined;
  private bound: number | undefined;

  constructor(kind: LaplacianKind, n: number, offsets: Int32Array, cols: Int32Array, values: Float64Array, diagonal: Float64Array, degrees: Float64Array, weights: Float64Array = values, gershgorin?: number) {
    this.kind = kind;
    this.weights = weights;
    this.n = n;
    this.offsets = offsets;
    this.cols = cols;
    this.values = values;
    this.diagonal = diagonal;
    this.degrees = degrees;
    this.bound = gershgorin;
  }

  /**
   * Unit null vector of a connected graph: constant (combinatorial) or D^1/2 1 normalised
   * (normalized). Made on first use: a disconnected graph never needs it, and writing n
   * fresh doubles is milliseconds of page faults on a large graph.
   */
  get nullVector(): Float64Array {
    if (this.null) return this.null;
    const { n, degrees } = this;
    const q = new Float64Array(n);
    if (this.kind === 'combinatorial') q.fill(n > 0 ? 1 / Math.sqrt(n) : 0);
    else {
      let s = 0;
      for (let i = 0; i < n; i++) s += degrees[i]!;
      const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let i = 0; i < n; i++) q[i] = Math.sqrt(degrees[i]!) * scale;
    }
    this.null = q;
    return q;
  }

  /** Number of stored off-diagonal entries (twice the number of distinct edges). */
  get nnz(): number {
    return this.cols.length;
  }

  /** y = L x. Allocates nothing; `x` and `y` must be distinct arrays of length n. */
  multiply(x: Float64Array, y: Float64Array): void {
    this.multiplyRows(x, y, 0, this.n);
  }

  /** Rows [from, to) of y = L x (a product in chunks, for callers that must stay responsive). */
  multiplyRows(x: Float64Array, y: Float64Array, from: number, to: number): void {
    const { offsets, cols, values, diagonal } = this;
    for (let i = from; i < to; i++) {
      let s = diagonal[i]! * x[i]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s -= values[k]! * x[cols[k]!]!;
      y[i] = s;
    }
  }

  /**
   * x^T L x computed as the sum over edges of w_ij (x_i - x_j)^2 (scaled by the degrees
   * for the normalized kind): a sum of non-negative terms, so it keeps full relative
   * accuracy even when the quotient is tiny (no cancellation as in x . (Lx)).
   */
  quadraticForm(x: Float64Array): number {
    const { n, offsets, cols, values } = this;
    let s = 0;
    if (this.kind === 'combinatorial') {
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
          const j = cols[k]!;
          if (j > i) {
            const d = xi - x[j]!;
            s += values[k]! * d * d;
          }
        }
      }
    } else {
      const deg = this.degrees;
      for (let i = 0; i < n; i++) {
        if (deg[i] === 0) continue;
        const xi = x[i]! / Math.sqrt(deg[i]!);
        for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
          const j = cols[k]!;
          if (j > i) {
            const d = xi - x[j]! / Math.sqrt(deg[j]!);
            // The form is sum w_ij (x_i / sqrt d_i - x_j / sqrt d_j)^2.
            s += this.weights[k]! * d * d;
          }
        }
      }
    }
    return s;
  }

  /**
   * The Rayleigh quotient of a unit vector x (as `quadraticForm`) and the residual
   * ||L x - value x|| in one pass over the matrix instead of two (after an abort on a
   * graph of a million edges, each pass is tens of milliseconds of cache misses).
   */
  rayleighResidual(x: Float64Array, work = new Float64Array(this.n)): { value: number; residual: number } {
    const { n, offsets, cols, values, diagonal, weights, degrees } = this;
    const normalized = this.kind === 'normalized';
    let q = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const si = normalized ? (degrees[i]! > 0 ? xi / Math.sqrt(degrees[i]!) : 0) : xi;
      let y = diagonal[i]! * xi;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
        const j = cols[k]!;
        const xj = x[j]!;
        y -= values[k]! * xj;
        if (j > i && (!normalized || degrees[i]! > 0)) {
          const d = si - (normalized ? xj / Math.sqrt(degrees[j]!) : xj);
          q += weights[k]! * d * d;
        }
      }
      work[i] = y;
    }
    let r = 0;
    for (let i = 0; i < n; i++) {
      const t = work[i]! - q * x[i]!;
      r += t * t;
    }
    return { value: q, residual: Math.sqrt(r) };
  }

  /** Upper bound on ||L||_2 by Gershgorin: max_i (L_ii + sum_j |L_ij|) (computed once; `assembleLaplacianSteps` computes it in chunks). */
  gershgorinBound(): number {
    this.bound ??= gershgorinRows(this.offsets, this.values, this.diagonal, 0, this.n, 0);
    return this.bound;
  }

  /** ||L x - lambda x||_2 (allocates one work vector unless `work` is given). */
  residualNorm(x: Float64Array, lambda: number, work = new Float64Array(this.n)): number {
    this.multiply(x, work);
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const r = work[i]! - lambda * x[i]!;
      s += r * r;
    }
    return Math.sqrt(s);
  }

  /** Dense row-major copy (for the small-graph oracle and tests). */
  toDense(): Float64Array {
    const n = this.n;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = this.diagonal[i]!;
      for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k++) a[i * n + this.cols[k]!]! -= this.values[k]!;
    }
    return a;
  }
}

/**
 * Checks that `g` is a usable undirected graph for spectral work: a core Graph, not
 * marked directed, with finite non-negative weights. Names the field at fault.
 */
export function validateSpectralGraph(g: Graph, field = 'graph'): void {
  runSteps(validateSpectralGraphSteps(g, field));
}

/** `validateSpectralGraph` in chunks of edges (false when the run stops first). */
export function* validateSpectralGraphSteps(g: Graph, field = 'graph', cp?: Checkpoints): Steps<boolean> {
  checkUndirectedGraph(g, field);
  return yield* chunkedSteps(g.m, 1 << 17, (from, to) => checkWeights(g.edgeW, from, to, field), cp);
}

/** The checks of `validateSpectralGraph` before the weights: a core Graph, not marked directed. */
export function checkUndirectedGraph(g: Graph, field = 'graph'): void {
  if (g === null || typeof g !== 'object' || g.kind !== 'graph') {
    throw new ModelError(field, `must be a Graph from @emplace/core (createGraph), got ${describe(g)}`);
  }
  // A Graph has no such fields; an object built elsewhere (e.g. a graphology export) may.
  const directed = 'directed' in g && g.directed === true;
  if (directed || ('type' in g && g.type === 'directed')) {
    throw new ModelError(`${field}.directed`, 'is true: spectral methods need an undirected graph (symmetrise it first, e.g. keep each arc as an undirected edge)');
  }
}

/** Throws the ModelError of the first edge in [from, to) whose weight is NaN, infinite or negative. */
export function checkWeights(w: ArrayLike<number>, from: number, to: number, field: string): void {
  for (let e = from; e < to; e++) {
    const x = w[e]!;
    if (x >= 0 && x < Infinity) continue;
    if (Number.isNaN(x)) throw new ModelError(`${field}.edgeW[${e}]`, 'is NaN');
    if (!Number.isFinite(x)) throw new ModelError(`${field}.edgeW[${e}]`, `must be finite, got ${x}`);
    throw new ModelError(`${field}.edgeW[${e}]`, `is negative (${x}): a Laplacian with negative weights is not positive semidefinite`);
  }
}

/**
 * The sparse Laplacian of a core Graph. Parallel edges add up, self-loops are ignored,
 * zero-weight edges are dropped. O(n + m) time and memory.
 */
export function laplacian(g: Graph, kind: LaplacianKind = 'combinatorial'): SparseLaplacian {
  return runSteps(laplacianSteps(g, kind))!;
}

/**
 * `laplacian` in chunks of rows (a checkpoint every ~2^16 adjacency entries): on a graph of
 * a million edges the build takes tens of milliseconds. Undefined when the run stops first.
 */
export function* laplacianSteps(g: Graph, kind: LaplacianKind = 'combinatorial', cp?: Checkpoints): Steps<SparseLaplacian | undefined> {
  if (!(yield* validateSpectralGraphSteps(g, 'graph', cp))) return undefined;
  if (kind !== 'combinatorial' && kind !== 'normalized') {
    throw new ModelError('laplacian', `must be 'combinatorial' or 'normalized', got ${describe(kind)}`);
  }
  const n = g.n;
  const simple = yield* simpleDegreesSteps(g, cp);
  if (simple === undefined) return undefined;
  // A simple graph (no parallel edges, self-loops or zero weights; the usual case) merges
  // nothing: its adjacency is already the Laplacian's CSR, shared instead of 24 MB written
  // afresh for a million edges (and the garbage collection such an allocation triggers).
  if (simple) return yield* assembleLaplacianSteps(kind, n, g.offsets, g.adjNode, g.adjWeight, simple, cp);
  const b: RowMerge = {
    offsets: new Int32Array(n + 1),
    cols: new Int32Array(g.adjNode.length),
    values: new Float64Array(g.adjNode.length),
    slot: new Int32Array(n),
    degrees: new Float64Array(n),
    nnz: 0,
  };
  if (!(yield* csrChunkedSteps(g.offsets, n, (from, to) => mergeRows(g, b, from, to), cp))) return undefined;
  const merged = yield* trimCsrSteps(b.cols, b.values, b.nnz, cp);
  return merged && (yield* assembleLaplacianSteps(kind, n, b.offsets, merged.cols, merged.weights, b.degrees, cp));
}

/**
 * The first `nnz` entries of a CSR's columns and weights: the arrays themselves when they
 * are full (a simple graph merges nothing), else copies made in chunks (tens of MB on a
 * graph of a million edges). Undefined when the run stops first.
 */
export function* trimCsrSteps(cols: Int32Array, weights: Float64Array, nnz: number, cp?: Checkpoints): Steps<{ cols: Int32Array; weights: Float64Array } | undefined> {
  if (nnz === cols.length) return { cols, weights };
  const out = { cols: new Int32Array(nnz), weights: new Float64Array(nnz) };
  if (!(yield* copyPrefixSteps(cols, out.cols, cp))) return undefined;
  if (!(yield* copyPrefixSteps(weights, out.weights, cp))) return undefined;
  return out;
}

/**
 * The Laplacian of a merged weighted CSR (no self-loops, no zero weights) of either kind;
 * the normalized scaling runs in chunks of rows. Undefined when the run stops first.
 */
export function* assembleLaplacianSteps(kind: LaplacianKind, n: number, offsets: Int32Array, cols: Int32Array, weights: Float64Array, degrees: Float64Array, cp?: Checkpoints): Steps<SparseLaplacian | undefined> {
  const diagonal = new Float64Array(n);
  // The Gershgorin bound rides along (the disconnected path and the norm estimate ask for it).
  let bound = 0;
  if (kind === 'combinatorial') {
    const done = yield* csrChunkedSteps(offsets, n, (from, to) => {
      diagonal.set(degrees.subarray(from, to), from);
      bound = gershgorinRows(offsets, weights, diagonal, from, to, bound);
    }, cp);
    return done ? new SparseLaplacian(kind, n, offsets, cols, weights, diagonal, degrees, weights, bound) : undefined;
  }
  const v = new Float64Array(weights.length);
  const inv = new Float64Array(n);
  const invDone = yield* chunkedSteps(n, 1 << 15, (from, to) => {
    for (let i = from; i < to; i++) {
      inv[i] = degrees[i]! > 0 ? 1 / Math.sqrt(degrees[i]!) : 0;
      diagonal[i] = degrees[i]! > 0 ? 1 : 0;
    }
  }, cp);
  if (!invDone) return undefined;
  const scaled = yield* csrChunkedSteps(offsets, n, (from, to) => {
    for (let i = from; i < to; i++) for (let k = offsets[i]!; k < offsets[i + 1]!; k++) v[k] = weights[k]! * inv[i]! * inv[cols[k]!]!;
    bound = gershgorinRows(offsets, v, diagonal, from, to, bound);
  }, cp);
  return scaled ? new SparseLaplacian(kind, n, offsets, cols, v, diagonal, degrees, weights, bound) : undefined;
}

/** max(best, max over rows [from, to) of diagonal_i + sum_k values_k): the Gershgorin bound, a range of rows at a time. */
function gershgorinRows(offsets: Int32Array, values: Float64Array, diagonal: Float64Array, from: number, to: number, best: number): number {
  for (let i = from; i < to; i++) {
    let s = diagonal[i]!;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) s += values[k]!;
    if (s > best) best = s;
  }
  return best;
}

/**
 * The weighted degrees of `g` when its adjacency has no self-loop, zero weight or repeated
 * neighbour (summed in adjacency order, as `mergeRows` sums them), in chunks of rows;
 * false at the first row that would merge or drop an entry; undefined when the run stops.
 */
function* simpleDegreesSteps(g: Graph, cp?: Checkpoints): Steps<Float64Array | false | undefined> {
  const n = g.n;
  const degrees = new Float64Array(n);
  // seen[j] = i + 1 once j is met in row i (0: never; no O(n) fill).
  const seen = new Int32Array(n);
  let simple = true;
  const done = yield* csrChunkedSteps(g.offsets, n, (from, to) => {
    if (simple) simple = simpleRows(g, degrees, seen, from, to);
  }, cp);
  if (!done) return undefined;
  return simple && degrees;
}

function simpleRows(g: Graph, degrees: Float64Array, seen: Int32Array, from: number, to: number): boolean {
  const { offsets, adjNode, adjWeight } = g;
  for (let i = from; i < to; i++) {
    let degree = 0;
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
      const j = adjNode[k]!;
      const w = adjWeight[k]!;
      if (j === i || w === 0 || seen[j] === i + 1) return false;
      seen[j] = i + 1;
      degree += w;
    }
    degrees[i] = degree;
  }
  return true;
}

/** The CSR being merged from a Graph's adjacency, row by row. */
interface RowMerge {
  offsets: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  /** slot[j] - 1: where column j last went (marker array, no sorting; 0 = never, so no O(n) fill before the first checkpoint). */
  slot: Int32Array;
  degrees: Float64Array;
  nnz: number;
}

/** Rows [from, to): parallel edges add up, self-loops and zero weights are dropped. */
function mergeRows(g: Graph, b: RowMerge, from: number, to: number): void {
  const { offsets, cols, values, slot, degrees } = b;
  const { offsets: gOffsets, adjNode, adjWeight } = g;
  let nnz = b.nnz;
  for (let i = from; i < to; i++) {
    const rowStart = nnz;
    let degree = 0;
    for (let k = gOffsets[i]!, end = gOffsets[i + 1]!; k < end; k++) {
      const j = adjNode[k]!;
      const w = adjWeight[k]!;
      if (j === i || w === 0) continue;
      const at = slot[j]! - 1;
      if (at >= rowStart) values[at]! += w;
      else {
        slot[j] = nnz + 1;
        cols[nnz] = j;
        values[nnz] = w;
        nnz++;
      }
      degree += w;
    }
    degrees[i] = degree;
    offsets[i + 1] = nnz;
  }
  b.nnz = nnz;
}
