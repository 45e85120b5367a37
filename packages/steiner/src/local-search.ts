import { runSteps, type Graph, type Steps } from '@emplace/core';
import { IndexedMinHeap, UnionFind } from '@emplace/graph';
import { countMask, edgeCost, inducedMst, MstWorkspace, mstOfEdges, nodeMask, pruneLeaves } from './tree.js';
import { VertexInsertion } from './vertex-insertion.js';

/** Per-tree scratch of a scan: tree edge mask and degrees, and edge marks reset after use. */
interface TreeScratch {
  emask: Uint8Array;
  deg: Int32Array;
  blocked: Uint8Array;
  seenEdge: Uint8Array;
}

/**
 * Local search on Steiner trees (after Uchoa & Werneck, "Fast local search for Steiner
 * trees in graphs", 2010, with plain Dijkstra instead of dynamic trees):
 *
 * - key-path exchange: a key path (a maximal tree path whose inner nodes are Steiner
 *   nodes of tree degree 2) is removed, and the two halves are reconnected by the
 *   shortest path between them if that is cheaper;
 * - key-vertex elimination: a Steiner node of tree degree >= 3 is removed with its key
 *   paths, and the pieces are reconnected by a Mehlhorn-style MST over their Voronoi regions;
 * - vertex insertion: a non-tree node is added and the MST of the induced subgraph pruned.
 *
 * Every move is accepted only when it strictly lowers the cost, so the search terminates.
 */
export class SteinerLocalSearch {
  private readonly g: Graph;
  private readonly isTerminal: Uint8Array;
  private readonly dist: Float64Array;
  private readonly pred: Int32Array;
  private readonly predEdge: Int32Array;
  private readonly label: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly heap: IndexedMinHeap;
  private readonly comp: Int32Array;
  private readonly stack: Int32Array;
  private readonly mstWs: MstWorkspace;
  private readonly insertion: VertexInsertion;
  /** Called between moves; returning true stops the search (time limit). */
  shouldStop: () => boolean = () => false;
  moves = 0;

  constructor(g: Graph, isTerminal: Uint8Array) {
    this.g = g;
    this.isTerminal = isTerminal;
    this.dist = new Float64Array(g.n).fill(Infinity);
    this.pred = new Int32Array(g.n).fill(-1);
    this.predEdge = new Int32Array(g.n).fill(-1);
    this.label = new Int32Array(g.n).fill(-1);
    this.touched = new Int32Array(g.n);
    this.heap = new IndexedMinHeap(g.n);
    this.comp = new Int32Array(g.n).fill(-1);
    this.stack = new Int32Array(g.n);
    this.mstWs = new MstWorkspace(g.n);
    this.insertion = new VertexInsertion(g, isTerminal);
  }

  /** Runs all neighbourhoods until none improves. */
  improve(edges: number[], anyTerminal: number): number[] {
    return runSteps(this.improveSteps(edges, anyTerminal));
  }

  /** `improve` as steps: a checkpoint after every candidate move (see core's Steps). */
  *improveSteps(edges: number[], anyTerminal: number): Steps<number[]> {
    let cur = edges;
    let cost = edgeCost(this.g, cur);
    for (;;) {
      if (this.shouldStop()) return cur;
      cur = yield* this.keyPathExchangeSteps(cur);
      if (this.shouldStop()) return cur;
      cur = yield* this.keyVertexEliminationSteps(cur);
      if (this.shouldStop()) return cur;
      cur = yield* this.vertexInsertionSteps(cur, anyTerminal);
      const c = edgeCost(this.g, cur);
      if (c >= cost - 1e-9 * Math.max(1, cost)) return cur;
      cost = c;
    }
  }

  private tol(c: number): number {
    return 1e-9 * Math.max(1, Math.abs(c));
  }

  /** Tree structure: edge mask, degrees, node mask. */
  private structure(edges: readonly number[]): { emask: Uint8Array; deg: Int32Array } {
    const g = this.g;
    const emask = new Uint8Array(g.m);
    const deg = new Int32Array(g.n);
    for (const e of edges) {
      emask[e] = 1;
      deg[g.edgeU[e]!]!++;
      deg[g.edgeV[e]!]!++;
    }
    return { emask, deg };
  }

  private isKey(v: number, deg: Int32Array): boolean {
    return deg[v]! > 0 && (this.isTerminal[v] === 1 || deg[v]! >= 3);
  }

  /** Key paths from key node `a`: for each tree edge, walk through degree-2 Steiner nodes. */
  private keyPathsFrom(a: number, emask: Uint8Array, deg: Int32Array): { edges: number[]; inner: number[]; end: number; cost: number }[] {
    const g = this.g;
    const out: { edges: number[]; inner: number[]; end: number; cost: number }[] = [];
    for (let k = g.offsets[a]!, end = g.offsets[a + 1]!; k < end; k++) {
      const e0 = g.adjEdge[k]!;
      if (!emask[e0]) continue;
      const path = [e0];
      const inner: number[] = [];
      let cost = g.edgeW[e0]!;
      let prevEdge = e0;
      let v = g.adjNode[k]!;
      while (!this.isKey(v, deg)) {
        inner.push(v);
        let next = -1;
        for (let kk = g.offsets[v]!, ee = g.offsets[v + 1]!; kk < ee; kk++) {
          const f = g.adjEdge[kk]!;
          if (emask[f] && f !== prevEdge) {
            next = kk;
            break;
          }
        }
        if (next < 0) break; // a Steiner leaf (should have been pruned)
        prevEdge = g.adjEdge[next]!;
        path.push(prevEdge);
        cost += g.edgeW[prevEdge]!;
        v = g.adjNode[next]!;
      }
      out.push({ edges: path, inner, end: v, cost });
    }
    return out;
  }

  /** Labels the tree component of `start` (not crossing removed edges/nodes) with `id`; returns its nodes. */
  private labelComponent(start: number, id: number, emask: Uint8Array, blocked: Uint8Array, into: number[]): void {
    const g = this.g;
    const stack = this.stack;
    let top = 0;
    stack[top++] = start;
    this.comp[start] = id;
    while (top > 0) {
      const u = stack[--top]!;
      into.push(u);
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const e = g.adjEdge[k]!;
        if (!emask[e] || blocked[e]) continue;
        const v = g.adjNode[k]!;
        if (this.comp[v] === -1) {
          this.comp[v] = id;
          stack[top++] = v;
        }
      }
    }
  }

  private resetSearch(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const v = this.touched[i]!;
      this.dist[v] = Infinity;
      this.pred[v] = -1;
      this.predEdge[v] = -1;
      this.label[v] = -1;
    }
    this.touchedCount = 0;
    this.heap.clear();
  }

  /**
   * Multi-source Dijkstra from labelled nodes (label = component) through free nodes
   * (comp === -1), never entering another component's nodes, bounded by maxDist.
   * With `stopComp >= 0`, stops at the first settled node whose comp is stopComp... handled by caller via returned node.
   */
  private grow(sources: readonly number[], maxDist: number, stopAtOtherComp: boolean): number {
    const g = this.g;
    const { dist, pred, predEdge, label, heap, comp, touched } = this;
    for (const s of sources) {
      if (dist[s] === Infinity) touched[this.touchedCount++] = s;
      dist[s] = 0;
      label[s] = comp[s]!;
      heap.push(s, 0);
    }
    while (heap.size > 0) {
      const u = heap.pop();
      const du = dist[u]!;
      if (du >= maxDist) break;
      if (stopAtOtherComp && comp[u]! >= 0 && comp[u] !== label[u]) return u;
      if (comp[u]! >= 0 && comp[u] !== label[u]) continue; // reached another component: do not pass through
      const lu = label[u]!;
      for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
        const v = g.adjNode[k]!;
        if (comp[v] === lu) continue;
        const nd = du + g.adjWeight[k]!;
        if (nd < dist[v]!) {
          if (dist[v] === Infinity) touched[this.touchedCount++] = v;
          dist[v] = nd;
          pred[v] = u;
          predEdge[v] = g.adjEdge[k]!;
          label[v] = lu;
          heap.push(v, nd);
        }
      }
    }
    return -1;
  }

  private clearComp(nodes: readonly number[]): void {
    for (const v of nodes) this.comp[v] = -1;
  }

  keyPathExchange(edges: number[]): number[] {
    return runSteps(this.keyPathExchangeSteps(edges));
  }

  /** Key-path exchange from every key node (the two halves reconnected by a cheaper shortest path). */
  *keyPathExchangeSteps(edges: number[]): Steps<number[]> {
    return yield* this.cyclicScan(edges, 0, (a, deg) => this.isKey(a, deg), (a, cur, t) => this.exchangeKeyPathsAt(a, cur, t));
  }

  keyVertexElimination(edges: number[]): number[] {
    return runSteps(this.keyVertexEliminationSteps(edges));
  }

  /** Key-vertex elimination of every Steiner node of tree degree >= 3. */
  *keyVertexEliminationSteps(edges: number[]): Steps<number[]> {
    return yield* this.cyclicScan(
      edges,
      1,
      (v, deg) => !this.isTerminal[v] && deg[v]! >= 3,
      (v, cur, t) => {
        const next = this.eliminateKeyVertex(v, cur, t.emask, t.deg, t.blocked);
        return next && edgeCost(this.g, next) < edgeCost(this.g, cur) - this.tol(edgeCost(this.g, cur)) ? next : undefined;
      },
    );
  }

  /**
   * Scans the nodes cyclically, trying `move` at each candidate; after a move the scan
   * restarts at that node on the new tree, and it ends after a full cycle without one.
   */
  private *cyclicScan(
    edges: number[],
    offset: number,
    isCandidate: (v: number, deg: Int32Array) => boolean,
    move: (v: number, cur: number[], tree: TreeScratch) => number[] | undefined,
  ): Steps<number[]> {
    const n = this.g.n;
    let cur = edges;
    let improved = true;
    let resumeAt = 0;
    let sinceMove = 0;
    while (improved && !this.shouldStop()) {
      improved = false;
      const { emask, deg } = this.structure(cur);
      const tree: TreeScratch = { emask, deg, blocked: new Uint8Array(this.g.m), seenEdge: new Uint8Array(this.g.m) };
      for (let step = 0; step < n && !improved && sinceMove < n; step++, sinceMove++) {
        const v = (resumeAt + step + offset) % n;
        if (!isCandidate(v, deg)) continue;
        yield;
        const next = move(v, cur, tree);
        if (next) {
          cur = next;
          this.moves++;
          improved = true;
          resumeAt = v;
          sinceMove = 0;
        }
        if (this.shouldStop()) return cur;
      }
    }
    return cur;
  }

  /** Tries each key path from key node a (not yet seen on this tree): the first cheaper exchange, or undefined. */
  private exchangeKeyPathsAt(a: number, cur: number[], tree: TreeScratch): number[] | undefined {
    const { emask, deg, blocked, seenEdge } = tree;
    for (const p of this.keyPathsFrom(a, emask, deg)) {
      if (seenEdge[p.edges[0]!]) continue;
      for (const e of p.edges) seenEdge[e] = 1;
      // Components: A (around a) and B (around p.end) once the path is removed.
      for (const e of p.edges) blocked[e] = 1;
      const nodesA: number[] = [];
      const nodesB: number[] = [];
      this.labelComponent(a, 0, emask, blocked, nodesA);
      this.labelComponent(p.end, 1, emask, blocked, nodesB);
      for (const e of p.edges) blocked[e] = 0;
      const small = nodesA.length <= nodesB.length ? nodesA : nodesB;
      const hit = this.grow(small, p.cost - this.tol(p.cost), true);
      let replacement: number[] | undefined;
      if (hit >= 0 && this.dist[hit]! < p.cost - this.tol(p.cost)) {
        replacement = [];
        for (let v = hit; this.predEdge[v]! >= 0; v = this.pred[v]!) replacement.push(this.predEdge[v]!);
      }
      this.resetSearch();
      this.clearComp(nodesA);
      this.clearComp(nodesB);
      if (replacement) {
        const drop = new Set(p.edges);
        return pruneLeaves(this.g, mstOfEdges(this.g, cur.filter((e) => !drop.has(e)).concat(replacement)), this.isTerminal);
      }
      if (this.shouldStop()) return undefined;
    }
    return undefined;
  }

  /**
   * Removes Steiner node v (tree degree >= 3) with its key paths and reconnects the pieces
   * by a Mehlhorn-style MST over their Voronoi regions, bounded by the removed cost; the
   * new tree (pruned), or undefined when no cheaper reconnection exists.
   */
  private eliminateKeyVertex(v: number, cur: number[], emask: Uint8Array, deg: Int32Array, blocked: Uint8Array): number[] | undefined {
    const g = this.g;
    const paths = this.keyPathsFrom(v, emask, deg);
    let removed = 0;
    for (const p of paths) {
      removed += p.cost;
      for (const e of p.edges) blocked[e] = 1;
    }
    const compNodes: number[][] = [];
    const all: number[] = [];
    for (let i = 0; i < paths.length; i++) {
      const nodes: number[] = [];
      this.labelComponent(paths[i]!.end, i, emask, blocked, nodes);
      compNodes.push(nodes);
      for (const x of nodes) all.push(x);
    }
    for (const p of paths) for (const e of p.edges) blocked[e] = 0;
    const bound = removed - this.tol(removed);
    this.grow(all, bound, false);
    const chosen = this.bridgeForest(paths.length, bound);
    let next: number[] | undefined;
    if (chosen) {
      const add: number[] = [];
      for (const e of chosen) {
        add.push(e);
        for (const end0 of [g.edgeU[e]!, g.edgeV[e]!]) {
          for (let x = end0; this.predEdge[x]! >= 0; x = this.pred[x]!) add.push(this.predEdge[x]!);
        }
      }
      const drop = new Set<number>();
      for (const p of paths) for (const e of p.edges) drop.add(e);
      next = pruneLeaves(g, mstOfEdges(g, cur.filter((e) => !drop.has(e)).concat(add)), this.isTerminal);
    }
    this.resetSearch();
    for (const nodes of compNodes) this.clearComp(nodes);
    return next;
  }

  /**
   * After grow(): Kruskal over the bridges between the labelled regions (edge a-b of length
   * d(a) + w + d(b)); the chosen bridge edges when they join all `parts` for less than `bound`.
   */
  private bridgeForest(parts: number, bound: number): number[] | undefined {
    const g = this.g;
    const cand: { e: number; len: number }[] = [];
    for (let i = 0; i < this.touchedCount; i++) {
      const a = this.touched[i]!;
      const la = this.label[a]!;
      for (let k = g.offsets[a]!, end = g.offsets[a + 1]!; k < end; k++) {
        const b = g.adjNode[k]!;
        const lb = this.label[b]!;
        if (lb < 0 || lb <= la) continue;
        const len = this.dist[a]! + g.adjWeight[k]! + this.dist[b]!;
        if (len < bound) cand.push({ e: g.adjEdge[k]!, len });
      }
    }
    cand.sort((x, y) => x.len - y.len || x.e - y.e);
    const uf = new UnionFind(parts);
    let total = 0;
    const chosen: number[] = [];
    for (const c of cand) {
      if (!uf.union(this.label[g.edgeU[c.e]!]!, this.label[g.edgeV[c.e]!]!)) continue;
      total += c.len;
      chosen.push(c.e);
      if (uf.count === 1 || total >= bound) break;
    }
    return uf.count === 1 && total < bound ? chosen : undefined;
  }

  vertexInsertion(edges: number[], anyTerminal: number): number[] {
    return runSteps(this.vertexInsertionSteps(edges, anyTerminal));
  }

  *vertexInsertionSteps(edges: number[], anyTerminal: number): Steps<number[]> {
    const pass = yield* this.insertion.steps(edges, anyTerminal, this.shouldStop);
    this.moves += pass.moves;
    let cur = pass.edges;
    // The induced MST of the current nodes may itself be cheaper (vertex elimination of leaves is in pruning).
    const mask = nodeMask(this.g, cur, [anyTerminal]);
    const mst = inducedMst(this.g, mask, countMask(mask), anyTerminal, this.mstWs);
    if (mst) {
      const pruned = pruneLeaves(this.g, mst, this.isTerminal);
      if (edgeCost(this.g, pruned) < edgeCost(this.g, cur) - this.tol(edgeCost(this.g, cur))) cur = pruned;
    }
    return cur;
  }
}
