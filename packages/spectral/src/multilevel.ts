import { runSteps, type Steps } from '@emplace/core';
import { denseCholesky, denseCholeskySolve } from './dense.js';
import type { SparseLaplacian } from './laplacian.js';

/**
 * A cheap algebraic multigrid preconditioner for graph Laplacians: approximates L^+ on
 * the vectors orthogonal to the constant.
 *
 * Coarsening is double pairwise aggregation (each node pairs with its strongest
 * unpaired neighbour, leftovers join their strongest neighbour's pair; done twice per
 * level, so a level shrinks the graph about four times). With piecewise-constant
 * prolongation the Galerkin operator P^T L P is again a Laplacian: the contracted graph,
 * whose edge weights are the summed weights between aggregates. The cycle is a W-cycle
 * with one forward Gauss-Seidel sweep before and one backward sweep after the coarse
 * correction (so the preconditioner is symmetric, as LOBPCG needs), and an exact dense
 * solve of the grounded coarsest Laplacian. Setup is O(m); one application costs about
 * six sparse matrix-vector products.
 */
export interface MultilevelOptions {
  coarsestSize?: number | undefined;
  cycleIndex?: number | undefined;
  sweeps?: number | undefined;
}

/**
 * Double pairwise aggregation, level after level, down to `coarsestSize` nodes. The
 * hierarchy is always built on the combinatorial structure (diagonal = weighted degree,
 * couplings = weights).
 */
function* coarsenSteps(lap: SparseLaplacian, coarsestSize: number, run?: { needsYield(): boolean }): Steps<Level[]> {
  let level: Level = lap.kind === 'combinatorial'
    ? makeLevel(lap.n, lap.offsets, lap.cols, lap.values, lap.diagonal)
    : makeLevel(lap.n, lap.offsets, lap.cols, lap.weights, lap.degrees);
  const levels = [level];
  while (level.n > coarsestSize && levels.length < 40) {
    if (run?.needsYield()) yield;
    const first = pairwiseAggregate(level.n, level.offsets, level.cols, level.values);
    if (run?.needsYield()) yield;
    const mid = contract(level, first.map, first.count);
    if (run?.needsYield()) yield;
    const second = pairwiseAggregate(mid.n, mid.offsets, mid.cols, mid.values);
    if (run?.needsYield()) yield;
    const map = new Int32Array(level.n);
    for (let i = 0; i < level.n; i++) map[i] = second.map[first.map[i]!]!;
    if (second.count > 0.8 * level.n) break; // stagnation (e.g. many isolated nodes): stop coarsening
    level.aggregate = map;
    const coarse = contract(level, map, second.count);
    levels.push(coarse);
    level = coarse;
  }
  return levels;
}

/**
 * Dense Cholesky of the coarsest level when it is small: L + c 11^T is SPD on a connected
 * graph, and its solution of a zero-sum right-hand side is the minimum-norm solution of
 * L x = b.
 */
function coarsestFactor(last: Level): Float64Array | undefined {
  if (last.n > 2048) return undefined;
  const n = last.n;
  const a = new Float64Array(n * n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += last.diagonal[i]!;
  const c = trace > 0 ? trace / n / n : 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = c;
    a[i * n + i]! += last.diagonal[i]!;
    for (let k = last.offsets[i]!; k < last.offsets[i + 1]!; k++) a[i * n + last.cols[k]!]! -= last.values[k]!;
  }
  return denseCholesky(a, n) ? a : undefined;
}

export class MultilevelPreconditioner {
  readonly levels: Level[];
  private readonly coarseFactor: Float64Array | undefined;
  private readonly cycleIndex: number;
  private readonly sweeps: number;

  /** The hierarchy built in steps (a checkpoint after each coarsening), for callers that must stay responsive. */
  static *build(lap: SparseLaplacian, run?: { needsYield(): boolean }, options: MultilevelOptions = {}): Steps<MultilevelPreconditioner> {
    const levels = yield* coarsenSteps(lap, options.coarsestSize ?? 256, run);
    return new MultilevelPreconditioner(lap, options, levels);
  }

  constructor(lap: SparseLaplacian, options: MultilevelOptions = {}, levels?: Level[]) {
    this.cycleIndex = options.cycleIndex ?? 2;
    this.sweeps = options.sweeps ?? 1;
    this.levels = levels ?? runSteps(coarsenSteps(lap, options.coarsestSize ?? 256));
    this.coarseFactor = coarsestFactor(this.levels[this.levels.length - 1]!);
  }

  /** Total stored couplings over the fine level (operator complexity, >= 1). */
  get complexity(): number {
    let s = 0;
    for (const l of this.levels) s += l.cols.length + l.n;
    const f = this.levels[0]!;
    return s / (f.cols.length + f.n);
  }

  /** z ~ L^+ r for a zero-sum r. z is overwritten; r is not modified. */
  applyCombinatorial(r: Float64Array, z: Float64Array): void {
    const top = this.levels[0]!;
    top.b.set(r);
    z.fill(0);
    this.cycle(0, z);
    removeMean(z);
  }

  private cycle(l: number, x: Float64Array): void {
    const level = this.levels[l]!;
    if (l === this.levels.length - 1) {
      this.solveCoarsest(level, x);
      return;
    }
    const b = level.b;
    for (let s = 0; s < this.sweeps; s++) gaussSeidel(level, x, b, true);
    // r = b - L x, restricted by summing over aggregates.
    const coarse = this.levels[l + 1]!;
    const r = level.r;
    residual(level, x, b, r);
    const bc = coarse.b;
    bc.fill(0);
    const map = level.aggregate!;
    for (let i = 0; i < level.n; i++) bc[map[i]!]! += r[i]!;
    const xc = coarse.x;
    xc.fill(0);
    // W-cycle only where the coarse level is much cheaper than this one (else the work
    // would not stay O(nnz)): dense contracted hub graphs get a V-cycle.
    const cheap = coarse.cols.length + coarse.n <= 0.5 * (level.cols.length + level.n);
    const repeats = l + 1 === this.levels.length - 1 || !cheap ? 1 : this.cycleIndex;
    for (let t = 0; t < repeats; t++) this.cycle(l + 1, xc);
    for (let i = 0; i < level.n; i++) x[i]! += xc[map[i]!]!;
    for (let s = 0; s < this.sweeps; s++) gaussSeidel(level, x, b, false);
  }

  private solveCoarsest(level: Level, x: Float64Array): void {
    const n = level.n;
    if (this.coarseFactor) {
      const t = level.r;
      // Correction for the current x: solve L d = b - L x.
      residual(level, x, level.b, t);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += t[i]!;
      mean /= n;
      for (let i = 0; i < n; i++) t[i] = t[i]! - mean;
      denseCholeskySolve(this.coarseFactor, n, t);
      for (let i = 0; i < n; i++) x[i]! += t[i]!;
    } else {
      for (let s = 0; s < 10; s++) {
        gaussSeidel(level, x, level.b, true);
        gaussSeidel(level, x, level.b, false);
      }
    }
  }
}

interface Level {
  n: number;
  offsets: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  diagonal: Float64Array;
  /** Fine node -> coarse node of the next level (absent on the coarsest). */
  aggregate?: Int32Array;
  b: Float64Array;
  x: Float64Array;
  r: Float64Array;
}

function makeLevel(n: number, offsets: Int32Array, cols: Int32Array, values: Float64Array, diagonal: Float64Array): Level {
  return { n, offsets, cols, values, diagonal, b: new Float64Array(n), x: new Float64Array(n), r: new Float64Array(n) };
}

function gaussSeidel(level: Level, x: Float64Array, b: Float64Array, forward: boolean): void {
  const { n, offsets, cols, values, diagonal } = level;
  if (forward) {
    for (let i = 0; i < n; i++) {
      const d = diagonal[i]!;
      if (d === 0) continue;
      let s = b[i]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += values[k]! * x[cols[k]!]!;
      x[i] = s / d;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const d = diagonal[i]!;
      if (d === 0) continue;
      let s = b[i]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += values[k]! * x[cols[k]!]!;
      x[i] = s / d;
    }
  }
}

function residual(level: Level, x: Float64Array, b: Float64Array, r: Float64Array): void {
  const { n, offsets, cols, values, diagonal } = level;
  for (let i = 0; i < n; i++) {
    let s = b[i]! - diagonal[i]! * x[i]!;
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += values[k]! * x[cols[k]!]!;
    r[i] = s;
  }
}

function removeMean(z: Float64Array): void {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i]!;
  s /= z.length;
  for (let i = 0; i < z.length; i++) z[i] = z[i]! - s;
}

/**
 * One pass of pairwise aggregation: each unassigned node (in index order) pairs with its
 * strongest unassigned neighbour (ties to the one of smaller weighted degree); a node
 * whose neighbours are all taken joins the aggregate of its strongest neighbour.
 */
export function pairwiseAggregate(n: number, offsets: Int32Array, cols: Int32Array, values: Float64Array): { map: Int32Array; count: number } {
  const map = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (map[i] !== -1) continue;
    let best = -1;
    let bestW = 0;
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
      const j = cols[k]!;
      if (map[j] !== -1) continue;
      const w = values[k]!;
      if (w > bestW) {
        bestW = w;
        best = j;
      }
    }
    if (best >= 0) {
      map[i] = count;
      map[best] = count;
      count++;
    } else map[i] = -2; // leftover, placed below
  }
  for (let i = 0; i < n; i++) {
    if (map[i] !== -2) continue;
    let best = -1;
    let bestW = 0;
    for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
      const j = cols[k]!;
      if (map[j]! >= 0 && values[k]! > bestW) {
        bestW = values[k]!;
        best = j;
      }
    }
    map[i] = best >= 0 ? map[best]! : count++;
  }
  return { map, count };
}

/** The Galerkin coarse Laplacian P^T L P of a piecewise-constant aggregation: the contracted graph. */
function contract(level: Level, map: Int32Array, nc: number): Level {
  const { n, offsets, cols, values } = level;
  // Members of each aggregate (counting sort).
  const start = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) start[map[i]! + 1]!++;
  for (let a = 0; a < nc; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, nc);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[map[i]!]!++] = i;
  const slot = new Int32Array(nc).fill(-1);
  const cOffsets = new Int32Array(nc + 1);
  let cap = Math.max(16, Math.min(values.length, 4 * nc));
  let cCols = new Int32Array(cap);
  let cVals = new Float64Array(cap);
  const diag = new Float64Array(nc);
  let nnz = 0;
  for (let a = 0; a < nc; a++) {
    const rowStart = nnz;
    for (let p = start[a]!; p < start[a + 1]!; p++) {
      const i = members[p]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
        const b = map[cols[k]!]!;
        if (b === a) continue;
        const at = slot[b]!;
        if (at >= rowStart) cVals[at]! += values[k]!;
        else {
          if (nnz === cap) {
            cap *= 2;
            const nc2 = new Int32Array(cap);
            nc2.set(cCols);
            cCols = nc2;
            const nv2 = new Float64Array(cap);
            nv2.set(cVals);
            cVals = nv2;
          }
          slot[b] = nnz;
          cCols[nnz] = b;
          cVals[nnz] = values[k]!;
          nnz++;
        }
      }
    }
    let d = 0;
    for (let k = rowStart; k < nnz; k++) d += cVals[k]!;
    diag[a] = d;
    cOffsets[a + 1] = nnz;
  }
  return makeLevel(nc, cOffsets, cCols.slice(0, nnz), cVals.slice(0, nnz), diag);
}
