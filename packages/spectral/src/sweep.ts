import { ModelError, runSteps, type Graph, type Steps } from '@emplace/core';
import { chunkedSteps, rowsPerChunk, yieldOnly, type Checkpoints } from './chunks.js';
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
  return runSteps(sweepCutSteps(lap, score, minSize))!;
}

/**
 * `sweepCut` with the sort in chunked merge passes and the prefix scan and the quality in
 * chunks of rows (a checkpoint every ~2^16 entries); undefined when the run stops during
 * the sort or the scan. The quality, once started, is finished (it yields, never stops).
 * The sums run in the same order, so the cut is the same whatever the chunking.
 */
export function* sweepCutSteps(lap: SparseLaplacian, score: Float64Array, minSize = 1, cp?: Checkpoints): Steps<CutQuality | undefined> {
  const n = lap.n;
  if (score.length !== n) throw new ModelError('score', `must have ${n} entries, got ${score.length}`);
  if (n < 2) throw new ModelError('graph.n', `must be at least 2 for a cut, got ${n}`);
  const order = yield* argsortSteps(score, cp);
  if (!order) return undefined;
  const side = yield* bestPrefixSteps(lap, order, minSize, cp);
  return side && (yield* cutQualitySteps(lap, side, cp));
}

/** The running state of the prefix scan: S = order[0 .. t), its cut and volume, the best prefix so far. */
interface PrefixScan {
  inS: Uint8Array;
  total: number;
  cut: number;
  vol: number;
  bestT: number;
  bestPhi: number;
  lo: number;
}

/** The side of the least-conductance prefix of `order` (both sides at least minSize nodes); undefined when the run stops first. */
function* bestPrefixSteps(lap: SparseLaplacian, order: Int32Array, minSize: number, cp?: Checkpoints): Steps<Uint8Array | undefined> {
  const n = lap.n;
  const deg = lap.degrees;
  let total = 0;
  for (let i = 0; i < n; i++) total += deg[i]!;
  const scan: PrefixScan = { inS: new Uint8Array(n), total, cut: 0, vol: 0, bestT: -1, bestPhi: Infinity, lo: Math.max(1, Math.min(minSize, Math.floor(n / 2))) };
  if (!(yield* chunkedSteps(n - 1, rowsPerChunk(n, lap.nnz), (from, to) => scanPrefixes(lap, order, scan, from, to), cp))) return undefined;
  const bestT = scan.bestT < 0 ? Math.floor(n / 2) - 1 : scan.bestT;
  const side = new Uint8Array(n);
  for (let t = 0; t <= bestT; t++) side[order[t]!] = 1;
  return side;
}

/** Prefixes t in [from, to): adds order[t] to S, updates cut and volume incrementally, keeps the least conductance. */
function scanPrefixes(lap: SparseLaplacian, order: Int32Array, s: PrefixScan, from: number, to: number): void {
  const n = lap.n;
  const { offsets, cols, weights: w, degrees: deg } = lap;
  const { inS, total, lo } = s;
  let { cut, vol, bestT, bestPhi } = s;
  for (let t = from; t < to; t++) {
    const u = order[t]!;
    let toS = 0;
    for (let k = offsets[u]!; k < offsets[u + 1]!; k++) if (inS[cols[k]!]) toS += w[k]!;
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
  s.cut = cut;
  s.vol = vol;
  s.bestT = bestT;
  s.bestPhi = bestPhi;
}

/** Quality of a given side assignment (recomputed from the graph, not trusted). */
export function cutQuality(lap: SparseLaplacian, side: Uint8Array): CutQuality {
  return runSteps(cutQualitySteps(lap, side));
}

/** The sums of `cutQuality`, row by row. */
interface CutSums {
  cut: number;
  volS: number;
  volT: number;
  sizeS: number;
}

/** `cutQuality` in chunks of rows (~2^16 entries); it yields but always finishes (same sums, same order). */
export function* cutQualitySteps(lap: SparseLaplacian, side: Uint8Array, cp?: Checkpoints): Steps<CutQuality> {
  const n = lap.n;
  const sums: CutSums = { cut: 0, volS: 0, volT: 0, sizeS: 0 };
  yield* chunkedSteps(n, rowsPerChunk(n, lap.nnz), (from, to) => cutRows(lap, side, sums, from, to), yieldOnly(cp));
  const { cut, volS, volT, sizeS } = sums;
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

function cutRows(lap: SparseLaplacian, side: Uint8Array, s: CutSums, from: number, to: number): void {
  const { offsets, cols, weights: w, degrees } = lap;
  let { cut, volS, volT, sizeS } = s;
  for (let i = from; i < to; i++) {
    if (side[i]) {
      sizeS++;
      volS += degrees[i]!;
    } else volT += degrees[i]!;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = cols[k]!;
      if (j > i && side[i] !== side[j]) cut += w[k]!;
    }
  }
  s.cut = cut;
  s.volS = volS;
  s.volT = volT;
  s.sizeS = sizeS;
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

/**
 * The node order by ascending score, ties by index (deterministic cuts): a bottom-up merge
 * sort (stable, so ties keep the index order) whose passes run in chunks with checkpoints,
 * O(n log n). Undefined when the run stops first.
 */
export function* argsortSteps(score: Float64Array, cp?: Checkpoints): Steps<Int32Array | undefined> {
  const n = score.length;
  let src = new Int32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  let dst = new Int32Array(n);
  for (let width = 1; width < n; width *= 2) {
    const from = src;
    const to = dst;
    const span = 2 * width;
    const runs = Math.ceil(n / span);
    const perChunk = Math.max(1, Math.floor((1 << 16) / span));
    const done = yield* chunkedSteps(runs, perChunk, (a, b) => {
      for (let r = a; r < b; r++) mergeRuns(score, from, to, r * span, Math.min(n, r * span + width), Math.min(n, r * span + span));
    }, cp);
    if (!done) return undefined;
    [src, dst] = [dst, src];
  }
  return src;
}

/** Merges from[lo, mid) and from[mid, hi) (each sorted) into to[lo, hi); the left one wins ties. */
function mergeRuns(score: Float64Array, from: Int32Array, to: Int32Array, lo: number, mid: number, hi: number): void {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    const a = from[i]!;
    const b = from[j]!;
    if (score[b]! < score[a]!) {
      to[k++] = b;
      j++;
    } else {
      to[k++] = a;
      i++;
    }
  }
  while (i < mid) to[k++] = from[i++]!;
  while (j < hi) to[k++] = from[j++]!;
}
