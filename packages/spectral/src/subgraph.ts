import { createGraph, type Graph, type Steps } from '@emplace/core';
import { chunkedSteps, rowsPerChunk, type Checkpoints } from './chunks.js';
import { laplacianComponents } from './components.js';
import { assembleLaplacianSteps, laplacian, type LaplacianKind, type SparseLaplacian } from './laplacian.js';

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
  const index = new Int32Array(base.n).fill(-1);
  let room = 0;
  for (let t = 0; t < size; t++) {
    const v = nodes[t]!;
    index[v] = t;
    room += base.offsets[v + 1]! - base.offsets[v]!;
  }
  const sub = { offsets: new Int32Array(size + 1), cols: new Int32Array(room), weights: new Float64Array(room), degrees: new Float64Array(size) };
  const done = yield* chunkedSteps(size, rowsPerChunk(size, room), (from, to) => inducedRows(base, nodes, index, sub, from, to), cp);
  if (!done) return undefined;
  const nnz = sub.offsets[size]!;
  return yield* assembleLaplacianSteps(kind, size, sub.offsets, sub.cols.slice(0, nnz), sub.weights.slice(0, nnz), sub.degrees, cp);
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
      const j = index[base.cols[k]!]!;
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
