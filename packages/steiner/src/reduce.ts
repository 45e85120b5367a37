import { runSteps, type Graph, type Steps } from '@emplace/core';
import { IndexedMinHeap } from '@emplace/graph';
import { specialDistanceSteps } from './special-distance.js';

/**
 * SteinLib-style reductions on a mutable copy of the graph. Every reduced edge remembers
 * the original edges it stands for (a contracted degree-2 path is one edge), and edges
 * forced into every optimal tree (a degree-1 terminal's edge, the cheapest edge between
 * two terminals) are "fixed": their cost is paid up front and their ends merged. Each
 * test keeps at least one optimal tree of the original problem in the reduced one, so
 * mapping an optimal reduced tree back gives an optimal original tree.
 */
export class WorkGraph {
  readonly n: number;
  readonly alive: Uint8Array;
  readonly terminal: Uint8Array;
  /** Neighbour -> edge id, per node (parallel edges are merged to the cheapest). */
  readonly adj: Map<number, number>[];
  readonly eu: number[] = [];
  readonly ev: number[] = [];
  readonly ew: number[] = [];
  readonly ealive: number[] = [];
  readonly orig: number[][] = [];
  /** Original edges in every tree of the reduced problem. */
  readonly fixed: number[] = [];
  fixedCost = 0;
  terminals = 0;
  /** Counters of what each test removed. */
  readonly stats = { degree: 0, path: 0, terminal: 0, longEdge: 0, specialDistance: 0, dualAscent: 0 };

  /** The graph's nodes and terminals, with edges only when `withEdges` (else see loadSteps). */
  constructor(g: Graph, terminals: ArrayLike<number>, withEdges = true) {
    this.n = g.n;
    this.alive = new Uint8Array(g.n).fill(1);
    this.terminal = new Uint8Array(g.n);
    for (let k = 0; k < terminals.length; k++) this.terminal[terminals[k]!] = 1;
    this.terminals = terminals.length;
    this.adj = Array.from({ length: g.n }, () => new Map<number, number>());
    if (withEdges) runSteps(this.loadSteps(g));
  }

  /** Adds the graph's edges (tens of ms on 60k edges: a checkpoint every thousand). */
  *loadSteps(g: Graph): Steps<void> {
    for (let e = 0; e < g.m; e++) {
      // Every 256 edges: each adds Map entries and an edge record (garbage-collector work).
      if ((e & 255) === 255) yield;
      if (g.edgeU[e] === g.edgeV[e]) continue; // a self-loop is never in a tree
      this.addEdge(g.edgeU[e]!, g.edgeV[e]!, g.edgeW[e]!, [e]);
    }
  }

  /** Adds an edge, or lowers the weight of the existing edge between u and v. */
  addEdge(u: number, v: number, w: number, orig: number[]): void {
    const at = this.adj[u]!.get(v);
    if (at !== undefined) {
      if (w < this.ew[at]!) {
        this.ew[at] = w;
        this.orig[at] = orig;
      }
      return;
    }
    const id = this.eu.length;
    this.eu.push(u);
    this.ev.push(v);
    this.ew.push(w);
    this.ealive.push(1);
    this.orig.push(orig);
    this.adj[u]!.set(v, id);
    this.adj[v]!.set(u, id);
  }

  deleteEdge(e: number): void {
    if (!this.ealive[e]) return;
    this.ealive[e] = 0;
    this.adj[this.eu[e]!]!.delete(this.ev[e]!);
    this.adj[this.ev[e]!]!.delete(this.eu[e]!);
  }

  deleteNode(v: number): void {
    for (const e of [...this.adj[v]!.values()]) this.deleteEdge(e);
    this.alive[v] = 0;
  }

  /** Edges still in the graph. */
  edgeCount(): number {
    let count = 0;
    for (let e = 0; e < this.ealive.length; e++) count += this.ealive[e]!;
    return count;
  }

  other(e: number, v: number): number {
    return this.eu[e] === v ? this.ev[e]! : this.eu[e]!;
  }

  /** Fixes edge e and merges its end `from` into `into` (which becomes a terminal if `from` was one). */
  contract(e: number, from: number, into: number): void {
    this.fixed.push(...this.orig[e]!);
    this.fixedCost += this.ew[e]!;
    this.deleteEdge(e);
    const moved = [...this.adj[from]!.entries()];
    for (const [, f] of moved) this.deleteEdge(f);
    for (const [x, f] of moved) this.addEdge(into, x, this.ew[f]!, this.orig[f]!);
    if (this.terminal[from]) {
      if (this.terminal[into]) this.terminals--;
      this.terminal[into] = 1;
      this.terminal[from] = 0;
    }
    this.alive[from] = 0;
  }

  /**
   * Degree tests until nothing changes: non-terminals of degree <= 1 are deleted, of
   * degree 2 replaced by one edge; a terminal of degree 1 has its edge fixed; the
   * cheapest edge at a terminal is fixed when it leads to another terminal.
   */
  degreeTests(): void {
    runSteps(this.degreeSteps());
  }

  *degreeSteps(): Steps<void> {
    const queue: number[] = [];
    const queued = new Uint8Array(this.n);
    for (let v = 0; v < this.n; v++) if (this.alive[v]) {
      queue.push(v);
      queued[v] = 1;
    }
    const requeue = (v: number): void => {
      if (!queued[v] && this.alive[v]) {
        queued[v] = 1;
        queue.push(v);
      }
    };
    let pops = 0;
    while (queue.length > 0) {
      // Every 128 nodes: a contraction merges adjacency maps (degree 50 on SteinLib c18).
      if ((++pops & 127) === 0) yield;
      const v = queue.pop()!;
      queued[v] = 0;
      if (!this.alive[v]) continue;
      const a = this.adj[v]!;
      if (!this.terminal[v]) {
        if (a.size <= 1) {
          for (const x of a.keys()) requeue(x);
          this.deleteNode(v);
          this.stats.degree++;
        } else if (a.size === 2) {
          const [[x, e1], [y, e2]] = [...a.entries()] as [[number, number], [number, number]];
          const w = this.ew[e1]! + this.ew[e2]!;
          const orig = this.orig[e1]!.concat(this.orig[e2]!);
          this.deleteNode(v);
          this.addEdge(x, y, w, orig);
          this.stats.path++;
          requeue(x);
          requeue(y);
        }
        continue;
      }
      if (this.terminals <= 1) continue;
      if (a.size === 1) {
        const [[x, e]] = [...a.entries()] as [[number, number]];
        this.contract(e, v, x);
        this.stats.terminal++;
        requeue(x);
        for (const y of this.adj[x]!.keys()) requeue(y);
        continue;
      }
      let best = -1;
      let bestW = Infinity;
      for (const e of a.values()) if (this.ew[e]! < bestW) {
        bestW = this.ew[e]!;
        best = e;
      }
      if (best >= 0 && this.terminal[this.other(best, v)]) {
        const x = this.other(best, v);
        this.contract(best, v, x);
        this.stats.terminal++;
        requeue(x);
        for (const y of this.adj[x]!.keys()) requeue(y);
      }
    }
  }

  /**
   * Long-edge test: an edge {u, v} is deleted when another u-v path is no longer than it.
   * One Dijkstra per node u, bounded by its heaviest edge, recording each node's first hop
   * out of u: the edge to a neighbour v goes when v is reached more cheaply, or as cheaply
   * through another first hop (whose own edge from u must survive this batch).
   */
  longEdgeTest(shouldStop: () => boolean = () => false): void {
    runSteps(this.longEdgeSteps(shouldStop));
  }

  /** The long-edge test as steps: a checkpoint every few bounded searches (see core's Steps). */
  *longEdgeSteps(shouldStop: () => boolean = () => false): Steps<void> {
    yield;
    const snap = yield* this.compactSteps();
    const g = snap.graph;
    const dead = new Uint8Array(g.m);
    const dist = new Float64Array(g.n).fill(Infinity);
    const hop = new Int32Array(g.n).fill(-1);
    const touched: number[] = [];
    const heap = new IndexedMinHeap(g.n);
    const edgeTo = new Int32Array(g.n).fill(-1);
    const cands: number[] = [];
    for (let s = 0; s < g.n; s++) {
      // Every node: one bounded Dijkstra can take a millisecond on dense instances (c18).
      yield;
      if (shouldStop()) break;
      let limit = 0;
      for (let k = g.offsets[s]!, end = g.offsets[s + 1]!; k < end; k++) {
        if (dead[g.adjEdge[k]!]) continue;
        edgeTo[g.adjNode[k]!] = g.adjEdge[k]!;
        if (g.adjWeight[k]! > limit) limit = g.adjWeight[k]!;
      }
      firstHopSearch(g, s, limit, dead, { dist, hop, touched, heap });
      // Candidates: edges from s, lightest first; each needs its supporting first edge alive.
      cands.length = 0;
      for (let k = g.offsets[s]!, end = g.offsets[s + 1]!; k < end; k++) if (!dead[g.adjEdge[k]!]) cands.push(k);
      cands.sort((a, b) => g.adjWeight[a]! - g.adjWeight[b]!);
      for (const k of cands) {
        const e = g.adjEdge[k]!;
        const v = g.adjNode[k]!;
        const w = g.adjWeight[k]!;
        let support = -1;
        if (dist[v]! < w || (dist[v] === w && hop[v] !== v)) support = hop[v]!;
        else {
          for (let kk = g.offsets[v]!, end = g.offsets[v + 1]!; kk < end; kk++) {
            const x = g.adjNode[kk]!;
            if (x === s || dead[g.adjEdge[kk]!] || hop[x] === v || hop[x]! < 0) continue;
            if (dist[x]! + g.adjWeight[kk]! <= w) {
              support = hop[x]!;
              break;
            }
          }
        }
        if (support < 0 || support === v) continue;
        const se = edgeTo[support]!;
        if (se < 0 || dead[se]) continue;
        dead[e] = 1;
        this.deleteEdge(snap.edgeOf[e]!);
        this.stats.longEdge++;
      }
      for (const v of touched) {
        dist[v] = Infinity;
        hop[v] = -1;
      }
      touched.length = 0;
      for (let k = g.offsets[s]!, end = g.offsets[s + 1]!; k < end; k++) edgeTo[g.adjNode[k]!] = -1;
    }
  }

  /** Special-distance test (see special-distance.ts); returns the number of edges deleted. */
  specialDistanceTest(shouldStop: () => boolean = () => false): number {
    return runSteps(this.specialDistanceSteps(shouldStop));
  }

  *specialDistanceSteps(shouldStop: () => boolean = () => false): Steps<number> {
    const snap = yield* this.compactSteps();
    const dead = yield* specialDistanceSteps(snap.graph, snap.terminals, shouldStop);
    let count = 0;
    for (let e = 0; e < snap.graph.m; e++) if (dead[e]) {
      // Two Map deletions each: tens of thousands of them on SteinLib e18 were a 20 ms stretch.
      if ((++count & 1023) === 0) yield;
      this.deleteEdge(snap.edgeOf[e]!);
    }
    this.stats.specialDistance += count;
    return count;
  }

  /** A compact CSR snapshot of the current reduced graph, with the maps back to the original. */
  compact(): ReducedInstance {
    return runSteps(this.compactSteps());
  }

  /** `compact` as steps: checkpoints between the passes over the edges. */
  *compactSteps(): Steps<ReducedInstance> {
    const nodeOf: number[] = [];
    const index = new Int32Array(this.n).fill(-1);
    for (let v = 0; v < this.n; v++) if (this.alive[v] && (this.adj[v]!.size > 0 || this.terminal[v])) {
      index[v] = nodeOf.length;
      nodeOf.push(v);
    }
    let alive = 0;
    for (let e = 0; e < this.ealive.length; e++) alive += this.ealive[e]!;
    const u = new Int32Array(alive);
    const vv = new Int32Array(alive);
    const w = new Float64Array(alive);
    const edgeOf = new Int32Array(alive);
    const edgeOrig: number[][] = [];
    for (let e = 0, k = 0; e < this.eu.length; e++) {
      if ((e & 2047) === 2047) yield;
      if (!this.ealive[e]) continue;
      u[k] = index[this.eu[e]!]!;
      vv[k] = index[this.ev[e]!]!;
      w[k] = this.ew[e]!;
      edgeOf[k++] = e;
      edgeOrig.push(this.orig[e]!);
    }
    const graph = yield* csrGraphSteps(nodeOf.length, u, vv, w);
    const terminals: number[] = [];
    const isTerminal = new Uint8Array(nodeOf.length);
    for (let i = 0; i < nodeOf.length; i++) if (this.terminal[nodeOf[i]!]) {
      terminals.push(i);
      isTerminal[i] = 1;
    }
    return {
      graph,
      terminals: Int32Array.from(terminals),
      isTerminal,
      nodeOf: Int32Array.from(nodeOf),
      edgeOf,
      edgeOrig,
      fixed: [...this.fixed],
      fixedCost: this.fixedCost,
    };
  }
}

/**
 * The Graph of an edge list already checked (distinct ends, finite weights >= 0): the CSR
 * that core's createGraph builds, in the same order, with checkpoints every few thousand
 * edges (createGraph on 60k edges is one uninterrupted pass of tens of ms).
 */
function* csrGraphSteps(n: number, edgeU: Int32Array, edgeV: Int32Array, edgeW: Float64Array): Steps<Graph> {
  const m = edgeU.length;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    offsets[edgeU[e]! + 1]!++;
    offsets[edgeV[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  yield;
  const fill = offsets.slice(0, n);
  const adjNode = new Int32Array(2 * m);
  const adjEdge = new Int32Array(2 * m);
  const adjWeight = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    if ((e & 8191) === 8191) yield;
    const u = edgeU[e]!;
    const v = edgeV[e]!;
    let k = fill[u]!++;
    adjNode[k] = v;
    adjEdge[k] = e;
    adjWeight[k] = edgeW[e]!;
    k = fill[v]!++;
    adjNode[k] = u;
    adjEdge[k] = e;
    adjWeight[k] = edgeW[e]!;
  }
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = String(i);
  return { kind: 'graph', n, m, ids, edgeU, edgeV, edgeW, offsets, adjNode, adjEdge, adjWeight };
}

/** A reduced problem as a compact graph, with what is needed to map its trees back. */
export interface ReducedInstance {
  graph: Graph;
  terminals: Int32Array;
  isTerminal: Uint8Array;
  /** Reduced node -> WorkGraph (= original) node. */
  nodeOf: Int32Array;
  /** Reduced edge -> WorkGraph edge id. */
  edgeOf: Int32Array;
  /** Reduced edge -> the original edges it stands for. */
  edgeOrig: number[][];
  /** Original edges in every tree of the reduced problem, and their total cost. */
  fixed: number[];
  fixedCost: number;
}

/** Original edges of a reduced tree (the fixed edges included). */
export function toOriginalEdges(r: ReducedInstance, edges: ArrayLike<number>): number[] {
  const out = [...r.fixed];
  for (let k = 0; k < edges.length; k++) out.push(...r.edgeOrig[edges[k]!]!);
  return out;
}

/** Reduced edges fully covered by a set of original edges (to carry a tree into a reduced graph). */
export function fromOriginalEdges(r: ReducedInstance, originalMask: Uint8Array): number[] {
  const out: number[] = [];
  for (let e = 0; e < r.edgeOrig.length; e++) {
    const list = r.edgeOrig[e]!;
    let all = list.length > 0;
    for (const o of list) if (!originalMask[o]) {
      all = false;
      break;
    }
    if (all) out.push(e);
  }
  return out;
}

/** Working arrays of the long-edge test's searches, reset by the caller through `touched`. */
interface FirstHopScratch {
  dist: Float64Array;
  hop: Int32Array;
  touched: number[];
  heap: IndexedMinHeap;
}

/**
 * Dijkstra from `s` over live edges up to distance `limit`, recording each reached node's
 * first hop out of `s`; on a tie, a path that avoids the direct edge from `s` is preferred.
 */
function firstHopSearch(g: Graph, s: number, limit: number, dead: Uint8Array, scratch: FirstHopScratch): void {
  const { dist, hop, touched, heap } = scratch;
  dist[s] = 0;
  touched.push(s);
  heap.push(s, 0);
  while (heap.size > 0) {
    const u = heap.pop();
    const du = dist[u]!;
    if (du > limit) break;
    for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
      const f = g.adjEdge[k]!;
      if (dead[f]) continue;
      const v = g.adjNode[k]!;
      if (v === s) continue;
      const nd = du + g.adjWeight[k]!;
      if (nd > limit) continue;
      const h = u === s ? v : hop[u]!;
      if (nd < dist[v]!) {
        if (dist[v] === Infinity) touched.push(v);
        dist[v] = nd;
        hop[v] = h;
        heap.push(v, nd);
      } else if (nd === dist[v] && hop[v] === v && h !== v) {
        hop[v] = h; // prefer a tie that avoids the direct edge
      }
    }
  }
  heap.clear();
}
