import { checkMemory, ModelError, type Graph } from '@emplace/core';
import { DijkstraSearch } from './dijkstra.js';

/** Largest n accepted by `allPairsShortestPaths` (an n*n Float64Array is 8 n^2 bytes: 200 MB at 5,000). */
export const ALL_PAIRS_MAX_NODES = 5000;

/**
 * All-pairs shortest-path distances as a dense row-major n*n matrix (Infinity between
 * components), by n Dijkstra runs: O(n (n + m) log n). For small graphs only: refuses
 * (ModelError naming the size and the limit) above maxNodes or above the memory budget.
 */
export function allPairsShortestPaths(g: Graph, opts: { maxNodes?: number | undefined; maxMemoryBytes?: number | undefined } = {}): Float64Array {
  const limit = opts.maxNodes ?? ALL_PAIRS_MAX_NODES;
  if (g.n > limit) throw new ModelError('graph.n', `is ${g.n}: all-pairs needs an n*n matrix; the limit is ${limit} (pass maxNodes to raise it)`);
  // The n x n distance matrix, before it is allocated (core's memory budget, per call or process-wide).
  checkMemory('allPairsShortestPaths', `an ${g.n} x ${g.n} distance matrix`, 8 * g.n * g.n, opts);
  const out = new Float64Array(g.n * g.n);
  const search = new DijkstraSearch(g);
  const src = new Int32Array(1);
  for (let s = 0; s < g.n; s++) {
    src[0] = s;
    search.run(src);
    out.set(search.dist, s * g.n);
  }
  return out;
}
