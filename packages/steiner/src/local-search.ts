import { runSteps, type Graph, type Steps } from '@emplace/core';
import { countMask, edgeCost, inducedMst, MstWorkspace, mstOfEdges, nodeMask, pruneLeaves } from './tree.js';
import { TreeVoronoi } from './tree-voronoi.js';
import { VertexInsertion } from './vertex-insertion.js';

/** Per-tree scratch of a scan: tree edge mask and degrees, and edge marks reset after use. */
interface TreeScratch {
  emask: Uint8Array;
  deg: Int32Array;
  blocked: Uint8Array;
  seenEdge: Uint8Array;
  /** Tree adjacency (CSR): the tree edges at v are treeEdges[treeStart[v] .. treeStart[v + 1]). */
  treeStart: Int32Array;
  treeEdges: Int32Array;
  /** The Voronoi regions of this tree's nodes are in `SteinerLocalSearch.voronoi` (built on first use). */
  voronoi: boolean;
}

/**
 * Local search on Steiner trees (after Uchoa & Werneck, "Fast local search for Steiner
 * trees in graphs", 2010: Voronoi regions of the tree nodes, repaired per move, instead of
 * their dynamic trees and mergeable heaps):
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
  private readonly comp: Int32Array;
  private readonly stack: Int32Array;
  private readonly stackB: Int32Array;
  private readonly mstWs: MstWorkspace;
  private readonly insertion: VertexInsertion;
  private readonly voronoi: TreeVoronoi;
  /** Called between moves; returning true stops the search (time limit). */
  shouldStop: () => boolean = () => false;
  moves = 0;

  constructor(g: Graph, isTerminal: Uint8Array) {
    this.g = g;
    this.isTerminal = isTerminal;
    this.comp = new Int32Array(g.n).fill(-1);
    this.stack = new Int32Array(g.n);
    this.stackB = new Int32Array(g.n);
    this.mstWs = new MstWorkspace(g.n);
    this.insertion = new VertexInsertion(g, isTerminal);
    this.voronoi = new TreeVoronoi(g);
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

  /** The tree's adjacency as CSR over its edges (labelling walks the tree, not the graph). */
  private treeAdjacency(edges: readonly number[], deg: Int32Array): { treeStart: Int32Array; treeEdges: Int32Array } {
    const g = this.g;
    const treeStart = new Int32Array(g.n + 1);
    for (let v = 0; v < g.n; v++) treeStart[v + 1] = treeStart[v]! + deg[v]!;
    const fill = treeStart.slice(0, g.n);
    const treeEdges = new Int32Array(2 * edges.length);
    for (const e of edges) {
      treeEdges[fill[g.edgeU[e]!]!++] = e;
      treeEdges[fill[g.edgeV[e]!]!++] = e;
    }
    return { treeStart, treeEdges };
  }

  /** Labels the tree component of `start` (not crossing blocked edges) with `id`; its nodes go to `into`. */
  private labelComponent(start: number, id: number, tree: TreeScratch, into: number[]): void {
    const g = this.g;
    const { treeStart, treeEdges, blocked } = tree;
    const stack = this.stack;
    let top = 0;
    stack[top++] = start;
    this.comp[start] = id;
    while (top > 0) {
      const u = stack[--top]!;
      into.push(u);
      for (let k = treeStart[u]!, end = treeStart[u + 1]!; k < end; k++) {
        const e = treeEdges[k]!;
        if (blocked[e]) continue;
        const v = g.edgeU[e] === u ? g.edgeV[e]! : g.edgeU[e]!;
        if (this.comp[v] === -1) {
          this.comp[v] = id;
          stack[top++] = v;
        }
      }
    }
  }

  /**
   * Labels the smaller of the tree components of `a` and `b` (blocked edges removed) with 0:
   * two searches in lockstep, the first to finish is the smaller one; the other's labels are
   * cleared. Its nodes go to `into`.
   */
  private labelSmaller(a: number, b: number, tree: TreeScratch, into: number[]): void {
    const g = this.g;
    const { treeStart, treeEdges, blocked } = tree;
    const comp = this.comp;
    const stack = this.stack;
    const other = this.stackB;
    const seenA: number[] = [];
    const seenB: number[] = [];
    let topA = 0;
    let topB = 0;
    stack[topA++] = a;
    other[topB++] = b;
    comp[a] = 0;
    comp[b] = 1;
    seenA.push(a);
    seenB.push(b);
    for (let turn = 0; topA > 0 && topB > 0; turn ^= 1) {
      const own = turn === 0 ? stack : other;
      const u = turn === 0 ? stack[--topA]! : other[--topB]!;
      const seen = turn === 0 ? seenA : seenB;
      for (let k = treeStart[u]!, end = treeStart[u + 1]!; k < end; k++) {
        const e = treeEdges[k]!;
        if (blocked[e]) continue;
        const v = g.edgeU[e] === u ? g.edgeV[e]! : g.edgeU[e]!;
        if (comp[v] !== -1) continue;
        comp[v] = turn;
        seen.push(v);
        if (turn === 0) own[topA++] = v;
        else own[topB++] = v;
      }
    }
    const aDone = topA === 0;
    for (const v of aDone ? seenB : seenA) comp[v] = -1;
    const small = aDone ? seenA : seenB;
    for (const v of small) {
      comp[v] = 0;
      into.push(v);
    }
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
        const next = this.eliminateKeyVertex(v, cur, t);
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
      const tree: TreeScratch = { emask, deg, blocked: new Uint8Array(this.g.m), seenEdge: new Uint8Array(this.g.m), voronoi: false, ...this.treeAdjacency(cur, deg) };
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

  /** The Voronoi regions of the tree's nodes, built once per tree (see TreeVoronoi). */
  private voronoiOf(tree: TreeScratch): TreeVoronoi {
    if (!tree.voronoi) {
      const inTree = new Uint8Array(this.g.n);
      for (let x = 0; x < this.g.n; x++) if (tree.deg[x]! > 0) inTree[x] = 1;
      this.voronoi.build(inTree);
      tree.voronoi = true;
    }
    return this.voronoi;
  }

  /**
   * Tries each key path from key node a (not yet seen on this tree): the first one whose
   * halves the shortest path between them (over the tree's Voronoi regions, the removed
   * path's regions repaired) joins for less; the new tree, or undefined.
   */
  private exchangeKeyPathsAt(a: number, cur: number[], tree: TreeScratch): number[] | undefined {
    const { emask, deg, blocked, seenEdge } = tree;
    const voronoi = this.voronoiOf(tree);
    for (const p of this.keyPathsFrom(a, emask, deg)) {
      if (seenEdge[p.edges[0]!]) continue;
      for (const e of p.edges) seenEdge[e] = 1;
      // Components: A (around a) and B (around p.end) once the path is removed.
      for (const e of p.edges) blocked[e] = 1;
      const small: number[] = [];
      this.labelSmaller(a, p.end, tree, small);
      for (const e of p.edges) blocked[e] = 0;
      // The smaller half is part 0; every other remaining tree node is part 1.
      const replacement = voronoi.reconnect(p.inner, this.comp, [small], p.cost - this.tol(p.cost), 1);
      this.clearComp(small);
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
   * by a Mehlhorn-style MST over the Voronoi regions of the remaining tree nodes (see
   * TreeVoronoi), bounded by the removed cost; the new tree (pruned), or undefined when no
   * cheaper reconnection exists.
   */
  private eliminateKeyVertex(v: number, cur: number[], tree: TreeScratch): number[] | undefined {
    const g = this.g;
    const { emask, deg, blocked } = tree;
    const voronoi = this.voronoiOf(tree);
    const paths = this.keyPathsFrom(v, emask, deg);
    let removed = 0;
    const removedNodes = [v];
    for (const p of paths) {
      removed += p.cost;
      for (const e of p.edges) blocked[e] = 1;
      for (const x of p.inner) removedNodes.push(x);
    }
    const compNodes: number[][] = [];
    for (let i = 0; i < paths.length; i++) {
      const nodes: number[] = [];
      this.labelComponent(paths[i]!.end, i, tree, nodes);
      compNodes.push(nodes);
    }
    for (const p of paths) for (const e of p.edges) blocked[e] = 0;
    const add = voronoi.reconnect(removedNodes, this.comp, compNodes, removed - this.tol(removed));
    for (const nodes of compNodes) this.clearComp(nodes);
    if (!add) return undefined;
    const drop = new Set<number>();
    for (const p of paths) for (const e of p.edges) drop.add(e);
    return pruneLeaves(g, mstOfEdges(g, cur.filter((e) => !drop.has(e)).concat(add)), this.isTerminal);
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
