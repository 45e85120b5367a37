import { ModelError, type Graph } from '@emplace/core';
import { IndexedMinHeap } from './heap.js';

export interface DijkstraOptions {
  /** Stop as soon as this node is settled (its distance is then final). */
  target?: number;
  /** Do not settle nodes farther than this; they keep distance Infinity. */
  maxDist?: number;
  /** Reuse these arrays (length n) instead of allocating; they are overwritten. */
  dist?: Float64Array;
  pred?: Int32Array;
  predEdge?: Int32Array;
  /**
   * Starting distances of the sources (same length as `source`), for a multi-source
   * search where the sources do not all start at 0 (Voronoi regions with offsets).
   */
  sourceDist?: ArrayLike<number>;
}

export interface ShortestPaths {
  /** Distance from the nearest source; Infinity when unreached (or beyond maxDist / after target). */
  dist: Float64Array;
  /** Previous node on a shortest path, -1 for sources and unreached nodes. */
  pred: Int32Array;
  /** Edge index used to reach the node, -1 for sources and unreached nodes. */
  predEdge: Int32Array;
  /** The source each node was reached from (its Voronoi region), -1 when unreached. */
  origin: Int32Array;
  /** Number of nodes settled. */
  settled: number;
}

function checkNode(g: Graph, field: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= g.n) throw new ModelError(field, `must be a node index in [0, ${g.n}), got ${String(v)}`);
}

/**
 * Shortest paths from one node or from a set of nodes (multi-source: distance to the
 * nearest source) on non-negative weights, with a binary heap: O((n + m) log n).
 * Early exit at `target` or beyond `maxDist`.
 */
export function dijkstra(g: Graph, source: number | ArrayLike<number>, opts: DijkstraOptions = {}): ShortestPaths {
  const search = new DijkstraSearch(g);
  const sources = typeof source === 'number' ? [source] : source;
  for (let k = 0; k < sources.length; k++) checkNode(g, typeof source === 'number' ? 'source' : `source[${k}]`, sources[k]!);
  if (opts.target !== undefined) checkNode(g, 'options.target', opts.target);
  if (opts.sourceDist && opts.sourceDist.length !== sources.length) {
    throw new ModelError('options.sourceDist', `must have ${sources.length} entries, got ${opts.sourceDist.length}`);
  }
  const settled = search.run(sources, opts.target ?? -1, opts.maxDist ?? Infinity, opts.sourceDist);
  const dist = opts.dist ?? new Float64Array(g.n);
  const pred = opts.pred ?? new Int32Array(g.n);
  const predEdge = opts.predEdge ?? new Int32Array(g.n);
  for (const [name, a] of [['dist', dist], ['pred', pred], ['predEdge', predEdge]] as const) {
    if (a.length !== g.n) throw new ModelError(`options.${name}`, `must have length ${g.n}, got ${a.length}`);
  }
  dist.set(search.dist);
  pred.set(search.pred);
  predEdge.set(search.predEdge);
  // Distances of nodes reached but not settled (early exit) are only upper bounds: hide them.
  if (opts.target !== undefined || opts.maxDist !== undefined) {
    for (let v = 0; v < g.n; v++) {
      if (!search.isSettled(v)) {
        dist[v] = Infinity;
        pred[v] = -1;
        predEdge[v] = -1;
      }
    }
  }
  const origin = Int32Array.from(search.origin);
  for (let v = 0; v < g.n; v++) if (dist[v] === Infinity) origin[v] = -1;
  return { dist, pred, predEdge, origin, settled };
}

/**
 * A reusable Dijkstra: its arrays are allocated once and only the entries a search
 * touched are reset before the next one, so thousands of short (early-exit) searches
 * on a large graph cost what they explore, not O(n) each.
 *
 * After `run`, `dist[v]` is final for settled nodes (`isSettled(v)`), an upper bound for
 * nodes reached but not settled, Infinity for the rest.
 */
export class DijkstraSearch {
  readonly graph: Graph;
  readonly dist: Float64Array;
  readonly pred: Int32Array;
  readonly predEdge: Int32Array;
  readonly origin: Int32Array;
  private readonly done: Uint8Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly heap: IndexedMinHeap;
  /** Optional per-edge weight override (e.g. reduced costs); defaults to the graph's weights. */
  weights: Float64Array | undefined;

  constructor(g: Graph) {
    this.graph = g;
    this.dist = new Float64Array(g.n).fill(Infinity);
    this.pred = new Int32Array(g.n).fill(-1);
    this.predEdge = new Int32Array(g.n).fill(-1);
    this.origin = new Int32Array(g.n).fill(-1);
    this.done = new Uint8Array(g.n);
    this.touched = new Int32Array(g.n);
    this.heap = new IndexedMinHeap(g.n);
  }

  isSettled(v: number): boolean {
    return this.done[v] === 1;
  }

  /** Nodes touched by the last run (settled or reached), in the order first reached. */
  touchedNodes(): Int32Array {
    return this.touched.subarray(0, this.touchedCount);
  }

  /** Restores the arrays to their initial state (only the touched entries). */
  reset(): void {
    for (let k = 0; k < this.touchedCount; k++) {
      const v = this.touched[k]!;
      this.dist[v] = Infinity;
      this.pred[v] = -1;
      this.predEdge[v] = -1;
      this.origin[v] = -1;
      this.done[v] = 0;
    }
    this.touchedCount = 0;
    this.heap.clear();
  }

  /** Target and distance cap of the search in progress (start / advance). */
  private target = -1;
  private maxDist = Infinity;
  private settledCount = 0;
  private finished = true;

  /**
   * Runs from `sources` (each at distance 0, or `sourceDist[k]`), settling nodes in order
   * of distance until the heap empties, `target` (>= 0) is settled, or the next node is
   * beyond `maxDist`. Returns the number of settled nodes. Sources are not validated.
   */
  run(sources: ArrayLike<number>, target = -1, maxDist = Infinity, sourceDist?: ArrayLike<number>): number {
    this.start(sources, target, maxDist, sourceDist);
    this.advance(Infinity);
    return this.settledCount;
  }

  /**
   * `run` in pieces, for callers that must give their event loop a turn on large graphs:
   * `start` seeds the search, then each `advance(budget)` settles at most `budget` more
   * nodes and says whether the search has ended (the state after the last advance equals
   * run's). A new start or run discards a search in progress.
   */
  start(sources: ArrayLike<number>, target = -1, maxDist = Infinity, sourceDist?: ArrayLike<number>): void {
    this.reset();
    this.target = target;
    this.maxDist = maxDist;
    this.settledCount = 0;
    this.finished = false;
    const { dist, pred, predEdge, origin, touched, heap } = this;
    for (let k = 0; k < sources.length; k++) {
      const s = sources[k]!;
      const d0 = sourceDist ? sourceDist[k]! : 0;
      if (dist[s] === Infinity) touched[this.touchedCount++] = s;
      if (d0 < dist[s]!) {
        dist[s] = d0;
        origin[s] = s;
        pred[s] = -1;
        predEdge[s] = -1;
        heap.push(s, d0);
      }
    }
  }

  /** Settles up to `budget` nodes of the search begun by `start`; true once it has ended. */
  advance(budget: number): boolean {
    if (this.finished) return true;
    const { offsets, adjNode, adjEdge, adjWeight } = this.graph;
    const { weights: w, dist, pred, predEdge, origin, done, touched, heap, target, maxDist } = this;
    let settled = 0;
    let ended = true;
    while (heap.size > 0) {
      if (settled >= budget) {
        ended = false;
        break;
      }
      const u = heap.pop();
      const du = dist[u]!;
      if (du > maxDist) {
        heap.push(u, du); // keep it reached-but-unsettled
        break;
      }
      done[u] = 1;
      settled++;
      if (u === target) break;
      const ou = origin[u]!;
      for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
        const v = adjNode[k]!;
        if (done[v] === 1) continue;
        const nd = du + (w === undefined ? adjWeight[k]! : w[adjEdge[k]!]!);
        const dv = dist[v]!;
        if (nd < dv) {
          if (dv === Infinity) touched[this.touchedCount++] = v;
          dist[v] = nd;
          pred[v] = u;
          predEdge[v] = adjEdge[k]!;
          origin[v] = ou;
          heap.push(v, nd);
        }
      }
    }
    this.settledCount += settled;
    this.finished = ended;
    return ended;
  }

  /** Edge indices of the path from the search's source to `v`, source end first (empty if unreached). */
  pathEdges(v: number): number[] {
    const out: number[] = [];
    while (v >= 0 && this.predEdge[v]! >= 0) {
      out.push(this.predEdge[v]!);
      v = this.pred[v]!;
    }
    return out.reverse();
  }
}

/** Node sequence of the shortest path to `target` from a `dijkstra` result (empty when unreached). */
export function shortestPath(paths: Pick<ShortestPaths, 'dist' | 'pred'>, target: number): number[] {
  if (paths.dist[target] === Infinity) return [];
  const out: number[] = [];
  for (let v = target; v >= 0; v = paths.pred[v]!) out.push(v);
  return out.reverse();
}
