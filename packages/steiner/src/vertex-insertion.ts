import type { Graph, Steps } from '@emplace/core';
import { edgeCost, pruneLeaves } from './tree.js';

/**
 * Vertex insertion (Minoux; Uchoa & Werneck's "Steiner vertex insertion"): a node outside
 * the tree with at least two tree neighbours joins it by its cheapest edge, and each of
 * its other edges to the tree replaces the heaviest edge of the cycle it closes when that
 * is dearer (the cycle property of minimum spanning trees). A move is kept when the
 * pruned result is cheaper. Each candidate costs one tree search per extra edge, O(|T|),
 * instead of a minimum spanning tree of the induced subgraph.
 */
export class VertexInsertion {
  private readonly g: Graph;
  private readonly isTerminal: Uint8Array;
  /** Tree adjacency (CSR over the tree's edges, rebuilt after each accepted move). */
  private readonly head: Int32Array;
  private next: Int32Array;
  private edgeAt: Int32Array;
  private readonly inTree: Uint8Array;
  private readonly removed: Uint8Array;
  private readonly attached: Int32Array;
  private readonly parentEdge: Int32Array;
  private readonly seen: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;
  private loaded: readonly number[] = [];
  private loadedRoot = -1;

  constructor(g: Graph, isTerminal: Uint8Array) {
    this.g = g;
    this.isTerminal = isTerminal;
    this.head = new Int32Array(g.n).fill(-1);
    this.next = new Int32Array(0);
    this.edgeAt = new Int32Array(0);
    this.inTree = new Uint8Array(g.n);
    this.removed = new Uint8Array(g.m);
    this.attached = new Int32Array(g.n).fill(-1);
    this.parentEdge = new Int32Array(g.n);
    this.seen = new Int32Array(g.n);
    this.queue = new Int32Array(g.n);
  }

  /** One pass over all non-tree nodes; returns the improved tree and the number of moves. */
  *steps(edges: number[], anyTerminal: number, shouldStop: () => boolean): Steps<{ edges: number[]; moves: number }> {
    const g = this.g;
    let cur = edges;
    let cost = edgeCost(g, cur);
    let moves = 0;
    this.load(cur, anyTerminal);
    const links: number[] = [];
    for (let v = 0; v < g.n; v++) {
      if ((v & 63) === 63) {
        yield;
        if (shouldStop()) break;
      }
      if (this.inTree[v]) continue;
      links.length = 0;
      for (let k = g.offsets[v]!, end = g.offsets[v + 1]!; k < end; k++) if (this.inTree[g.adjNode[k]!]) links.push(k);
      if (links.length < 2) continue;
      const next = this.tryInsert(v, links, cur);
      if (!next) continue;
      const pruned = pruneLeaves(g, next, this.isTerminal);
      const c = edgeCost(g, pruned);
      if (c < cost - 1e-9 * Math.max(1, cost)) {
        cur = pruned;
        cost = c;
        moves++;
        this.load(cur, anyTerminal);
      }
    }
    this.unloadNodes();
    return { edges: cur, moves };
  }

  /** The tree with v inserted (unpruned) when the cycle exchanges make it cheaper, else undefined. */
  private tryInsert(v: number, links: number[], cur: number[]): number[] | undefined {
    const g = this.g;
    links.sort((a, b) => g.adjWeight[a]! - g.adjWeight[b]!);
    let gain = -g.adjWeight[links[0]!]!;
    const first = links[0]!;
    this.attached[g.adjNode[first]!] = g.adjEdge[first]!;
    const added = [g.adjEdge[first]!];
    const dropped: number[] = [];
    for (let i = 1; i < links.length; i++) {
      const k = links[i]!;
      const w = g.adjNode[k]!;
      const c = g.adjWeight[k]!;
      // Heaviest edge on the tree path from w to v (through the attached edges).
      const heaviest = this.heaviestOnPath(w, v);
      if (heaviest < 0 || g.edgeW[heaviest]! <= c) continue;
      gain += g.edgeW[heaviest]! - c;
      this.removed[heaviest] = 1;
      dropped.push(heaviest);
      this.attached[w] = g.adjEdge[k]!;
      added.push(g.adjEdge[k]!);
    }
    for (const e of dropped) this.removed[e] = 0;
    for (let i = 0; i < links.length; i++) this.attached[g.adjNode[links[i]!]!] = -1;
    // Pruning can only lower the cost further; candidates without a gain before it are skipped.
    if (gain <= 0) return undefined;
    const drop = new Set(dropped);
    return cur.filter((e) => !drop.has(e)).concat(added);
  }

  /** BFS from `from` over the current forest plus the attached edges of v; the heaviest edge on the path to v, or -1. */
  private heaviestOnPath(from: number, v: number): number {
    const g = this.g;
    const stamp = ++this.stamp;
    let qh = 0;
    let qt = 0;
    this.queue[qt++] = from;
    this.seen[from] = stamp;
    this.parentEdge[from] = -1;
    let reached = -1;
    while (qh < qt && reached < 0) {
      const x = this.queue[qh++]!;
      const att = this.attached[x]!;
      if (att >= 0 && this.seen[v] !== stamp) {
        this.seen[v] = stamp;
        this.parentEdge[v] = att;
        reached = v;
        break;
      }
      for (let s = this.head[x]!; s >= 0; s = this.next[s]!) {
        const e = this.edgeAt[s]!;
        if (this.removed[e]) continue;
        const y = g.edgeU[e] === x ? g.edgeV[e]! : g.edgeU[e]!;
        if (this.seen[y] === stamp) continue;
        this.seen[y] = stamp;
        this.parentEdge[y] = e;
        this.queue[qt++] = y;
      }
    }
    if (reached < 0) return -1;
    let best = -1;
    for (let y = v; y !== from; ) {
      const e = this.parentEdge[y]!;
      if (best < 0 || g.edgeW[e]! > g.edgeW[best]!) best = e;
      y = g.edgeU[e] === y ? g.edgeV[e]! : g.edgeU[e]!;
    }
    return best;
  }

  private load(edges: readonly number[], anyTerminal: number): void {
    const g = this.g;
    this.unloadNodes();
    if (this.next.length < 2 * edges.length) {
      this.next = new Int32Array(2 * edges.length + 16);
      this.edgeAt = new Int32Array(2 * edges.length + 16);
    }
    this.inTree[anyTerminal] = 1;
    let slot = 0;
    for (const e of edges) {
      for (const x of [g.edgeU[e]!, g.edgeV[e]!]) {
        this.inTree[x] = 1;
        this.edgeAt[slot] = e;
        this.next[slot] = this.head[x]!;
        this.head[x] = slot++;
      }
    }
    this.loaded = edges;
    this.loadedRoot = anyTerminal;
  }

  private unloadNodes(): void {
    const g = this.g;
    for (const e of this.loaded) {
      this.head[g.edgeU[e]!] = -1;
      this.head[g.edgeV[e]!] = -1;
      this.inTree[g.edgeU[e]!] = 0;
      this.inTree[g.edgeV[e]!] = 0;
    }
    if (this.loadedRoot >= 0) {
      this.inTree[this.loadedRoot] = 0;
      this.head[this.loadedRoot] = -1;
    }
    this.loaded = [];
    this.loadedRoot = -1;
  }
}
