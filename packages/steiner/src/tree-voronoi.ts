import type { Graph } from '@emplace/core';
import { IndexedMinHeap, UnionFind } from '@emplace/graph';

/**
 * Voronoi regions of the nodes of a Steiner tree (every node's nearest tree node, by one
 * multi-source Dijkstra), kept while the tree does not change: the key-vertex elimination
 * of Uchoa & Werneck ("Fast local search for Steiner trees in graphs", 2010). Removing a
 * key vertex with its key paths only changes the regions of the removed nodes; those are
 * repaired by a Dijkstra inside them, seeded from the surrounding regions, and the cheapest
 * reconnection of the pieces is Mehlhorn's MST over the bridges between their regions
 * (edge a-b of length d(a) + w + d(b)). The regions of the remaining tree nodes are exactly
 * what a search from all of them would give, at the cost of the removed regions only
 * instead of a search of the whole graph per candidate.
 */
export class TreeVoronoi {
  /** Nearest tree node of each node (-1: unreachable), its distance, and the shortest-path links towards it. */
  readonly base: Int32Array;
  readonly dist: Float64Array;
  private readonly pred: Int32Array;
  private readonly predEdge: Int32Array;
  /** Nodes grouped by region: regionNodes[regionStart[b] .. regionStart[b + 1]). */
  private readonly regionStart: Int32Array;
  private readonly regionNodes: Int32Array;
  /** Repair labels of the nodes of removed regions (valid where repaired[v] === stamp). */
  private readonly repaired: Int32Array;
  private readonly rDist: Float64Array;
  private readonly rLabel: Int32Array;
  private readonly rPred: Int32Array;
  private readonly rPredEdge: Int32Array;
  private readonly repairedList: Int32Array;
  private repairedCount = 0;
  private stamp = 0;
  private readonly heap: IndexedMinHeap;
  private readonly candEdge: Int32Array;
  private readonly candLen: Float64Array;
  private count = 0;
  /** The label of remaining tree nodes that no part lists (see reconnect). */
  private unlabelled = -1;

  constructor(private readonly g: Graph) {
    const n = g.n;
    this.base = new Int32Array(n);
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.predEdge = new Int32Array(n);
    this.regionStart = new Int32Array(n + 1);
    this.regionNodes = new Int32Array(n);
    this.repaired = new Int32Array(n);
    this.rDist = new Float64Array(n);
    this.rLabel = new Int32Array(n);
    this.rPred = new Int32Array(n);
    this.rPredEdge = new Int32Array(n);
    this.repairedList = new Int32Array(n);
    this.heap = new IndexedMinHeap(n);
    // An edge is met from both ends at most: 2m candidates.
    this.candEdge = new Int32Array(2 * g.m);
    this.candLen = new Float64Array(2 * g.m);
  }

  /** The regions of the nodes with inTree[v] set (one Dijkstra from all of them). */
  build(inTree: Uint8Array): void {
    const { g, base, dist, pred, predEdge, heap } = this;
    base.fill(-1);
    dist.fill(Infinity);
    pred.fill(-1);
    predEdge.fill(-1);
    heap.clear();
    for (let v = 0; v < g.n; v++) if (inTree[v]) {
      base[v] = v;
      dist[v] = 0;
      heap.push(v, 0);
    }
    while (heap.size > 0) {
      const u = heap.pop();
      const du = dist[u]!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const v = g.adjNode[k]!;
        const nd = du + g.adjWeight[k]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          base[v] = base[u]!;
          pred[v] = u;
          predEdge[v] = g.adjEdge[k]!;
          heap.push(v, nd);
        }
      }
    }
    // Counting sort of the nodes by region.
    const start = this.regionStart;
    start.fill(0);
    for (let v = 0; v < g.n; v++) if (base[v]! >= 0) start[base[v]! + 1]!++;
    for (let b = 0; b < g.n; b++) start[b + 1]! += start[b]!;
    const fill = start.slice(0, g.n);
    for (let v = 0; v < g.n; v++) if (base[v]! >= 0) this.regionNodes[fill[base[v]!]!++] = v;
  }

  /**
   * With the tree nodes `removed` taken out and the rest labelled by piece (comp[x] >= 0 for
   * the nodes of `partNodes`; the other remaining tree nodes form one more piece labelled
   * `unlabelled` when that is >= 0): the edges (graph edges plus the paths
   * to their regions' tree nodes) of the cheapest reconnection of the parts, when it costs
   * less than `bound`; else undefined.
   */
  reconnect(removed: readonly number[], comp: Int32Array, partNodes: readonly (readonly number[])[], bound: number, unlabelled = -1): number[] | undefined {
    this.unlabelled = unlabelled;
    this.repair(removed, comp, bound);
    const { g } = this;
    // Parts: the listed ones, and the remaining tree nodes when they form one more (`unlabelled`).
    const parts = Math.max(partNodes.length, unlabelled + 1);
    // Every bridge has an end in the region of a part other than the largest one, or in a
    // repaired region: only those nodes' edges are scanned (an unlisted part counts as the largest).
    let largest = unlabelled >= 0 ? -1 : 0;
    if (largest === 0) for (let i = 1; i < partNodes.length; i++) if (partNodes[i]!.length > partNodes[largest]!.length) largest = i;
    this.count = 0;
    for (let i = 0; i < partNodes.length; i++) {
      if (i === largest) continue;
      for (const x of partNodes[i]!) {
        for (let r = this.regionStart[x]!, end = this.regionStart[x + 1]!; r < end; r++) this.scanBridges(this.regionNodes[r]!, comp, bound);
      }
    }
    for (let i = 0; i < this.repairedCount; i++) this.scanBridges(this.repairedList[i]!, comp, bound);
    const count = this.count;
    // Few bridges are shorter than the bound: a comparison sort of their indices.
    const order: number[] = [];
    for (let c = 0; c < count; c++) order.push(c);
    order.sort((x, y) => this.candLen[x]! - this.candLen[y]! || x - y);
    const uf = new UnionFind(parts);
    let total = 0;
    const chosen: number[] = [];
    for (let i = 0; i < order.length && uf.count > 1 && total < bound; i++) {
      const c = order[i]!;
      const e = this.candEdge[c]!;
      if (!uf.union(this.labelOf(g.edgeU[e]!, comp), this.labelOf(g.edgeV[e]!, comp))) continue;
      total += this.candLen[c]!;
      chosen.push(e);
    }
    if (uf.count !== 1 || total >= bound) return undefined;
    const out: number[] = [];
    for (const e of chosen) {
      out.push(e);
      this.pathToTree(g.edgeU[e]!, out);
      this.pathToTree(g.edgeV[e]!, out);
    }
    return out;
  }

  /** Records the edges from a (labelled) to other parts' regions that are shorter than the bound. */
  private scanBridges(a: number, comp: Int32Array, bound: number): void {
    const g = this.g;
    const la = this.labelOf(a, comp);
    if (la < 0) return;
    const da = this.distOf(a);
    for (let k = g.offsets[a]!, end = g.offsets[a + 1]!; k < end; k++) {
      const b = g.adjNode[k]!;
      const lb = this.labelOf(b, comp);
      if (lb < 0 || lb === la) continue;
      const len = da + g.adjWeight[k]! + this.distOf(b);
      if (len >= bound) continue;
      this.candEdge[this.count] = g.adjEdge[k]!;
      this.candLen[this.count++] = len;
    }
  }

  private isRepaired(v: number): boolean {
    return this.repaired[v] === this.stamp;
  }

  private labelOf(v: number, comp: Int32Array): number {
    if (this.isRepaired(v)) return this.rLabel[v]!;
    const b = this.base[v]!;
    return b < 0 ? -1 : comp[b]! >= 0 ? comp[b]! : this.unlabelled;
  }

  private distOf(v: number): number {
    return this.isRepaired(v) ? this.rDist[v]! : this.dist[v]!;
  }

  /** Edges from v back to the tree node of its (possibly repaired) region. */
  private pathToTree(v: number, out: number[]): void {
    let x = v;
    while (this.isRepaired(x) && this.rPredEdge[x]! >= 0) {
      out.push(this.rPredEdge[x]!);
      x = this.rPred[x]!;
    }
    while (this.predEdge[x]! >= 0) {
      out.push(this.predEdge[x]!);
      x = this.pred[x]!;
    }
  }

  /** New labels for the nodes of the removed regions: a Dijkstra inside them from their borders, up to `bound`. */
  private repair(removed: readonly number[], comp: Int32Array, bound: number): void {
    const { g, heap, repaired, rDist, rLabel, rPred, rPredEdge, repairedList } = this;
    const stamp = ++this.stamp;
    this.repairedCount = 0;
    for (const x of removed) {
      for (let i = this.regionStart[x]!, end = this.regionStart[x + 1]!; i < end; i++) {
        const v = this.regionNodes[i]!;
        repaired[v] = stamp;
        rDist[v] = Infinity;
        rLabel[v] = -1;
        rPred[v] = -1;
        rPredEdge[v] = -1;
        repairedList[this.repairedCount++] = v;
      }
    }
    heap.clear();
    for (let i = 0; i < this.repairedCount; i++) {
      const v = repairedList[i]!;
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) {
        const y = g.adjNode[k]!;
        if (repaired[y] === stamp) continue;
        const ly = this.labelOf(y, comp);
        if (ly < 0) continue;
        const nd = this.dist[y]! + g.adjWeight[k]!;
        if (nd < rDist[v]! && nd < bound) {
          rDist[v] = nd;
          rLabel[v] = ly;
          rPred[v] = y;
          rPredEdge[v] = g.adjEdge[k]!;
        }
      }
      if (rDist[v]! < Infinity) heap.push(v, rDist[v]!);
    }
    while (heap.size > 0) {
      const u = heap.pop();
      const du = rDist[u]!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const v = g.adjNode[k]!;
        if (repaired[v] !== stamp) continue;
        const nd = du + g.adjWeight[k]!;
        if (nd < rDist[v]! && nd < bound) {
          rDist[v] = nd;
          rLabel[v] = rLabel[u]!;
          rPred[v] = u;
          rPredEdge[v] = g.adjEdge[k]!;
          heap.push(v, nd);
        }
      }
    }
  }
}
