import { ModelError, type Graph } from '@emplace/core';
import type { SparseLaplacian } from './laplacian.js';

/** A two-way cut S | V \ S and its quality. */
export interface CutQuality {
  /** side[v] = 1 for v in S, 0 otherwise. */
  side: Uint8Array;
  /** |S| and |V \ S|. */
  sizes: [number, number];
  /** Total weight of the edges between S and its complement. */
  cutWeight: number;
  /** vol(S) and vol(V \ S): sums of weighted degrees. */
  volumes: [number, number];
  /** cut / min(vol S, vol S^c). */
  conductance: number;
  /** min(|S|, |S^c|) / max(|S|, |S^c|), in [0, 1] (1 = perfectly balanced). */
  balance: number;
}

/**
 * Sweep cut: sorts the nodes by `score` and, among the n-1 prefix sets, returns the one
 * of least conductance cut(S) / min(vol S, vol S^c), maintaining cut and volume
 * incrementally: O(m + n log n). With score = D^-1/2 times the Fiedler vector of the
 * normalized Laplacian, Cheeger's inequality guarantees conductance <= sqrt(2 lambda2).
 * `minSize` keeps both sides at least that many nodes.
 */
export function sweepCut(lap: SparseLaplacian, score: Float64Array, minSize = 1): CutQuality {
  const n = lap.n;
  if (score.length !== n) throw new ModelError('score', `must have ${n} entries, got ${score.length}`);
  if (n < 2) throw new ModelError('graph.n', `must be at least 2 for a cut, got ${n}`);
  const order = sortedOrder(score);
  const w = lap.weights;
  const deg = lap.degrees;
  let total = 0;
  for (let i = 0; i < n; i++) total += deg[i]!;
  const inS = new Uint8Array(n);
  let cut = 0;
  let vol = 0;
  let bestT = -1;
  let bestPhi = Infinity;
  const lo = Math.max(1, Math.min(minSize, Math.floor(n / 2)));
  for (let t = 0; t < n - 1; t++) {
    const u = order[t]!;
    let toS = 0;
    for (let k = lap.offsets[u]!; k < lap.offsets[u + 1]!; k++) if (inS[lap.cols[k]!]) toS += w[k]!;
    inS[u] = 1;
    cut += deg[u]! - 2 * toS;
    vol += deg[u]!;
    const size = t + 1;
    if (size < lo || n - size < lo) continue;
    const denom = Math.min(vol, total - vol);
    const phi = denom > 0 ? Math.max(0, cut) / denom : cut > 0 ? Infinity : 0;
    if (phi < bestPhi) {
      bestPhi = phi;
      bestT = t;
    }
  }
  if (bestT < 0) bestT = Math.floor(n / 2) - 1;
  const side = new Uint8Array(n);
  for (let t = 0; t <= bestT; t++) side[order[t]!] = 1;
  return cutQuality(lap, side);
}

/** Quality of a given side assignment (recomputed from the graph, not trusted). */
export function cutQuality(lap: SparseLaplacian, side: Uint8Array): CutQuality {
  const n = lap.n;
  const w = lap.weights;
  let cut = 0;
  let volS = 0;
  let volT = 0;
  let sizeS = 0;
  for (let i = 0; i < n; i++) {
    if (side[i]) {
      sizeS++;
      volS += lap.degrees[i]!;
    } else volT += lap.degrees[i]!;
    for (let k = lap.offsets[i]!; k < lap.offsets[i + 1]!; k++) {
      const j = lap.cols[k]!;
      if (j > i && side[i] !== side[j]) cut += w[k]!;
    }
  }
  const denom = Math.min(volS, volT);
  const sizeT = n - sizeS;
  return {
    side,
    sizes: [sizeS, sizeT],
    cutWeight: cut,
    volumes: [volS, volT],
    conductance: denom > 0 ? cut / denom : cut > 0 ? Infinity : 0,
    balance: Math.max(sizeS, sizeT) > 0 ? Math.min(sizeS, sizeT) / Math.max(sizeS, sizeT) : 0,
  };
}

/** Conductance of node set S (side = 1) in graph g: cut(S) / min(vol S, vol S^c). */
export function conductanceOf(g: Graph, side: Uint8Array): number {
  let cut = 0;
  let volS = 0;
  let volT = 0;
  for (let e = 0; e < g.m; e++) {
    const w = g.edgeW[e]!;
    const a = side[g.edgeU[e]!]!;
    const b = side[g.edgeV[e]!]!;
    if (a !== b) cut += w;
    if (a) volS += w;
    else volT += w;
    if (b) volS += w;
    else volT += w;
  }
  const d = Math.min(volS, volT);
  return d > 0 ? cut / d : cut > 0 ? Infinity : 0;
}

function sortedOrder(score: Float64Array): Int32Array {
  const n = score.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Stable by index on ties so the cut is deterministic.
  return order.sort((a, b) => score[a]! - score[b]! || a - b);
}
