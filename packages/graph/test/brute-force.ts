/** Brute-force oracles shared by the graph tests. */
import type { Graph } from '@emplace/core';
import { connectedComponents } from '@emplace/graph';

export function bellmanFord(g: Graph, s: number): Float64Array {
  const d = new Float64Array(g.n).fill(Infinity);
  d[s] = 0;
  for (let it = 0; it < g.n; it++) {
    for (let e = 0; e < g.m; e++) {
      const u = g.edgeU[e]!, v = g.edgeV[e]!, w = g.edgeW[e]!;
      if (d[u]! + w < d[v]!) d[v] = d[u]! + w;
      if (d[v]! + w < d[u]!) d[u] = d[v]! + w;
    }
  }
  return d;
}

/** Brute-force minimum spanning forest weight: every edge subset of size n - components that is acyclic. */
export function bruteMst(g: Graph): number {
  const comps = connectedComponents(g).count;
  const need = g.n - comps;
  let best = Infinity;
  const rec = (start: number, uf: number[], taken: number, w: number): void => {
    if (taken === need) {
      best = Math.min(best, w);
      return;
    }
    for (let e = start; e < g.m; e++) {
      const find = (x: number): number => (uf[x] === x ? x : find(uf[x]!));
      const a = find(g.edgeU[e]!), b = find(g.edgeV[e]!);
      if (a === b) continue;
      const next = uf.slice();
      next[a] = b;
      rec(e + 1, next, taken + 1, w + g.edgeW[e]!);
    }
  };
  rec(0, Array.from({ length: g.n }, (_, i) => i), 0, 0);
  return best;
}

/** Brute-force min cut: every node subset containing s but not t. */
export function bruteMinCut(g: Graph, s: number, t: number): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << g.n; mask++) {
    if (!(mask & (1 << s)) || mask & (1 << t)) continue;
    let c = 0;
    for (let e = 0; e < g.m; e++) if (((mask >> g.edgeU[e]!) & 1) !== ((mask >> g.edgeV[e]!) & 1)) c += g.edgeW[e]!;
    best = Math.min(best, c);
  }
  return best;
}
