import { ModelError, type DuplicatePolicy, type Graph, type Steps } from '@emplace/core';

/** Edges between two checkpoints of the graph build (about a millisecond). */
const CHUNK = 1 << 15;

/** Runs `f` over [0, m) in ranges of CHUNK, a checkpoint after each (the loops stay in plain, optimizable closures). */
function* inRanges(m: number, f: (from: number, to: number) => void): Steps<void> {
  for (let from = 0; from < m; from += CHUNK) {
    f(from, Math.min(m, from + CHUNK));
    yield;
  }
}

/**
 * The Graph of a parsed edge list, as core's createGraph builds it (the same edge order:
 * first occurrences in file order, each with its first orientation; the same CSR), in steps
 * so that a million-edge file neither holds the event loop nor pays createGraph's hash map
 * of pair keys (about 3 s for 1M edges): duplicates are found by bucketing the edges on
 * their smaller end, in O(n + m) typed-array passes.
 *
 * The parsers have already checked what createGraph checks: ids unique and non-empty,
 * weights finite and >= 0, no self-loops. A 'error' policy duplicate is a ModelError worded
 * as createGraph's.
 */
export function* graphSteps(ids: string[], us: Int32Array, vs: Int32Array, ws: Float64Array, policy: DuplicatePolicy): Steps<Graph> {
  // Copies, as createGraph makes: the caller's buffers may be larger views.
  if (policy === 'keep') return yield* csrSteps(ids, us.slice(), vs.slice(), ws.slice());
  const m = us.length;
  const rep = yield* firstOccurrences(ids.length, us, vs);
  // kept[e]: index of edge e among the kept edges (file order), for a first occurrence.
  const kept = new Int32Array(m);
  let count = 0;
  yield* inRanges(m, (from, to) => {
    for (let e = from; e < to; e++) if (rep[e] === e) kept[e] = count++;
  });
  const out = { edgeU: new Int32Array(count), edgeV: new Int32Array(count), edgeW: new Float64Array(count) };
  yield* inRanges(m, (from, to) => collapseRange(ids, us, vs, ws, rep, kept, out, policy, from, to));
  return yield* csrSteps(ids, out.edgeU, out.edgeV, out.edgeW);
}

/** Edges [from, to): a first occurrence is copied, a repeat merged into it by the policy. */
function collapseRange(
  ids: readonly string[],
  us: Int32Array,
  vs: Int32Array,
  ws: Float64Array,
  rep: Int32Array,
  kept: Int32Array,
  out: { edgeU: Int32Array; edgeV: Int32Array; edgeW: Float64Array },
  policy: Exclude<DuplicatePolicy, 'keep'>,
  from: number,
  to: number,
): void {
  const { edgeU, edgeV, edgeW } = out;
  for (let e = from; e < to; e++) {
    const first = rep[e]!;
    if (first === e) {
      const k = kept[e]!;
      edgeU[k] = us[e]!;
      edgeV[k] = vs[e]!;
      edgeW[k] = ws[e]!;
      continue;
    }
    const k = kept[first]!;
    const w = ws[e]!;
    if (policy === 'min') edgeW[k] = Math.min(edgeW[k]!, w);
    else if (policy === 'max') edgeW[k] = Math.max(edgeW[k]!, w);
    else if (policy === 'last') edgeW[k] = w;
    else if (policy === 'sum') edgeW[k]! += w;
    else {
      const a = Math.min(us[e]!, vs[e]!);
      const b = Math.max(us[e]!, vs[e]!);
      throw new ModelError(`edges[${e}]`, `duplicates the edge {${ids[a]}, ${ids[b]}}`);
    }
  }
}

/**
 * rep[e]: the first edge (in file order) joining the same two nodes as edge e (e itself
 * when it is the first). Edges are bucketed by their smaller end with a stable counting
 * sort; within a bucket, a mark per larger end finds the repeats.
 */
function* firstOccurrences(n: number, us: Int32Array, vs: Int32Array): Steps<Int32Array> {
  const m = us.length;
  // start[a] .. start[a + 1]: the bucket of the edges whose smaller end is a.
  const start = new Int32Array(n + 1);
  yield* inRanges(m, (from, to) => {
    for (let e = from; e < to; e++) start[Math.min(us[e]!, vs[e]!) + 1]!++;
  });
  for (let a = 0; a < n; a++) start[a + 1]! += start[a]!;
  // The edges sorted by their smaller end, stably (file order within a bucket).
  const fill = start.slice(0, n);
  const order = new Int32Array(m);
  yield* inRanges(m, (from, to) => {
    for (let e = from; e < to; e++) order[fill[Math.min(us[e]!, vs[e]!)]!++] = e;
  });
  const rep = new Int32Array(m);
  // mark[b] = a + 1 while bucket a is scanned and holds an edge to b (0: none yet).
  const marks = { mark: new Int32Array(n), firstTo: new Int32Array(n) };
  for (let a = 0; a < n; ) {
    const next = bucketsUpTo(start, a, CHUNK);
    markRepeats(us, vs, start, order, rep, marks, a, next);
    a = next;
    yield;
  }
  return rep;
}

/** The first bucket after `a` such that buckets [a, end) hold about `size` edges (at least one bucket). */
function bucketsUpTo(start: Int32Array, a: number, size: number): number {
  const n = start.length - 1;
  let end = a + 1;
  while (end < n && start[end + 1]! - start[a]! <= size) end++;
  return end;
}

/** rep[e] for the edges of buckets [from, to). */
function markRepeats(us: Int32Array, vs: Int32Array, start: Int32Array, order: Int32Array, rep: Int32Array, marks: { mark: Int32Array; firstTo: Int32Array }, from: number, to: number): void {
  const { mark, firstTo } = marks;
  for (let a = from; a < to; a++) {
    const end = start[a + 1]!;
    for (let k = start[a]!; k < end; k++) {
      const e = order[k]!;
      const b = Math.max(us[e]!, vs[e]!);
      if (mark[b] === a + 1) rep[e] = firstTo[b]!;
      else {
        mark[b] = a + 1;
        firstTo[b] = e;
        rep[e] = e;
      }
    }
  }
}

/** The CSR adjacency, exactly as core's createGraph lays it out (edge order within each node's list). */
function* csrSteps(ids: string[], edgeU: Int32Array, edgeV: Int32Array, edgeW: Float64Array): Steps<Graph> {
  const n = ids.length;
  const m = edgeU.length;
  // Prefix sums of the degrees (each edge counts at both ends).
  const offsets = new Int32Array(n + 1);
  yield* inRanges(m, (from, to) => {
    for (let e = from; e < to; e++) {
      offsets[edgeU[e]! + 1]!++;
      offsets[edgeV[e]! + 1]!++;
    }
  });
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const csr = { fill: offsets.slice(0, n), adjNode: new Int32Array(2 * m), adjEdge: new Int32Array(2 * m), adjWeight: new Float64Array(2 * m) };
  yield* inRanges(m, (from, to) => fillAdjacency(edgeU, edgeV, edgeW, csr, from, to));
  const { adjNode, adjEdge, adjWeight } = csr;
  return { kind: 'graph', n, m, ids, edgeU, edgeV, edgeW, offsets, adjNode, adjEdge, adjWeight };
}

/** Both adjacency entries of edges [from, to). */
function fillAdjacency(
  edgeU: Int32Array,
  edgeV: Int32Array,
  edgeW: Float64Array,
  csr: { fill: Int32Array; adjNode: Int32Array; adjEdge: Int32Array; adjWeight: Float64Array },
  from: number,
  to: number,
): void {
  const { fill, adjNode, adjEdge, adjWeight } = csr;
  for (let e = from; e < to; e++) {
    const u = edgeU[e]!;
    const v = edgeV[e]!;
    const w = edgeW[e]!;
    let k = fill[u]!++;
    adjNode[k] = v;
    adjEdge[k] = e;
    adjWeight[k] = w;
    k = fill[v]!++;
    adjNode[k] = u;
    adjEdge[k] = e;
    adjWeight[k] = w;
  }
}

/** Int32 / Float64 columns that grow by doubling: the parsers' edge buffers (no number[] boxing). */
export class EdgeColumns {
  u: Int32Array;
  v: Int32Array;
  w: Float64Array;
  length = 0;

  /** Room for `capacity` edges up front (at least 1024): a parser that can estimate the count skips the regrowth copies. */
  constructor(capacity = 1024) {
    const size = Math.max(1024, capacity);
    this.u = new Int32Array(size);
    this.v = new Int32Array(size);
    this.w = new Float64Array(size);
  }

  push(u: number, v: number, w: number): void {
    if (this.length === this.u.length) this.grow();
    const k = this.length++;
    this.u[k] = u;
    this.v[k] = v;
    this.w[k] = w;
  }

  private grow(): void {
    const size = 2 * this.u.length;
    const u = new Int32Array(size);
    u.set(this.u);
    const v = new Int32Array(size);
    v.set(this.v);
    const w = new Float64Array(size);
    w.set(this.w);
    this.u = u;
    this.v = v;
    this.w = w;
  }

  /** Views of the filled part. */
  columns(): { us: Int32Array; vs: Int32Array; ws: Float64Array } {
    return { us: this.u.subarray(0, this.length), vs: this.v.subarray(0, this.length), ws: this.w.subarray(0, this.length) };
  }
}
