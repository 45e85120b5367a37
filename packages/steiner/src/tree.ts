import { runSteps, type Graph, type Steps } from '@emplace/core';
import { IndexedMinHeap, UnionFind } from '@emplace/graph';

/**
 * Tree utilities shared by every method: pruning, MST re-steinerization, cost, checks.
 * Trees are edge index lists on some Graph; `isTerminal` marks the nodes that must stay.
 */

export function edgeCost(g: Graph, edges: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < edges.length; k++) s += g.edgeW[edges[k]!]!;
  return s;
}

/** Removes non-terminal leaves repeatedly (they only add cost). Keeps the input order of the surviving edges. */
export function pruneLeaves(g: Graph, edges: ArrayLike<number>, isTerminal: Uint8Array): number[] {
  const count = edges.length;
  // Per node: degree and the XOR of its incident edge positions (a leaf's one edge is that XOR).
  const deg = new Int32Array(g.n);
  const xorPos = new Int32Array(g.n);
  for (let k = 0; k < count; k++) {
    const e = edges[k]!;
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    deg[u]!++;
    deg[v]!++;
    xorPos[u]! ^= k;
    xorPos[v]! ^= k;
  }
  const removed = new Uint8Array(count);
  const stack: number[] = [];
  for (let k = 0; k < count; k++) {
    const e = edges[k]!;
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    if (deg[u] === 1 && !isTerminal[u]) stack.push(u);
    if (deg[v] === 1 && !isTerminal[v]) stack.push(v);
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (deg[v] !== 1) continue;
    const k = xorPos[v]!;
    removed[k] = 1;
    const e = edges[k]!;
    const o = g.edgeU[e] === v ? g.edgeV[e]! : g.edgeU[e]!;
    deg[v] = 0;
    xorPos[v] = 0;
    deg[o]!--;
    xorPos[o]! ^= k;
    if (deg[o] === 1 && !isTerminal[o]) stack.push(o);
  }
  const out: number[] = [];
  for (let k = 0; k < count; k++) if (!removed[k]) out.push(edges[k]!);
  return out;
}

/** Nodes touched by an edge list (plus `extra`), as a mask. */
export function nodeMask(g: Graph, edges: ArrayLike<number>, extra?: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(g.n);
  for (let k = 0; k < edges.length; k++) {
    mask[g.edgeU[edges[k]!]!] = 1;
    mask[g.edgeV[edges[k]!]!] = 1;
  }
  if (extra) for (let k = 0; k < extra.length; k++) mask[extra[k]!] = 1;
  return mask;
}

/** Reusable arrays of `inducedMst`, so repeated calls cost what they touch, not O(n). */
export class MstWorkspace {
  readonly heap: IndexedMinHeap;
  readonly inTree: Uint8Array;
  readonly best: Int32Array;
  readonly order: Int32Array;
  constructor(n: number) {
    this.heap = new IndexedMinHeap(n);
    this.inTree = new Uint8Array(n);
    this.best = new Int32Array(n).fill(-1);
    this.order = new Int32Array(n);
  }
}

/**
 * Minimum spanning tree of the subgraph induced by `mask` (Prim from `start`), or null
 * when the induced subgraph does not connect all `count` masked nodes.
 */
export function inducedMst(g: Graph, mask: Uint8Array, count: number, start: number, ws: MstWorkspace = new MstWorkspace(g.n)): number[] | null {
  const { heap: h, inTree, best, order } = ws;
  h.clear();
  const out: number[] = [];
  h.push(start, 0);
  let reached = 0;
  while (h.size > 0) {
    const u = h.pop();
    inTree[u] = 1;
    order[reached++] = u;
    if (best[u]! >= 0) out.push(best[u]!);
    for (let k = g.offsets[u]!, end = g.offsets[u + 1]!; k < end; k++) {
      const v = g.adjNode[k]!;
      if (!mask[v] || inTree[v]) continue;
      const w = g.adjWeight[k]!;
      if (!h.has(v) || w < h.keyOf(v)) {
        best[v] = g.adjEdge[k]!;
        h.push(v, w);
      }
    }
  }
  for (let i = 0; i < reached; i++) {
    inTree[order[i]!] = 0;
    best[order[i]!] = -1;
  }
  return reached === count ? out : null;
}

/** Number of set entries of a mask. */
export function countMask(mask: Uint8Array): number {
  let c = 0;
  for (let v = 0; v < mask.length; v++) c += mask[v]!;
  return c;
}

/**
 * MST re-steinerization: the MST of the subgraph induced by the tree's nodes, pruned,
 * repeated while it gets cheaper. Never returns a worse tree than the input.
 */
export function resteinerize(g: Graph, edges: number[], isTerminal: Uint8Array, anyTerminal: number, ws?: MstWorkspace): number[] {
  return runSteps(resteinerizeSteps(g, edges, isTerminal, anyTerminal, ws));
}

/** `resteinerize` as steps: a checkpoint before each induced MST (after a stop, the tree so far). */
export function* resteinerizeSteps(g: Graph, edges: number[], isTerminal: Uint8Array, anyTerminal: number, ws?: MstWorkspace, shouldStop: () => boolean = () => false): Steps<number[]> {
  let cur = edges;
  let cost = edgeCost(g, cur);
  for (let round = 0; round < 10; round++) {
    yield;
    if (shouldStop()) return cur;
    const mask = nodeMask(g, cur, [anyTerminal]);
    const mst = inducedMst(g, mask, countMask(mask), anyTerminal, ws);
    if (!mst) return cur;
    const pruned = pruneLeaves(g, mst, isTerminal);
    const c = edgeCost(g, pruned);
    if (c >= cost - 1e-12 * Math.max(1, cost)) return cur;
    cur = pruned;
    cost = c;
  }
  return cur;
}

/** Minimum spanning forest of an edge subset (Kruskal), used to remove cycles from a union of paths. */
export function mstOfEdges(g: Graph, edges: readonly number[]): number[] {
  const sorted = [...new Set(edges)].sort((a, b) => g.edgeW[a]! - g.edgeW[b]! || a - b);
  const uf = new UnionFind(g.n);
  const out: number[] = [];
  for (const e of sorted) if (uf.union(g.edgeU[e]!, g.edgeV[e]!)) out.push(e);
  return out;
}

/** True when `edges` form one tree (connected, acyclic) containing every terminal. */
export function isSteinerTree(g: Graph, edges: ArrayLike<number>, terminals: ArrayLike<number>): boolean {
  if (terminals.length === 0) return edges.length === 0;
  const uf = new UnionFind(g.n);
  for (let k = 0; k < edges.length; k++) if (!uf.union(g.edgeU[edges[k]!]!, g.edgeV[edges[k]!]!)) return false;
  const root = uf.find(terminals[0]!);
  for (let k = 1; k < terminals.length; k++) if (uf.find(terminals[k]!) !== root) return false;
  const mask = nodeMask(g, edges, [terminals[0]!]);
  for (let v = 0; v < g.n; v++) if (mask[v] && uf.find(v) !== root) return false;
  return true;
}
