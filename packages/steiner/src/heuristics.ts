import { runSteps, type Graph, type Steps } from '@emplace/core';
import { argsortStableSteps, DijkstraSearch, IndexedMinHeap, UnionFind } from '@emplace/graph';
import { mstOfEdges, pruneLeaves } from './tree.js';

/**
 * Construction heuristics on a working graph. Each returns an edge list forming a tree
 * that spans the terminals (the graph is assumed to connect them), already pruned.
 */

/**
 * Reusable state of the shortest-path heuristic (Takahashi-Matsuyama): the tree grows from
 * a root by the cheapest path to the nearest unconnected terminal. Distances to the tree
 * only decrease as it grows, so each new path's nodes are pushed at distance 0 and only
 * improved labels propagate (incremental Dijkstra) instead of a full search per terminal.
 */
export class ShortestPathHeuristic {
  private readonly g: Graph;
  private readonly dist: Float64Array;
  private readonly pred: Int32Array;
  private readonly predEdge: Int32Array;
  private readonly inTree: Uint8Array;
  private readonly heap: IndexedMinHeap;

  constructor(g: Graph) {
    this.g = g;
    this.dist = new Float64Array(g.n);
    this.pred = new Int32Array(g.n);
    this.predEdge = new Int32Array(g.n);
    this.inTree = new Uint8Array(g.n);
    this.heap = new IndexedMinHeap(g.n);
  }

  /** Tree edges (unpruned: every non-terminal is on a path between terminals) grown from `root` with edge weights `w`. */
  run(terminals: ArrayLike<number>, root: number, w: ArrayLike<number> = this.g.edgeW): number[] {
    return runSteps(this.steps(terminals, root, w));
  }

  /** `run` as steps: a checkpoint every 8 terminals joined. */
  *steps(terminals: ArrayLike<number>, root: number, w: ArrayLike<number> = this.g.edgeW): Steps<number[]> {
    const { g, dist, pred, predEdge, inTree, heap } = this;
    dist.fill(Infinity);
    pred.fill(-1);
    predEdge.fill(-1);
    inTree.fill(0);
    heap.clear();
    const out: number[] = [];
    const addNode = (v: number): void => {
      inTree[v] = 1;
      dist[v] = 0;
      heap.push(v, 0);
    };
    addNode(root);
    const pending: number[] = [];
    for (let k = 0; k < terminals.length; k++) if (terminals[k] !== root) pending.push(terminals[k]!);
    const { offsets, adjNode, adjEdge } = g;
    let joined = 0;
    while (pending.length > 0) {
      if ((++joined & 7) === 0) yield;
      // Propagate improved distances.
      while (heap.size > 0) {
        const u = heap.pop();
        const du = dist[u]!;
        for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
          const v = adjNode[k]!;
          const e = adjEdge[k]!;
          const nd = du + w[e]!;
          if (nd < dist[v]!) {
            dist[v] = nd;
            pred[v] = u;
            predEdge[v] = e;
            heap.push(v, nd);
          }
        }
      }
      let bestK = -1;
      let bestD = Infinity;
      for (let k = 0; k < pending.length; k++) {
        const d = dist[pending[k]!]!;
        if (d < bestD) {
          bestD = d;
          bestK = k;
        }
      }
      if (bestK < 0) break; // disconnected: caller checks
      const t = pending[bestK]!;
      pending[bestK] = pending[pending.length - 1]!;
      pending.pop();
      for (let v = t; !inTree[v]; v = pred[v]!) {
        out.push(predEdge[v]!);
        addNode(v);
      }
    }
    return out;
  }
}

/** Shortest-path heuristic from one root, pruned. */
export function shortestPathHeuristic(g: Graph, terminals: Int32Array, isTerminal: Uint8Array, root: number): number[] {
  return pruneLeaves(g, new ShortestPathHeuristic(g).run(terminals, root), isTerminal);
}

/**
 * Kou-Markowsky-Berman: MST of the terminals' distance network, expanded into shortest
 * paths, MST of the union, pruned. A 2(1 - 1/leaves)-approximation. k Dijkstra runs.
 */
export function kmb(g: Graph, terminals: Int32Array, isTerminal: Uint8Array): number[] {
  return runSteps(kmbSteps(g, terminals, isTerminal)) ?? [];
}

/**
 * `kmb` as steps: a checkpoint after every Dijkstra run (k of them, about a millisecond each
 * on 60k edges). When `shouldStop` turns true the distance network is incomplete and the
 * result is undefined (the caller falls back to Mehlhorn's variant, one Dijkstra run).
 */
export function* kmbSteps(g: Graph, terminals: Int32Array, isTerminal: Uint8Array, shouldStop: () => boolean = () => false): Steps<number[] | undefined> {
  const k = terminals.length;
  if (k <= 1) return [];
  const search = new DijkstraSearch(g);
  const d = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    yield;
    if (shouldStop()) return undefined;
    search.run([terminals[i]!]);
    for (let j = 0; j < k; j++) d[i * k + j] = search.dist[terminals[j]!]!;
  }
  // Prim on the dense distance network.
  const inT = new Uint8Array(k);
  const key = new Float64Array(k).fill(Infinity);
  const parent = new Int32Array(k).fill(-1);
  key[0] = 0;
  const pairs: [number, number][] = [];
  for (let it = 0; it < k; it++) {
    let u = -1;
    for (let j = 0; j < k; j++) if (!inT[j] && (u < 0 || key[j]! < key[u]!)) u = j;
    inT[u] = 1;
    if (parent[u]! >= 0) pairs.push([parent[u]!, u]);
    for (let j = 0; j < k; j++) {
      if (!inT[j] && d[u * k + j]! < key[j]!) {
        key[j] = d[u * k + j]!;
        parent[j] = u;
      }
    }
  }
  // Expand: group the MST edges by their first end to run one Dijkstra per distinct source.
  const bySource = new Map<number, number[]>();
  for (const [a, b] of pairs) {
    let list = bySource.get(a);
    if (!list) bySource.set(a, (list = []));
    list.push(b);
  }
  const edges: number[] = [];
  for (const [a, targets] of bySource) {
    yield;
    if (shouldStop()) return undefined;
    search.run([terminals[a]!]);
    for (const b of targets) edges.push(...search.pathEdges(terminals[b]!));
  }
  yield;
  return pruneLeaves(g, mstOfEdges(g, edges), isTerminal);
}

/**
 * Mehlhorn's variant of KMB: one multi-source Dijkstra gives each node its nearest
 * terminal (Voronoi regions); the edges between regions give a sparse distance network
 * whose MST is expanded. Same 2(1 - 1/leaves) ratio, O(m log n).
 */
export function mehlhorn(g: Graph, terminals: Int32Array, isTerminal: Uint8Array): number[] {
  return runSteps(mehlhornSteps(g, terminals, isTerminal));
}

/** Edge relaxations of the Voronoi search between two checkpoints of mehlhornSteps (~1-2 ms). */
const RELAXATIONS_PER_STEP = 1 << 16;

/**
 * `mehlhorn` as steps: checkpoints inside the Voronoi search (every ~64k edge relaxations),
 * then between the bridge sort and the expansion (a few ms each on 60k edges).
 */
export function* mehlhornSteps(g: Graph, terminals: Int32Array, isTerminal: Uint8Array): Steps<number[]> {
  const k = terminals.length;
  if (k <= 1) return [];
  const search = new DijkstraSearch(g);
  const nodesPerStep = Math.max(64, Math.floor(RELAXATIONS_PER_STEP / Math.max(1, (2 * g.m) / Math.max(1, g.n))));
  search.start(terminals);
  while (!search.advance(nodesPerStep)) yield;
  yield;
  const { dist, origin } = search;
  const termIndex = new Int32Array(g.n).fill(-1);
  for (let i = 0; i < k; i++) termIndex[terminals[i]!] = i;
  const bridge = new Int32Array(g.m);
  const bridgeLen = new Float64Array(g.m);
  let count = 0;
  for (let e = 0; e < g.m; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    if (origin[u] === origin[v] || origin[u]! < 0 || origin[v]! < 0) continue;
    bridge[count] = e;
    bridgeLen[count++] = dist[u]! + g.edgeW[e]! + dist[v]!;
  }
  yield;
  // Radix argsort, stable: ties keep edge order.
  const order = yield* argsortStableSteps(bridgeLen.slice(0, count));
  yield;
  const uf = new UnionFind(k);
  const edges: number[] = [];
  const walk = (v: number): void => {
    while (search.predEdge[v]! >= 0) {
      edges.push(search.predEdge[v]!);
      v = search.pred[v]!;
    }
  };
  for (const i of order) {
    const e = bridge[i]!;
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    if (!uf.union(termIndex[origin[u]!]!, termIndex[origin[v]!]!)) continue;
    edges.push(e);
    walk(u);
    walk(v);
    if (uf.count === 1) break;
  }
  yield;
  return pruneLeaves(g, mstOfEdges(g, edges), isTerminal);
}
