import type { SolveRun, Steps } from '@emplace/core';
import { kernelOrderingSteps } from './kernels/ordering-kernel.js';
import type { SparseLaplacian } from './laplacian.js';

/**
 * The elimination order of a sparse symmetric matrix and the pattern of its Cholesky
 * factor in that order (symbolic factorization), from one pass of minimum degree.
 *
 * `perm[k]` is the matrix row eliminated k-th; `colStart` / `rows` are the strictly lower
 * column pattern of L in the new numbering (sorted ascending).
 */
export interface SymbolicFactor {
  /** Number of eliminated rows (n - 1 for a grounded Laplacian). */
  size: number;
  perm: Int32Array;
  /** inverse[v] = position of row v in perm, -1 for the grounded row. */
  inverse: Int32Array;
  colStart: Int32Array;
  rows: Int32Array;
  /**
   * Positions from here on form a dense block: the nodes left when an elimination joined
   * all of them into one element (a clique), so every later column of L is full. Those
   * columns have no explicit pattern (colStart has denseStart + 1 entries); the numeric
   * factorization treats them as a dense lower triangle.
   */
  denseStart: number;
  /** Strictly lower nonzeros of L (dense block included). */
  nnz: number;
  /** Multiply-adds of the numeric factorization, sum over columns of count^2. */
  flops: number;
  /** Quotient-graph entries the ordering scanned (its own cost). */
  work: number;
}

/** Limits on the ordering's fill: it gives up (returns undefined) as soon as one is passed. */
export interface FillBudget {
  maxNnz: number;
  maxFlops: number;
  /** Adjacency entries the ordering may scan. */
  maxWork: number;
}

/**
 * Minimum degree ordering on the explicit elimination graph, with the row `grounded`
 * left out (the Laplacian minus one row and column is positive definite on a connected
 * graph). Eliminating v joins its remaining neighbours into a clique; those neighbours
 * are exactly the pattern of column v of L, so the symbolic factor comes out of the same
 * pass. Ties go to the lowest degree bucket entry (deterministic). Degree-1 eliminations
 * (trees hanging off the graph, frequent in real networks) cost O(1). The budget bounds
 * the work: on a graph whose factor would be too dense, the pass stops early and the
 * caller uses an iterative solver instead. Checkpoints every 1024 eliminations; undefined
 * when the run stops first.
 */
export function* minimumDegreeSymbolicSteps(lap: SparseLaplacian, grounded: number, budget: FillBudget, run: SolveRun): Steps<SymbolicFactor | undefined> {
  // The WebAssembly kernel (the same ordering) where it runs; this TypeScript one otherwise.
  const byKernel = yield* kernelOrderingSteps(lap, grounded, budget, run);
  if (byKernel !== null) return byKernel;
  const state = newOrderingState(lap, grounded);
  // The hot loop lives in a plain function (generators are not optimised as well), run in
  // chunks with a checkpoint between them. A chunk ends when the run wants the event loop
  // (clock read every 64 eliminations): few entries, so V8 compiles the loop once.
  const pause = (): boolean => run.needsYield() || run.shouldStop();
  while (state.k < state.size) {
    if (!eliminateChunk(state, budget, pause)) return undefined;
    if (state.k < state.size) {
      yield;
      if (run.shouldStop()) return undefined;
    }
  }
  const { size, denseStart, perm, inverse, patternStart, pattern, nnz, flops, work } = state;
  const { colStart, rows } = sortedColumns(size, denseStart, patternStart, pattern, inverse);
  return { size, perm, inverse, colStart, rows, denseStart, nnz, flops, work };
}

interface OrderingState {
  graph: EliminationGraph;
  size: number;
  k: number;
  /** First position of the dense block (size while there is none). */
  denseStart: number;
  perm: Int32Array;
  inverse: Int32Array;
  /** Column patterns in elimination order, as node ids (renumbered at the end). */
  pattern: Int32Array;
  patternStart: Int32Array;
  nnz: number;
  flops: number;
  /** Adjacency entries scanned so far (the ordering's own cost). */
  work: number;
}

function newOrderingState(lap: SparseLaplacian, grounded: number): OrderingState {
  const n = lap.n;
  return {
    graph: new EliminationGraph(lap, grounded),
    size: n - 1,
    k: 0,
    denseStart: n - 1,
    perm: new Int32Array(n - 1),
    inverse: new Int32Array(n).fill(-1),
    pattern: new Int32Array(Math.max(16, lap.nnz)),
    patternStart: new Int32Array(n),
    nnz: 0,
    flops: 0,
    work: 0,
  };
}

/** Eliminates nodes until `pause()` (asked every 64 eliminations or 2^16 units of work) says to stop; false when the budget is passed. */
function eliminateChunk(s: OrderingState, budget: FillBudget, pause: () => boolean): boolean {
  const g = s.graph;
  const end = s.size;
  let workCheck = s.work + (1 << 16);
  for (let k = s.k; k < end; k++) {
    if ((k & 63) === 0 || s.work > workCheck) {
      workCheck = s.work + (1 << 16);
      if (k > s.k && pause()) {
        s.k = k;
        return true;
      }
    }
    const v = g.popMinDegree();
    s.perm[k] = v;
    s.inverse[v] = k;
    const bound = g.degree[v]!;
    // The r nodes left all have degree >= bound (the minimum), so the rest of the factor
    // has at least r bound / 2 entries and (r bound / 2)^2 / r flops: stop as soon as
    // that alone passes the budget instead of finding out at the end.
    const r = s.size - k;
    if (s.nnz + (r * bound) / 2 > budget.maxNnz || s.flops + (r * bound * bound) / 4 > budget.maxFlops) return false;
    if (s.nnz + bound > s.pattern.length) {
      const grown = new Int32Array(Math.max(s.nnz + bound, s.pattern.length * 2));
      grown.set(s.pattern.subarray(0, s.nnz));
      s.pattern = grown;
    }
    s.work += g.eliminate(v, s.pattern, s.nnz);
    const count = g.lastCount;
    s.nnz += count;
    s.flops += count * count;
    s.patternStart[k + 1] = s.nnz;
    if (s.nnz > budget.maxNnz || s.flops > budget.maxFlops || s.work > budget.maxWork) return false;
    // Every node left is in L_v: they form a clique, whatever order they are eliminated in.
    if (count > 1 && count === s.size - k - 1) return denseRest(s, k, budget);
  }
  s.k = end;
  return true;
}

/**
 * Ends the ordering after position k when the nodes left (column k's pattern) form a
 * clique: they take the last positions in pattern order and become the dense block
 * (r (r - 1) / 2 entries, sum of c^2 for c < r flops). False when that passes the budget.
 */
function denseRest(s: OrderingState, k: number, budget: FillBudget): boolean {
  const r = s.size - k - 1;
  const from = s.patternStart[k]!;
  for (let t = 0; t < r; t++) {
    const v = s.pattern[from + t]!;
    s.perm[k + 1 + t] = v;
    s.inverse[v] = k + 1 + t;
  }
  s.denseStart = k + 1;
  s.nnz += (r * (r - 1)) / 2;
  s.flops += ((r - 1) * r * (2 * r - 1)) / 6;
  s.k = s.size;
  return s.nnz <= budget.maxNnz && s.flops <= budget.maxFlops;
}

/** Renumbers the patterns of the sparse columns to positions and sorts every column (two counting transposes, O(nnz)). */
function sortedColumns(size: number, columns: number, patternStart: Int32Array, pattern: Int32Array, inverse: Int32Array): { colStart: Int32Array; rows: Int32Array } {
  const nnz = patternStart[columns]!;
  // Transpose 1: row lists of (column) indices, columns visited in order, so each row list
  // is sorted. Every pass is its own small function (see linkAll): one function of six
  // loops was compiled on the stack in its first loop and deoptimised at each next one.
  const position = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) position[p] = inverse[pattern[p]!]!;
  const rowStart = countingStarts(position, nnz, size);
  const cols = new Int32Array(nnz);
  scatterColumns(patternStart, position, rowStart.slice(0, size), cols, columns);
  // Transpose 2: back to columns, rows visited in order, so each column is sorted.
  const colStart = countingStarts(cols, nnz, columns);
  const rows = new Int32Array(nnz);
  scatterColumns(rowStart, cols, colStart.slice(0, columns), rows, size);
  return { colStart, rows };
}

/** Start offsets of the buckets 0 .. count - 1 of keys[0 .. length) (a counting sort's prefix sums). */
function countingStarts(keys: Int32Array, length: number, count: number): Int32Array {
  const start = new Int32Array(count + 1);
  for (let p = 0; p < length; p++) start[keys[p]! + 1]!++;
  for (let i = 0; i < count; i++) start[i + 1]! += start[i]!;
  return start;
}

/** The transpose of the lists `keys[listStart[l] .. listStart[l + 1])`, l < lists: out[fill[key]++] = l, lists visited in order. */
function scatterColumns(listStart: Int32Array, keys: Int32Array, fill: Int32Array, out: Int32Array, lists: number): void {
  for (let l = 0; l < lists; l++) {
    for (let p = listStart[l]!, end = listStart[l + 1]!; p < end; p++) out[fill[keys[p]!]!++] = l;
  }
}

/**
 * The quotient graph of minimum-degree ordering (George & Liu; Amestoy, Davis & Duff's
 * AMD without supervariables): an eliminated node becomes an element whose member list
 * is its column pattern in L, and a live node keeps its original neighbours (pruned as
 * elements cover them) plus the elements it belongs to. Eliminating p forms the element
 * L_p = (A_p u the member lists of p's elements) minus p and absorbs those elements, so
 * the storage never grows beyond the factor's pattern. Degrees are AMD's approximate
 * external degrees: min(n - k - 1, d_old + |L_p| - 1, |A_i| + |L_p| - 1 + sum over the
 * other elements e of |L_e minus L_p|), computed with one pass over the elements of L_p's
 * members; an element inside L_p is absorbed at once (aggressive absorption).
 */
class EliminationGraph {
  readonly degree: Int32Array;
  /** A_i: live original neighbours, compacted in place (a copy of the Laplacian's columns). */
  private readonly adj: Int32Array;
  private readonly adjStart: Int32Array;
  private readonly adjLength: Int32Array;
  /** E_i: elements of node i, in a growable pool. */
  private elems: Int32Array;
  private elemsUsed = 0;
  private readonly elemStart: Int32Array;
  private readonly elemLength: Int32Array;
  private readonly elemCapacity: Int32Array;
  /** Element e (named by its pivot) = pattern[elementStart[e] .. + elementLength[e]). */
  private readonly elementStart: Int32Array;
  private readonly elementLength: Int32Array;
  private readonly elementAlive: Uint8Array;
  private readonly alive: Uint8Array;
  private readonly mark: Int32Array;
  private readonly wMark: Int32Array;
  private readonly wValue: Int32Array;
  private stamp = 0;
  private remaining: number;
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private minDegree = 0;

  constructor(lap: SparseLaplacian, grounded: number) {
    const n = lap.n;
    this.degree = new Int32Array(n);
    this.adj = new Int32Array(lap.nnz);
    this.adjStart = new Int32Array(n);
    this.adjLength = new Int32Array(n);
    this.elemStart = new Int32Array(n);
    this.elemLength = new Int32Array(n);
    this.elemCapacity = new Int32Array(n);
    // Room for E_i up to i's degree plus 2 (at least 4): E_i gains an element only when it
    // loses an original neighbour or absorbs another element, so the lists rarely grow
    // (growElems, a compaction, then stays out of the run and out of the compiler's queue).
    this.elems = new Int32Array(Math.max(64, lap.nnz + 4 * n));
    this.elementStart = new Int32Array(n);
    this.elementLength = new Int32Array(n);
    this.elementAlive = new Uint8Array(n);
    this.alive = new Uint8Array(n).fill(1);
    this.alive[grounded] = 0;
    this.mark = new Int32Array(n);
    this.wMark = new Int32Array(n);
    this.wValue = new Int32Array(n);
    this.remaining = n - 1;
    const { offsets, cols, values } = lap;
    let used = 0;
    for (let v = 0; v < n; v++) {
      this.adjStart[v] = used;
      if (v !== grounded) {
        for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
          const w = cols[k]!;
          if (w !== grounded && w !== v && values[k]! !== 0) this.adj[used++] = w;
        }
      }
      this.adjLength[v] = used - this.adjStart[v]!;
      this.degree[v] = this.adjLength[v]!;
      this.elemStart[v] = this.elemsUsed;
      const capacity = Math.max(4, this.adjLength[v]! + 2);
      this.elemCapacity[v] = capacity;
      this.elemsUsed += capacity;
    }
    this.head = new Int32Array(n + 1).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.prev = new Int32Array(n).fill(-1);
    this.linkAll(grounded);
  }

  /** Every node but the grounded one into its degree bucket (a loop of its own: a later loop in the constructor had no type feedback when V8 compiled the first, and deoptimised it). */
  private linkAll(grounded: number): void {
    for (let v = this.degree.length - 1; v >= 0; v--) if (v !== grounded) this.link(v);
  }

  private link(v: number): void {
    const d = this.degree[v]!;
    const h = this.head[d]!;
    this.next[v] = h;
    this.prev[v] = -1;
    if (h >= 0) this.prev[h] = v;
    this.head[d] = v;
    if (d < this.minDegree) this.minDegree = d;
  }

  private unlink(v: number): void {
    const p = this.prev[v]!;
    const q = this.next[v]!;
    if (p >= 0) this.next[p] = q;
    else this.head[this.degree[v]!] = q;
    if (q >= 0) this.prev[q] = p;
  }

  popMinDegree(): number {
    while (this.head[this.minDegree]! < 0) this.minDegree++;
    const v = this.head[this.minDegree]!;
    this.unlink(v);
    return v;
  }

  /** Size of the last element formed. */
  lastCount = 0;

  /**
   * Eliminates p: writes L_p to out[at ...] (`out` also holds the member lists of the
   * earlier elements: it is the pattern of L) and updates the quotient graph. Needs room
   * for degree[p] entries (an upper bound of |L_p|). Returns the entries scanned (the work).
   */
  eliminate(p: number, out: Int32Array, at: number): number {
    const { alive, mark, adj, elementAlive, elementStart, elementLength } = this;
    const stamp = ++this.stamp;
    alive[p] = 0;
    mark[p] = stamp;
    let count = 0;
    let work = this.adjLength[p]! + this.elemLength[p]!;
    for (let q = this.adjStart[p]!, end = q + this.adjLength[p]!; q < end; q++) {
      const j = adj[q]!;
      if (alive[j] && mark[j] !== stamp) {
        mark[j] = stamp;
        out[at + count++] = j;
      }
    }
    const elems = this.elems;
    for (let q = this.elemStart[p]!, end = q + this.elemLength[p]!; q < end; q++) {
      const e = elems[q]!;
      if (!elementAlive[e]) continue;
      elementAlive[e] = 0; // absorbed into p
      work += elementLength[e]!;
      for (let r = elementStart[e]!, rend = r + elementLength[e]!; r < rend; r++) {
        const j = out[r]!;
        if (alive[j] && mark[j] !== stamp) {
          mark[j] = stamp;
          out[at + count++] = j;
        }
      }
    }
    this.remaining--;
    this.adjLength[p] = 0;
    this.elemLength[p] = 0;
    elementAlive[p] = 1;
    elementStart[p] = at;
    elementLength[p] = count;
    this.lastCount = count;
    work += this.updateMembers(p, out, at, count, stamp);
    return work;
  }

  /** Approximate degrees of L_p's members, pruning of their lists, and p joins their element lists. */
  private updateMembers(p: number, out: Int32Array, at: number, count: number, stamp: number): number {
    const { elementAlive, elementLength, wMark, wValue } = this;
    let work = 0;
    // |L_e minus L_p| for every other element e touching L_p.
    for (let t = 0; t < count; t++) {
      const i = out[at + t]!;
      const elems = this.elems;
      for (let q = this.elemStart[i]!, end = q + this.elemLength[i]!; q < end; q++) {
        const e = elems[q]!;
        if (!elementAlive[e]) continue;
        if (wMark[e] !== stamp) {
          wMark[e] = stamp;
          wValue[e] = elementLength[e]!;
        }
        wValue[e]!--;
      }
      work += this.elemLength[i]!;
    }
    for (let t = 0; t < count; t++) {
      const i = out[at + t]!;
      this.unlink(i);
      // E_i: keep live elements not inside L_p (absorb those that are), sum their external parts.
      let external = 0;
      let elems = this.elems;
      const es = this.elemStart[i]!;
      let elen = 0;
      for (let q = es, end = es + this.elemLength[i]!; q < end; q++) {
        const e = elems[q]!;
        if (!elementAlive[e]) continue;
        if (wValue[e] === 0) {
          elementAlive[e] = 0; // L_e inside L_p: aggressive absorption
          continue;
        }
        external += wValue[e]!;
        elems[es + elen++] = e;
      }
      this.elemLength[i] = elen;
      if (elen + 1 > this.elemCapacity[i]!) elems = this.growElems(i, elen + 1);
      elems[this.elemStart[i]! + elen] = p;
      this.elemLength[i] = elen + 1;
      // A_i: drop eliminated nodes and those now covered by element p.
      const adj = this.adj;
      const as = this.adjStart[i]!;
      let alen = 0;
      for (let q = as, end = as + this.adjLength[i]!; q < end; q++) {
        const j = adj[q]!;
        if (this.alive[j] && this.mark[j] !== stamp) adj[as + alen++] = j;
      }
      work += this.adjLength[i]! + elen;
      this.adjLength[i] = alen;
      const bound = Math.min(this.remaining - 1, this.degree[i]! + count - 1, alen + count - 1 + external);
      this.degree[i] = Math.max(0, bound);
      this.link(i);
    }
    return work;
  }

  private growElems(i: number, need: number): Int32Array {
    const cap = Math.max(need, 2 * this.elemCapacity[i]!);
    if (this.elemsUsed + cap > this.elems.length) {
      // Compact: live lists only, each with room to double.
      const n = this.degree.length;
      let total = cap;
      for (let v = 0; v < n; v++) if (this.alive[v]) total += 2 * this.elemLength[v]! + 4;
      const next = new Int32Array(2 * total);
      let used = 0;
      for (let v = 0; v < n; v++) {
        if (!this.alive[v]) {
          this.elemStart[v] = used;
          this.elemLength[v] = 0;
          this.elemCapacity[v] = 0;
          continue;
        }
        next.set(this.elems.subarray(this.elemStart[v]!, this.elemStart[v]! + this.elemLength[v]!), used);
        this.elemStart[v] = used;
        this.elemCapacity[v] = 2 * this.elemLength[v]! + 4;
        used += this.elemCapacity[v]!;
      }
      this.elems = next;
      this.elemsUsed = used;
    }
    const elems = this.elems;
    elems.copyWithin(this.elemsUsed, this.elemStart[i]!, this.elemStart[i]! + this.elemLength[i]!);
    this.elemStart[i] = this.elemsUsed;
    this.elemCapacity[i] = cap;
    this.elemsUsed += cap;
    return elems;
  }
}
