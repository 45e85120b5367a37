import { runSteps, type Steps } from '@emplace/core';
import { chunkedSteps, copyPrefixSteps, rowsPerChunk, type Checkpoints } from './chunks.js';
import { denseCholeskySolve, denseCholeskySteps } from './dense.js';
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
 * couplings = weights). Every pass runs in chunks of rows with checkpoints; undefined
 * when the run stops first.
 */
function* coarsenSteps(lap: SparseLaplacian, coarsestSize: number, cp?: Checkpoints): Steps<Level[] | undefined> {
  let level: Level = lap.kind === 'combinatorial'
    ? makeLevel(lap.n, lap.offsets, lap.cols, lap.values, lap.diagonal)
    : makeLevel(lap.n, lap.offsets, lap.cols, lap.weights, lap.degrees);
  const levels = [level];
  while (level.n > coarsestSize && levels.length < 40) {
    const first = yield* pairwiseAggregateSteps(level.n, level.offsets, level.cols, level.values, cp);
    if (!first) return undefined;
    const mid = yield* contractSteps(level, first.map, first.count, cp);
    if (!mid) return undefined;
    const second = yield* pairwiseAggregateSteps(mid.n, mid.offsets, mid.cols, mid.values, cp);
    if (!second) return undefined;
    const map = composeMaps(first.map, second.map);
    if (second.count > 0.8 * level.n) break; // stagnation (e.g. many isolated nodes): stop coarsening
    level.aggregate = map;
    const coarse = yield* contractSteps(level, map, second.count, cp);
    if (!coarse) return undefined;
    levels.push(coarse);
    level = coarse;
  }
  return levels;
}

/** map[i] = second[first[i]]: the aggregate of the aggregate. */
function composeMaps(first: Int32Array, second: Int32Array): Int32Array {
  const map = new Int32Array(first.length);
  for (let i = 0; i < first.length; i++) map[i] = second[first[i]!]!;
  return map;
}

/**
 * Dense Cholesky of the coarsest level when it is small: L + c 11^T is SPD on a connected
 * graph, and its solution of a zero-sum right-hand side is the minimum-norm solution of
 * L x = b. A checkpoint after every column (a stagnated coarsening can leave 2048 nodes:
 * seconds of work). Null when there is none; undefined when the run stops first.
 */
function* coarsestFactorSteps(last: Level, cp?: Checkpoints): Steps<Float64Array | null | undefined> {
  if (last.n > 2048) return null;
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
  const ok = yield* denseCholeskySteps(a, n, cp);
  return ok === undefined ? undefined : ok ? a : null;
}

export class MultilevelPreconditioner {
  readonly levels: Level[];
  private readonly coarseFactor: Float64Array | undefined;
  private readonly cycleIndex: number;
  private readonly sweeps: number;

  /** The hierarchy built in steps (checkpoints inside every pass), for callers that must stay responsive; undefined when the run stops first. */
  static *build(lap: SparseLaplacian, cp?: Checkpoints, options: MultilevelOptions = {}): Steps<MultilevelPreconditioner | undefined> {
    const levels = yield* coarsenSteps(lap, options.coarsestSize ?? 256, cp);
    if (!levels) return undefined;
    const factor = yield* coarsestFactorSteps(levels[levels.length - 1]!, cp);
    return factor === undefined ? undefined : new MultilevelPreconditioner(lap, options, levels, factor);
  }

  constructor(lap: SparseLaplacian, options: MultilevelOptions = {}, levels?: Level[], factor?: Float64Array | null) {
    this.cycleIndex = options.cycleIndex ?? 2;
    this.sweeps = options.sweeps ?? 1;
    this.levels = levels ?? runSteps(coarsenSteps(lap, options.coarsestSize ?? 256))!;
    this.coarseFactor = (factor === undefined ? runSteps(coarsestFactorSteps(this.levels[this.levels.length - 1]!)) : factor) ?? undefined;
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
    runSteps(this.applySteps(r, z));
  }

  /**
   * `applyCombinatorial` as steps: on levels large enough that a sweep takes a noticeable
   * time, a checkpoint between the smoothing sweeps and the coarse correction. False when
   * the run stopped in the middle (z is then unusable).
   */
  *applySteps(r: Float64Array, z: Float64Array, cp?: Checkpoints): Steps<boolean> {
    const top = this.levels[0]!;
    top.b.set(r);
    z.fill(0);
    if (!(yield* this.cycle(0, z, cp))) return false;
    removeMean(z);
    return true;
  }

  private *cycle(l: number, x: Float64Array, cp: Checkpoints | undefined): Steps<boolean> {
    const level = this.levels[l]!;
    if (l === this.levels.length - 1) {
      this.solveCoarsest(level, x);
      return true;
    }
    // A checkpoint is worth its cost only where a sweep is long.
    const check = cp && level.cols.length >= CHECKPOINT_ENTRIES ? cp : undefined;
    const b = level.b;
    const chunk = rowsPerChunk(level.n, level.cols.length);
    for (let s = 0; s < this.sweeps; s++) if (!(yield* chunkedSteps(level.n, chunk, (from, to) => gaussSeidel(level, x, b, true, from, to), check))) return false;
    // r = b - L x, restricted by summing over aggregates.
    const coarse = this.levels[l + 1]!;
    const r = level.r;
    if (!(yield* chunkedSteps(level.n, chunk, (from, to) => residual(level, x, b, r, from, to), check))) return false;
    const bc = coarse.b;
    bc.fill(0);
    const map = level.aggregate!;
    // Restriction and prolongation are scattered accesses through `map`: plain functions in chunks (not generator bodies).
    if (!(yield* chunkedSteps(level.n, 1 << 16, (from, to) => restrict(map, r, bc, from, to), check))) return false;
    const xc = coarse.x;
    xc.fill(0);
    // W-cycle only where the coarse level is much cheaper than this one (else the work
    // would not stay O(nnz)): dense contracted hub graphs get a V-cycle.
    const cheap = coarse.cols.length + coarse.n <= 0.5 * (level.cols.length + level.n);
    const repeats = l + 1 === this.levels.length - 1 || !cheap ? 1 : this.cycleIndex;
    for (let t = 0; t < repeats; t++) if (!(yield* this.cycle(l + 1, xc, cp))) return false;
    if (!(yield* chunkedSteps(level.n, 1 << 16, (from, to) => prolongate(map, xc, x, from, to), check))) return false;
    // The backward sweep visits rows n-1 .. 0: chunk [from, to) of the reversed order.
    for (let s = 0; s < this.sweeps; s++) if (!(yield* chunkedSteps(level.n, chunk, (from, to) => gaussSeidel(level, x, b, false, level.n - to, level.n - from), check))) return false;
    return true;
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

/** One Gauss-Seidel sweep over rows [from, to) (default all), forward or backward. */
function gaussSeidel(level: Level, x: Float64Array, b: Float64Array, forward: boolean, from = 0, to = level.n): void {
  const { offsets, cols, values, diagonal } = level;
  if (forward) {
    for (let i = from; i < to; i++) {
      const d = diagonal[i]!;
      if (d === 0) continue;
      let s = b[i]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += values[k]! * x[cols[k]!]!;
      x[i] = s / d;
    }
  } else {
    for (let i = to - 1; i >= from; i--) {
      const d = diagonal[i]!;
      if (d === 0) continue;
      let s = b[i]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) s += values[k]! * x[cols[k]!]!;
      x[i] = s / d;
    }
  }
}

/** bc[map[i]] += r[i] for i in [from, to). */
function restrict(map: Int32Array, r: Float64Array, bc: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) bc[map[i]!]! += r[i]!;
}

/** x[i] += xc[map[i]] for i in [from, to). */
function prolongate(map: Int32Array, xc: Float64Array, x: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) x[i]! += xc[map[i]!]!;
}

/** r = b - L x on rows [from, to) (default all). */
function residual(level: Level, x: Float64Array, b: Float64Array, r: Float64Array, from = 0, to = level.n): void {
  const { offsets, cols, values, diagonal } = level;
  for (let i = from; i < to; i++) {
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
  return runSteps(pairwiseAggregateSteps(n, offsets, cols, values))!;
}

function* pairwiseAggregateSteps(n: number, offsets: Int32Array, cols: Int32Array, values: Float64Array, cp?: Checkpoints): Steps<{ map: Int32Array; count: number } | undefined> {
  const a = { map: new Int32Array(n).fill(-1), count: 0 };
  const chunk = rowsPerChunk(n, cols.length);
  if (!(yield* chunkedSteps(n, chunk, (from, to) => pairRows(a, offsets, cols, values, from, to), cp))) return undefined;
  if (!(yield* chunkedSteps(n, chunk, (from, to) => placeLeftovers(a, offsets, cols, values, from, to), cp))) return undefined;
  return a;
}

function pairRows(a: { map: Int32Array; count: number }, offsets: Int32Array, cols: Int32Array, values: Float64Array, from: number, to: number): void {
  const map = a.map;
  let count = a.count;
  for (let i = from; i < to; i++) {
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
  a.count = count;
}

function placeLeftovers(a: { map: Int32Array; count: number }, offsets: Int32Array, cols: Int32Array, values: Float64Array, from: number, to: number): void {
  const map = a.map;
  for (let i = from; i < to; i++) {
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
    map[i] = best >= 0 ? map[best]! : a.count++;
  }
}

/** The Galerkin coarse Laplacian P^T L P of a piecewise-constant aggregation: the contracted graph, in chunks of aggregates. */
function* contractSteps(level: Level, map: Int32Array, nc: number, cp?: Checkpoints): Steps<Level | undefined> {
  const grouped = yield* aggregateMembersSteps(level.n, map, nc, cp);
  if (!grouped) return undefined;
  const { start, members } = grouped;
  // Every coarse entry comes from a fine one: the fine level's entry count is always enough.
  // (Starting at 4 nc and doubling copied tens of MB inside one chunk on graphs with hubs:
  // 40-70 ms without a checkpoint on a 200k-node preferential-attachment graph, issue 13.)
  const cap = Math.max(16, level.values.length);
  const c: Contraction = { map, start, members, slot: new Int32Array(nc).fill(-1), offsets: new Int32Array(nc + 1), cols: new Int32Array(cap), values: new Float64Array(cap), diagonal: new Float64Array(nc), nnz: 0 };
  const chunk = rowsPerChunk(nc, level.cols.length);
  if (!(yield* chunkedSteps(nc, chunk, (from, to) => contractRows(level, c, from, to), cp))) return undefined;
  // The trimmed copies in chunks too: two slices of a million-entry level held the thread for
  // 50-150 ms in a fresh process (page faults of the new arrays; issue 13).
  const cols = new Int32Array(c.nnz);
  const values = new Float64Array(c.nnz);
  if (!(yield* copyPrefixSteps(c.cols, cols, cp)) || !(yield* copyPrefixSteps(c.values, values, cp))) return undefined;
  return makeLevel(nc, c.offsets, cols, values, c.diagonal);
}

/** Members of each aggregate (counting sort): members[start[a] .. start[a + 1]), in chunks of nodes; undefined when the run stops first. */
function* aggregateMembersSteps(n: number, map: Int32Array, nc: number, cp?: Checkpoints): Steps<{ start: Int32Array; members: Int32Array } | undefined> {
  const start = new Int32Array(nc + 1);
  if (!(yield* chunkedSteps(n, 1 << 16, (from, to) => countMembers(map, start, from, to), cp))) return undefined;
  for (let a = 0; a < nc; a++) start[a + 1]! += start[a]!;
  const fill = start.slice(0, nc);
  const members = new Int32Array(n);
  if (!(yield* chunkedSteps(n, 1 << 16, (from, to) => placeMembers(map, fill, members, from, to), cp))) return undefined;
  return { start, members };
}

function countMembers(map: Int32Array, start: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) start[map[i]! + 1]!++;
}

function placeMembers(map: Int32Array, fill: Int32Array, members: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) members[fill[map[i]!]!++] = i;
}

interface Contraction {
  map: Int32Array;
  start: Int32Array;
  members: Int32Array;
  slot: Int32Array;
  offsets: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  diagonal: Float64Array;
  nnz: number;
}

/** Coarse rows (aggregates) [from, to): summed couplings between aggregates. */
function contractRows(level: Level, c: Contraction, from: number, to: number): void {
  const { offsets, cols, values } = level;
  const { map, start, members, slot } = c;
  let nnz = c.nnz;
  for (let a = from; a < to; a++) {
    const rowStart = nnz;
    for (let p = start[a]!; p < start[a + 1]!; p++) {
      const i = members[p]!;
      for (let k = offsets[i]!, end = offsets[i + 1]!; k < end; k++) {
        const b = map[cols[k]!]!;
        if (b === a) continue;
        const at = slot[b]!;
        if (at >= rowStart) c.values[at]! += values[k]!;
        else {
          if (nnz === c.cols.length) grow(c);
          slot[b] = nnz;
          c.cols[nnz] = b;
          c.values[nnz] = values[k]!;
          nnz++;
        }
      }
    }
    let d = 0;
    for (let k = rowStart; k < nnz; k++) d += c.values[k]!;
    c.diagonal[a] = d;
    c.offsets[a + 1] = nnz;
  }
  c.nnz = nnz;
}

function grow(c: Contraction): void {
  const cols = new Int32Array(c.cols.length * 2);
  cols.set(c.cols);
  c.cols = cols;
  const values = new Float64Array(c.values.length * 2);
  values.set(c.values);
  c.values = values;
}

/** Entries of a level above which its smoothing sweeps get checkpoints around them. */
const CHECKPOINT_ENTRIES = 1 << 16;
