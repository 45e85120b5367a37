import { argsortStableSteps, ModelError, runSteps, type Graph, type Steps } from '@emplace/core';
import { IndexedMinHeap } from './heap.js';
import { UnionFind } from './union-find.js';

export interface SpanningForest {
  /** Edge indices of the forest (n - components of them), in the order the algorithm took them. */
  edges: Int32Array;
  /** Total weight of those edges. */
  weight: number;
  /** Number of trees (connected components of the graph). */
  components: number;
}

export interface MstOptions {
  /** 'kruskal' (sort + union-find, default for sparse graphs) or 'prim' (binary heap). */
  algorithm?: 'kruskal' | 'prim' | 'auto';
  /** Per-edge weight override (length m); defaults to the graph's weights. */
  weights?: ArrayLike<number>;
}

function weightsOf(g: Graph, weights: ArrayLike<number> | undefined): ArrayLike<number> {
  if (weights === undefined) return g.edgeW;
  if (weights.length !== g.m) throw new ModelError('options.weights', `must have ${g.m} entries (one per edge), got ${weights.length}`);
  // A NaN compares false both ways: it sorted (Kruskal) or keyed (Prim) anywhere and its edge
  // could enter the tree, a NaN weight answered silently (networkx test_mst.py::test_nan_weights
  // refuses NaN too). The graph's own weights are checked when it is built.
  for (let e = 0; e < weights.length; e++) {
    if (Number.isNaN(weights[e])) throw new ModelError(`options.weights[${e}]`, 'is NaN');
  }
  return weights;
}

/**
 * Kruskal: edges sorted by weight (ties by index, so the result is deterministic), joined
 * when they link two trees. O(m log m). Gives a minimum spanning forest on disconnected graphs.
 */
export function kruskal(g: Graph, opts: { weights?: ArrayLike<number> | undefined } = {}): SpanningForest {
  return runSteps(kruskalSteps(g, opts))!;
}

/** Edges scanned (Kruskal) or nodes settled (Prim) between two checkpoints of the steps versions. */
const CHECKPOINT_EVERY = 1 << 15;

/** Edges joined between two checkpoints: union-find over random nodes misses the cache (32k edges were ~15 ms in cold code). */
const JOIN_CHUNK = 1 << 13;

/** `kruskal` as steps: a checkpoint after the sort and every JOIN_CHUNK edges joined; undefined when shouldStop fires. */
export function* kruskalSteps(g: Graph, opts: { weights?: ArrayLike<number> | undefined; shouldStop?: (() => boolean) | undefined } = {}): Steps<SpanningForest | undefined> {
  const w = weightsOf(g, opts.weights);
  // The sort reads its keys and never writes them: weights already in a Float64Array (the
  // graph's own, always) are used as they are, not copied (8 MB less on a million edges).
  let keys: Float64Array;
  if (w instanceof Float64Array) keys = w;
  else {
    keys = new Float64Array(g.m);
    // In chunks: the first write to fresh memory is slow (page faults), ~10 ms per MB on a VM.
    for (let at = 0; at < g.m; at += CHECKPOINT_EVERY) {
      for (let e = at, end = Math.min(g.m, at + CHECKPOINT_EVERY); e < end; e++) keys[e] = w[e]!;
      yield;
    }
  }
  const sorting = argsortStableSteps(keys);
  let step = sorting.next();
  for (; !step.done; step = sorting.next()) {
    yield;
    if (opts.shouldStop?.()) return undefined;
  }
  const order = step.value;
  const uf = new UnionFind(g.n);
  const edges = new Int32Array(Math.max(0, g.n - 1));
  const state = { taken: 0, weight: 0 };
  for (let k = 0; k < order.length && state.taken < g.n - 1; k += JOIN_CHUNK) {
    joinEdges(g, order, keys, uf, edges, state, k, Math.min(order.length, k + JOIN_CHUNK));
    yield;
    if (opts.shouldStop?.()) return undefined;
  }
  return { edges: edges.slice(0, state.taken), weight: state.weight, components: uf.count };
}

function joinEdges(g: Graph, order: Int32Array, keys: Float64Array, uf: UnionFind, edges: Int32Array, state: { taken: number; weight: number }, from: number, to: number): void {
  for (let k = from; k < to && state.taken < g.n - 1; k++) {
    const e = order[k]!;
    if (uf.union(g.edgeU[e]!, g.edgeV[e]!)) {
      edges[state.taken++] = e;
      state.weight += keys[e]!;
    }
  }
}

/** Prim with an indexed binary heap, restarted in every component: O(m log n). */
export function prim(g: Graph, opts: { weights?: ArrayLike<number> | undefined } = {}): SpanningForest {
  return runSteps(primSteps(g, opts))!;
}

interface PrimState {
  w: ArrayLike<number>;
  inTree: Uint8Array;
  bestEdge: Int32Array;
  heap: IndexedMinHeap;
  edges: Int32Array;
  taken: number;
  weight: number;
}

/** `prim` as steps: a checkpoint every CHECKPOINT_EVERY settled nodes; undefined when shouldStop fires. */
export function* primSteps(g: Graph, opts: { weights?: ArrayLike<number> | undefined; shouldStop?: (() => boolean) | undefined } = {}): Steps<SpanningForest | undefined> {
  const n = g.n;
  const s: PrimState = {
    w: weightsOf(g, opts.weights),
    inTree: new Uint8Array(n),
    bestEdge: new Int32Array(n).fill(-1),
    heap: new IndexedMinHeap(n),
    edges: new Int32Array(Math.max(0, n - 1)),
    taken: 0,
    weight: 0,
  };
  let components = 0;
  // Work (nodes settled + arcs scanned) since the last checkpoint, counted across roots: a
  // graph of many small components yields as often as one big one.
  let work = 0;
  for (let root = 0; root < n; root++) {
    if (s.inTree[root]) continue;
    components++;
    s.heap.push(root, 0);
    while (s.heap.size > 0) {
      work += settle(g, s, PRIM_WORK_PER_CHECKPOINT - work);
      if (work >= PRIM_WORK_PER_CHECKPOINT) {
        work = 0;
        yield;
        if (opts.shouldStop?.()) return undefined;
      }
    }
    work++;
  }
  return { edges: s.edges.slice(0, s.taken), weight: s.weight, components };
}

/**
 * Work units of Prim between two checkpoints (a node settled or an arc scanned is one): 2^16
 * were 15-18 ms of heap operations missing the cache on 200k nodes, and the first (cold)
 * ones several times that (issue 13, mst:prim stall 125 ms).
 */
const PRIM_WORK_PER_CHECKPOINT = 1 << 14;

/** Settles nodes of the current tree until its heap is empty or about `budget` work units are done; returns the work done. */
function settle(g: Graph, s: PrimState, budget: number): number {
  const { w, inTree, bestEdge, heap, edges } = s;
  let work = 0;
  while (work < budget) {
    if (heap.size === 0) return work;
    const u = heap.pop();
    work += 1 + g.offsets[u + 1]! - g.offsets[u]!;
    inTree[u] = 1;
    const be = bestEdge[u]!;
    if (be >= 0) {
      edges[s.taken++] = be;
      s.weight += w[be]!;
    }
    for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
      const v = g.adjNode[k]!;
      if (inTree[v]) continue;
      const e = g.adjEdge[k]!;
      const we = w[e]!;
      if (!heap.has(v) || we < heap.keyOf(v)) {
        bestEdge[v] = e;
        heap.push(v, we);
      }
    }
  }
  return work;
}

/**
 * Minimum spanning tree (forest when the graph is disconnected). `auto` uses Prim on dense
 * graphs (m > n log2 n) and Kruskal otherwise.
 */
export function minimumSpanningTree(g: Graph, opts: MstOptions = {}): SpanningForest {
  const algorithm = opts.algorithm ?? 'auto';
  if (algorithm !== 'auto' && algorithm !== 'kruskal' && algorithm !== 'prim') {
    throw new ModelError('options.algorithm', `must be 'kruskal', 'prim' or 'auto', got ${JSON.stringify(algorithm)}`);
  }
  const usePrim = algorithm === 'prim' || (algorithm === 'auto' && g.m > g.n * Math.log2(Math.max(2, g.n)));
  return usePrim ? prim(g, { weights: opts.weights }) : kruskal(g, { weights: opts.weights });
}
