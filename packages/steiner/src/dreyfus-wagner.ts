import type { Graph } from '@emplace/core';
import { IndexedMinHeap } from '@emplace/graph';
import { mstOfEdges, pruneLeaves } from './tree.js';

/** Largest 2^(k-1) * n table Dreyfus-Wagner accepts (about 160 MB of state). */
export const DREYFUS_WAGNER_MAX_CELLS = 1 << 24;

/** Whether Dreyfus-Wagner fits in memory for k terminals on n nodes. */
export function dreyfusWagnerFits(n: number, k: number): boolean {
  return k <= 24 && 2 ** Math.max(0, k - 1) * n <= DREYFUS_WAGNER_MAX_CELLS;
}

/**
 * Exact Steiner tree by the Dreyfus-Wagner dynamic programme in the Erickson-Monma-Veinott
 * form: cost[S][v] = cheapest tree joining the terminal subset S and node v, obtained by
 * merging two subtrees at v, then spreading by Dijkstra. O(3^k n + 2^k m log n).
 * Returns the tree's edges (pruned) and the optimal cost; the caller checks the size first.
 */
export function dreyfusWagner(g: Graph, terminals: Int32Array, isTerminal: Uint8Array, shouldStop: () => boolean = () => false): { edges: number[]; cost: number } | null {
  const k = terminals.length;
  if (k <= 1) return { edges: [], cost: 0 };
  const n = g.n;
  const q = terminals[k - 1]!;
  const kk = k - 1;
  const full = (1 << kk) - 1;
  const cost = new Float64Array((full + 1) * n).fill(Infinity);
  // Back-pointers: split[S*n+v] > 0 = merged from subsets split and S^split; else predEdge.
  const split = new Int32Array((full + 1) * n);
  const predEdge = new Int32Array((full + 1) * n).fill(-1);
  const heap = new IndexedMinHeap(n);
  const spread = (S: number): void => {
    const base = S * n;
    heap.clear();
    for (let v = 0; v < n; v++) if (cost[base + v]! < Infinity) heap.push(v, cost[base + v]!);
    while (heap.size > 0) {
      const u = heap.pop();
      const du = cost[base + u]!;
      for (let a = g.offsets[u]!, end = g.offsets[u + 1]!; a < end; a++) {
        const v = g.adjNode[a]!;
        const nd = du + g.adjWeight[a]!;
        if (nd < cost[base + v]!) {
          cost[base + v] = nd;
          split[base + v] = 0;
          predEdge[base + v] = g.adjEdge[a]!;
          heap.push(v, nd);
        }
      }
    }
  };
  for (let i = 0; i < kk; i++) {
    const S = 1 << i;
    cost[S * n + terminals[i]!] = 0;
    spread(S);
  }
  for (let S = 1; S <= full; S++) {
    if ((S & (S - 1)) === 0) continue;
    if ((S & 255) === 0 && shouldStop()) return null;
    const base = S * n;
    const low = S & -S;
    // Subsets A containing the lowest bit, A != S: each split counted once.
    for (let A = (S - 1) & S; A > 0; A = (A - 1) & S) {
      if (!(A & low)) continue;
      const B = S ^ A;
      const ba = A * n;
      const bb = B * n;
      for (let v = 0; v < n; v++) {
        const c = cost[ba + v]! + cost[bb + v]!;
        if (c < cost[base + v]!) {
          cost[base + v] = c;
          split[base + v] = A;
          predEdge[base + v] = -1;
        }
      }
    }
    spread(S);
  }
  const best = cost[full * n + q]!;
  if (best === Infinity) return null;
  const edges: number[] = [];
  const stack: [number, number][] = [[full, q]];
  while (stack.length > 0) {
    const [S, v] = stack.pop()!;
    const idx = S * n + v;
    const A = split[idx]!;
    if (A > 0) {
      stack.push([A, v], [S ^ A, v]);
      continue;
    }
    const e = predEdge[idx]!;
    if (e < 0) continue; // v is the terminal of the singleton S
    edges.push(e);
    stack.push([S, g.edgeU[e] === v ? g.edgeV[e]! : g.edgeU[e]!]);
  }
  const tree = pruneLeaves(g, mstOfEdges(g, edges), isTerminal);
  let c = 0;
  for (const e of tree) c += g.edgeW[e]!;
  return { edges: tree, cost: c };
}
