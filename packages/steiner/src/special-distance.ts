import { runSteps, type Graph, type Steps } from '@emplace/core';
import { argsortStableSteps, UnionFind } from '@emplace/graph';

/**
 * The special-distance (bottleneck Steiner distance) test of Duin and Volgenant, in the
 * form SCIP-Jack and Polzin & Vahdati Daneshmand use on large graphs.
 *
 * The bottleneck Steiner distance s(u, v) is the least, over u-v paths, of the longest
 * piece of the path between consecutive terminals (u and v count as ends). An edge with
 * c(u, v) > s(u, v) is in no Steiner minimal tree: removing it from a tree splits it in
 * two, and the longest piece of the cheaper path reconnects them for less. Every edge
 * found is in no minimal tree of the graph as given, so all are deleted at once.
 *
 * s(u, v) is bounded from above (any bound keeps the test safe) by
 *   min over i, j of max(d(u, z_i), b(z_i, z_j), d(z_j, v)),
 * with z_i the K nearest terminals of u, z_j those of v, and b the bottleneck distance
 * between two terminals: the heaviest edge on their path in a minimum spanning tree of the
 * terminal distance network (Mehlhorn's Voronoi construction gives such a tree).
 */
export function specialDistanceTest(g: Graph, terminals: Int32Array, shouldStop: () => boolean = () => false, nearestCount = 3): Uint8Array {
  return runSteps(specialDistanceSteps(g, terminals, shouldStop, nearestCount));
}

/** The test as steps (a checkpoint every few thousand labels or edges); the dead-edge mask. */
export function* specialDistanceSteps(g: Graph, terminals: Int32Array, shouldStop: () => boolean = () => false, nearestCount = 3): Steps<Uint8Array> {
  const dead = new Uint8Array(g.m);
  if (terminals.length < 2) return dead;
  const near = yield* nearestTerminalSteps(g, terminals, nearestCount, shouldStop);
  if (shouldStop()) return dead;
  yield;
  const tree = yield* terminalBottleneckTreeSteps(g, terminals, near);
  yield;
  const K = near.k;
  for (let e = 0; e < g.m; e++) {
    if ((e & 255) === 255) {
      yield;
      if (shouldStop()) break;
    }
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    const c = g.edgeW[e]!;
    const limit = c - 1e-9 * Math.max(1, c);
    let found = false;
    for (let i = 0; i < K && !found; i++) {
      const zu = near.term[u * K + i]!;
      if (zu < 0) break;
      const du = near.dist[u * K + i]!;
      if (du >= limit) break; // the labels are sorted by distance
      for (let j = 0; j < K; j++) {
        const zv = near.term[v * K + j]!;
        if (zv < 0) break;
        const dv = near.dist[v * K + j]!;
        if (dv >= limit) break;
        if (zu === zv || tree.bottleneck(zu, zv) < limit) {
          found = true;
          break;
        }
      }
    }
    if (found) dead[e] = 1;
  }
  return dead;
}

/** For every node, its `k` nearest distinct terminals (terminal indices) and distances, nearest first; -1 when fewer are reachable. */
export interface NearestTerminals {
  k: number;
  term: Int32Array;
  dist: Float64Array;
}

/**
 * K-nearest-terminal labels by one Dijkstra with up to k permanent labels per node (each
 * from a different terminal): O(k m log(k m)).
 */
export function nearestTerminals(g: Graph, terminals: Int32Array, k: number): NearestTerminals {
  return runSteps(nearestTerminalSteps(g, terminals, k));
}

function* nearestTerminalSteps(g: Graph, terminals: Int32Array, k: number, shouldStop: () => boolean = () => false): Steps<NearestTerminals> {
  const term = new Int32Array(g.n * k).fill(-1);
  const dist = new Float64Array(g.n * k).fill(Infinity);
  const count = new Uint8Array(g.n);
  const heap = new PairHeap(Math.max(16, 2 * terminals.length));
  for (let t = 0; t < terminals.length; t++) heap.push(0, terminals[t]!, t);
  const has = (v: number, t: number): boolean => {
    for (let i = 0; i < count[v]!; i++) if (term[v * k + i] === t) return true;
    return false;
  };
  let pops = 0;
  while (heap.size > 0) {
    // Every 256 labels: each pushes a label per neighbour (degree 50 on SteinLib c18).
    if ((++pops & 255) === 0) {
      yield;
      // Stopped: the labels so far are real distances (upper bounds), but the caller skips the test.
      if (shouldStop()) break;
    }
    const d = heap.topKey();
    const v = heap.topNode();
    const t = heap.topLabel();
    heap.pop();
    if (count[v]! >= k || has(v, t)) continue;
    const at = v * k + count[v]!;
    term[at] = t;
    dist[at] = d;
    count[v]!++;
    for (let q = g.offsets[v]!, end = g.offsets[v + 1]!; q < end; q++) {
      const w = g.adjNode[q]!;
      if (count[w]! >= k || has(w, t)) continue;
      heap.push(d + g.adjWeight[q]!, w, t);
    }
  }
  return { k, term, dist };
}

/** A forest as adjacency lists (slot chains), with edge weights. */
interface WeightedForest {
  head: Int32Array;
  next: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/**
 * A minimum spanning forest of the terminal distance network (Mehlhorn: Voronoi regions of
 * the nearest terminals, one candidate edge per boundary graph edge), with bottleneck queries.
 */
function* terminalBottleneckTreeSteps(g: Graph, terminals: Int32Array, near: NearestTerminals): Steps<BottleneckTree> {
  const forest = yield* mehlhornForestSteps(g, terminals.length, near);
  yield;
  return new BottleneckTree(forest);
}

/** Checkpoints after the candidate pass and inside the sort (on SteinLib e18 the whole was one ~10 ms stretch). */
function* mehlhornForestSteps(g: Graph, T: number, near: NearestTerminals): Steps<WeightedForest> {
  const K = near.k;
  const candU = new Int32Array(g.m);
  const candV = new Int32Array(g.m);
  const weights = new Float64Array(g.m);
  let cands = 0;
  for (let e = 0; e < g.m; e++) {
    const x = g.edgeU[e]!;
    const y = g.edgeV[e]!;
    const a = near.term[x * K]!;
    const b = near.term[y * K]!;
    if (a < 0 || b < 0 || a === b) continue;
    candU[cands] = a;
    candV[cands] = b;
    weights[cands++] = near.dist[x * K]! + g.edgeW[e]! + near.dist[y * K]!;
  }
  const candW = weights.subarray(0, cands);
  yield;
  // Radix argsort (O(m)): this runs on every special-distance round of dense graphs.
  const order = yield* argsortStableSteps(candW.slice());
  const uf = new UnionFind(T);
  const forest: WeightedForest = { head: new Int32Array(T).fill(-1), next: new Int32Array(2 * T), to: new Int32Array(2 * T), weight: new Float64Array(2 * T) };
  let slots = 0;
  for (const c of order) {
    const a = candU[c]!;
    const b = candV[c]!;
    if (!uf.union(a, b)) continue;
    for (const [p, q] of [[a, b], [b, a]] as const) {
      forest.to[slots] = q;
      forest.weight[slots] = candW[c]!;
      forest.next[slots] = forest.head[p]!;
      forest.head[p] = slots++;
    }
  }
  return forest;
}

/** Heaviest edge between two nodes of a forest, by binary lifting: O(T log T) to build, O(log T) per query. */
class BottleneckTree {
  /** up[j][v] = the 2^j-th ancestor of v, top[j][v] = the heaviest edge on the way there. */
  private readonly up: Int32Array[];
  private readonly top: Float64Array[];
  private readonly depth: Int32Array;
  private readonly comp: Int32Array;
  private readonly levels: number;

  constructor(forest: WeightedForest) {
    const T = forest.head.length;
    let levels = 1;
    while (1 << levels < T) levels++;
    this.levels = levels;
    this.up = Array.from({ length: levels }, () => new Int32Array(T));
    this.top = Array.from({ length: levels }, () => new Float64Array(T));
    this.depth = new Int32Array(T).fill(-1);
    this.comp = new Int32Array(T);
    this.root(forest);
    for (let j = 1; j < levels; j++) {
      const prevUp = this.up[j - 1]!;
      const prevTop = this.top[j - 1]!;
      for (let v = 0; v < T; v++) {
        const mid = prevUp[v]!;
        this.up[j]![v] = prevUp[mid]!;
        this.top[j]![v] = Math.max(prevTop[v]!, prevTop[mid]!);
      }
    }
  }

  /** Depth-first search of every tree: parent, edge weight to it, depth and component. */
  private root(forest: WeightedForest): void {
    const { depth, comp } = this;
    const up0 = this.up[0]!;
    const top0 = this.top[0]!;
    const stack = new Int32Array(depth.length);
    for (let r = 0; r < depth.length; r++) {
      if (depth[r]! >= 0) continue;
      depth[r] = 0;
      up0[r] = r;
      comp[r] = r;
      let sp = 0;
      stack[sp++] = r;
      while (sp > 0) {
        const v = stack[--sp]!;
        for (let s = forest.head[v]!; s >= 0; s = forest.next[s]!) {
          const w = forest.to[s]!;
          if (depth[w]! >= 0) continue;
          depth[w] = depth[v]! + 1;
          up0[w] = v;
          top0[w] = forest.weight[s]!;
          comp[w] = r;
          stack[sp++] = w;
        }
      }
    }
  }

  bottleneck(a: number, b: number): number {
    const { up, top, depth } = this;
    if (this.comp[a] !== this.comp[b]) return Infinity;
    let best = 0;
    let x = a;
    let y = b;
    if (depth[x]! < depth[y]!) {
      // No destructuring swap: up to 9 queries per edge, and that allocates an array each.
      x = b;
      y = a;
    }
    let diff = depth[x]! - depth[y]!;
    for (let j = 0; diff > 0; j++, diff >>= 1) {
      if (diff & 1) {
        best = Math.max(best, top[j]![x]!);
        x = up[j]![x]!;
      }
    }
    if (x === y) return best;
    for (let j = this.levels - 1; j >= 0; j--) {
      if (up[j]![x] !== up[j]![y]) {
        best = Math.max(best, top[j]![x]!, top[j]![y]!);
        x = up[j]![x]!;
        y = up[j]![y]!;
      }
    }
    return Math.max(best, top[0]![x]!, top[0]![y]!);
  }
}

/** A binary min-heap of (key, node, label) triples with stale entries allowed (labels are skipped when popped). */
class PairHeap {
  private keys: Float64Array;
  private nodes: Int32Array;
  private labels: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
    this.labels = new Int32Array(capacity);
  }

  topKey(): number {
    return this.keys[0]!;
  }
  topNode(): number {
    return this.nodes[0]!;
  }
  topLabel(): number {
    return this.labels[0]!;
  }

  push(key: number, node: number, label: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.move(p, i);
      i = p;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
    this.labels[i] = label;
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const key = this.keys[last]!;
    const node = this.nodes[last]!;
    const label = this.labels[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.keys[c + 1]! < this.keys[c]!) c++;
      if (this.keys[c]! >= key) break;
      this.move(c, i);
      i = c;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
    this.labels[i] = label;
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from]!;
    this.nodes[to] = this.nodes[from]!;
    this.labels[to] = this.labels[from]!;
  }

  private grow(): void {
    const cap = 2 * this.keys.length;
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    const nodes = new Int32Array(cap);
    nodes.set(this.nodes);
    const labels = new Int32Array(cap);
    labels.set(this.labels);
    this.keys = keys;
    this.nodes = nodes;
    this.labels = labels;
  }
}
