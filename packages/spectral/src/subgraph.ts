import { createGraph, type Graph, type Steps } from '@emplace/core';
import { chunkedSteps, csrChunkedSteps, rowsPerChunk, type Checkpoints } from './chunks.js';
import { laplacianComponents } from './components.js';
import { assembleLaplacianSteps, laplacian, trimCsrSteps, type LaplacianKind, type SparseLaplacian } from './laplacian.js';

/** The subgraph induced by `nodes` (node t of the result is nodes[t]; ids kept; parallel edges kept). */
export function inducedSubgraph(g: Graph, nodes: ArrayLike<number>): Graph {
  const index = new Int32Array(g.n).fill(-1);
  for (let t = 0; t < nodes.length; t++) index[nodes[t]!] = t;
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let e = 0; e < g.m; e++) {
    const a = index[g.edgeU[e]!]!;
    const b = index[g.edgeV[e]!]!;
    if (a >= 0 && b >= 0) {
      u.push(a);
      v.push(b);
      w.push(g.edgeW[e]!);
    }
  }
  const ids: string[] = [];
  for (let t = 0; t < nodes.length; t++) ids.push(g.ids[nodes[t]!]!);
  return createGraph({ nodes: ids, edges: { u, v, w } });
}

/**
 * The largest connected component (positive-weight edges; ties: the one with the
 * smallest node), as an induced subgraph, with the original index of each of its nodes.
 */
export function largestComponent(g: Graph): { graph: Graph; nodes: Int32Array; components: number } {
  const c = laplacianComponents(laplacian(g));
  let best = 0;
  for (let i = 1; i < c.count; i++) if (c.sizes[i]! > c.sizes[best]!) best = i;
  if (c.count <= 1) return { graph: g, nodes: Int32Array.from({ length: g.n }, (_, i) => i), components: c.count };
  const nodes = new Int32Array(c.sizes[best]!);
  let k = 0;
  for (let i = 0; i < g.n; i++) if (c.component[i] === best) nodes[k++] = i;
  return { graph: inducedSubgraph(g, nodes), nodes, components: c.count };
}

/**
 * The Laplacian of the subgraph induced by `nodes` (node t is nodes[t]), taken from the
 * combinatorial Laplacian of the whole graph (merged weights, so no Graph is rebuilt),
 * in chunks of rows. Undefined when the run stops first.
 */
export function* inducedLaplacianSteps(base: SparseLaplacian, nodes: Int32Array, kind: LaplacianKind, cp?: Checkpoints): Steps<SparseLaplacian | undefined> {
  const size = nodes.length;
  if (isEveryNode(nodes, base.n)) return yield* wholeLaplacianSteps(base, kind, cp);
  // index[v] - 1: v's place in `nodes` (0: not in the subgraph; no O(n) fill with -1).
  const index = new Int32Array(base.n);
  let room = 0;
  for (let t = 0; t < size; t++) {
    const v = nodes[t]!;
    index[v] = t + 1;
    room += base.offsets[v + 1]! - base.offsets[v]!;
  }
  const sub = { offsets: new Int32Array(size + 1), cols: new Int32Array(room), weights: new Float64Array(room), degrees: new Float64Array(size) };
  const done = yield* chunkedSteps(size, rowsPerChunk(size, room), (from, to) => inducedRows(base, nodes, index, sub, from, to), cp);
  if (!done) return undefined;
  const csr = yield* trimCsrSteps(sub.cols, sub.weights, sub.offsets[size]!, cp);
  return csr && (yield* assembleLaplacianSteps(kind, size, sub.offsets, csr.cols, csr.weights, sub.degrees, cp));
}

/** True when `nodes` is 0, 1, ..., n - 1 (the first bisection of a partition: the part is the whole graph). */
function isEveryNode(nodes: Int32Array, n: number): boolean {
  if (nodes.length !== n) return false;
  for (let t = 0; t < n; t++) if (nodes[t] !== t) return false;
  return true;
}

/**
 * The subgraph induced by every node is the graph itself: its Laplacian shares the base's
 * CSR (no 24 MB copy of a graph of a million edges). The degrees are summed again from the
 * merged weights, row by row, as `inducedRows` sums them (the base's were summed over the
 * unmerged adjacency: parallel edges could round differently).
 */
function* wholeLaplacianSteps(base: SparseLaplacian, kind: LaplacianKind, cp?: Checkpoints): Steps<SparseLaplacian | undefined> {
  const { n, offsets, weights } = base;
  const degrees = new Float64Array(n);
  const done = yield* csrChunkedSteps(offsets, n, (from, to) => {
    for (let i = from; i < to; i++) {
      let degree = 0;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) degree += weights[k]!;
      degrees[i] = degree;
    }
  }, cp);
  return done ? yield* assembleLaplacianSteps(kind, n, offsets, base.cols, weights, degrees, cp) : undefined;
}

function inducedRows(
  base: SparseLaplacian,
  nodes: Int32Array,
  index: Int32Array,
  sub: { offsets: Int32Array; cols: Int32Array; weights: Float64Array; degrees: Float64Array },
  from: number,
  to: number,
): void {
  const { offsets, cols, weights, degrees } = sub;
  const w = base.weights;
  let nnz = offsets[from]!;
  for (let t = from; t < to; t++) {
    const v = nodes[t]!;
    let degree = 0;
    for (let k = base.offsets[v]!, end = base.offsets[v + 1]!; k < end; k++) {
      const j = index[base.cols[k]!]! - 1;
      if (j < 0) continue;
      cols[nnz] = j;
      weights[nnz] = w[k]!;
      degree += w[k]!;
      nnz++;
    }
    degrees[t] = degree;
    offsets[t + 1] = nnz;
  }
}
