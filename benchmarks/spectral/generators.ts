import { Rng, createGraph, type Graph } from '@emplace/core';

/** Undirected simple edges collected once each (no loops, no repeats), then built as a graph. */
class SimpleEdges {
  private readonly seen = new Set<number>();
  readonly u: number[] = [];
  readonly v: number[] = [];
  constructor(private readonly n: number) {}

  get size(): number {
    return this.u.length;
  }

  /** Adds a-b unless it is a loop or already there; whether it was added. */
  add(a: number, b: number): boolean {
    if (a === b) return false;
    const key = a < b ? a * this.n + b : b * this.n + a;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.u.push(a);
    this.v.push(b);
    return true;
  }

  graph(): Graph {
    return createGraph({ n: this.n, edges: { u: this.u, v: this.v } });
  }
}

/** a x b grid graph: lambda2 = 2 (1 - cos(pi / max(a, b))). */
export function gridGraph(a: number, b: number): Graph {
  const m = (a - 1) * b + a * (b - 1);
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  let e = 0;
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const id = i * b + j;
      if (j + 1 < b) {
        u[e] = id;
        v[e++] = id + 1;
      }
      if (i + 1 < a) {
        u[e] = id;
        v[e++] = id + b;
      }
    }
  }
  return createGraph({ n: a * b, edges: { u, v } });
}

/**
 * Random geometric graph: n uniform points in the unit square, an edge between points
 * closer than r (found through a grid of r-cells). Small lambda2, like real
 * infrastructure networks.
 */
export function randomGeometricGraph(n: number, r: number, seed: number): Graph {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.next();
    y[i] = rng.next();
  }
  const cells = Math.max(1, Math.floor(1 / r));
  const { head, next, cellOf } = bucketPoints(x, y, cells);
  const u: number[] = [];
  const v: number[] = [];
  const r2 = r * r;
  for (let i = 0; i < n; i++) {
    const cx = cellOf(x[i]!);
    const cy = cellOf(y[i]!);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const ax = cx + dx;
        const ay = cy + dy;
        if (ax < 0 || ay < 0 || ax >= cells || ay >= cells) continue;
        for (let j = head[ax * cells + ay]!; j !== -1; j = next[j]!) {
          if (j <= i) continue;
          const ddx = x[i]! - x[j]!;
          const ddy = y[i]! - y[j]!;
          if (ddx * ddx + ddy * ddy < r2) {
            u.push(i);
            v.push(j);
          }
        }
      }
    }
  }
  return createGraph({ n, edges: { u, v } });
}

/**
 * Chung-Lu graph with a power-law expected degree sequence (exponent ~2.5), the usual
 * stand-in for social / collaboration networks; parallel edges collapsed.
 */
export function powerLawGraph(n: number, targetEdges: number, seed: number): Graph {
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.pow(i + 1, -1 / 1.5);
    total += w[i]!;
  }
  // Alias-free sampling of endpoints proportional to w: cumulative table + binary search.
  const cum = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += w[i]! / total;
    cum[i] = s;
  }
  const pick = (): number => {
    const t = rng.next() * s;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const edges = new SimpleEdges(n);
  let guard = 0;
  while (edges.size < targetEdges && guard++ < targetEdges * 20) edges.add(pick(), pick());
  return edges.graph();
}

/**
 * Barabasi-Albert preferential attachment: each new node links to `m` distinct earlier
 * nodes chosen with probability proportional to their degree (a list holding every edge
 * endpoint is sampled uniformly). Hubs plus a connected tree-like periphery.
 */
export function preferentialAttachmentGraph(n: number, m: number, seed: number): Graph {
  const rng = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  const ends: number[] = [];
  for (let i = 1; i <= m && i < n; i++) {
    u.push(i - 1);
    v.push(i);
    ends.push(i - 1, i);
  }
  const picked = new Set<number>();
  for (let i = m + 1; i < n; i++) {
    picked.clear();
    while (picked.size < m) picked.add(ends[rng.int(ends.length)]!);
    for (const j of picked) {
      u.push(j);
      v.push(i);
      ends.push(j, i);
    }
  }
  return createGraph({ n, edges: { u, v } });
}

/**
 * An a x b grid with noise: each grid edge kept with probability 1 - drop, and each
 * cell's diagonal added with probability `diagonal` (a perturbed mesh; not connected in
 * general, the benchmarks take its largest component).
 */
export function noisyGridGraph(a: number, b: number, drop: number, diagonal: number, seed: number): Graph {
  const rng = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  /** Adds x-y with probability p. */
  const maybe = (x: number, y: number, p: number): void => {
    if (rng.next() < p) {
      u.push(x);
      v.push(y);
    }
  };
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const id = i * b + j;
      if (j + 1 < b) maybe(id, id + 1, 1 - drop);
      if (i + 1 < a) maybe(id, id + b, 1 - drop);
      // One of the cell's two diagonals.
      if (i + 1 < a && j + 1 < b) {
        if (rng.int(2) === 0) maybe(id, id + b + 1, diagonal);
        else maybe(id + 1, id + b, diagonal);
      }
    }
  }
  return createGraph({ n: a * b, edges: { u, v } });
}

/** Points in the unit square bucketed in a grid of `cells` x `cells` cells (for neighbour searches). */
function bucketPoints(x: Float64Array, y: Float64Array, cells: number): { head: Int32Array; next: Int32Array; cellOf: (t: number) => number } {
  const n = x.length;
  const cellOf = (t: number): number => Math.min(cells - 1, Math.floor(t * cells));
  const head = new Int32Array(cells * cells).fill(-1);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cellOf(x[i]!) * cells + cellOf(y[i]!);
    next[i] = head[c]!;
    head[c] = i;
  }
  return { head, next, cellOf };
}

/**
 * Road-like planar graph: the relative neighbourhood graph of n uniform points (an edge
 * i-j when no third point is closer to both than they are to each other; planar,
 * connected, mean degree ~2.6 like street networks), candidates from the 3 x 3 cells of
 * about 3 points each. With `weighted`, the weight of an edge is 1 / its length (a
 * conductance), spread over about two orders of magnitude.
 */
export function roadLikeGraph(n: number, seed: number, weighted = false): Graph {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.next();
    y[i] = rng.next();
  }
  const cells = Math.max(1, Math.floor(Math.sqrt(n / 3)));
  const { head, next, cellOf } = bucketPoints(x, y, cells);
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  const near: number[] = [];
  for (let i = 0; i < n; i++) {
    near.length = 0;
    const cx = cellOf(x[i]!);
    const cy = cellOf(y[i]!);
    for (let ax = Math.max(0, cx - 2); ax <= Math.min(cells - 1, cx + 2); ax++) {
      for (let ay = Math.max(0, cy - 2); ay <= Math.min(cells - 1, cy + 2); ay++) {
        for (let j = head[ax * cells + ay]!; j !== -1; j = next[j]!) if (j !== i) near.push(j);
      }
    }
    for (const j of near) {
      if (j < i) continue;
      const dij = (x[i]! - x[j]!) ** 2 + (y[i]! - y[j]!) ** 2;
      let blocked = false;
      for (const k of near) {
        if (k === j) continue;
        if ((x[i]! - x[k]!) ** 2 + (y[i]! - y[k]!) ** 2 < dij && (x[j]! - x[k]!) ** 2 + (y[j]! - y[k]!) ** 2 < dij) {
          blocked = true;
          break;
        }
      }
      if (blocked) continue;
      u.push(i);
      v.push(j);
      w.push(1 / Math.max(1e-9, Math.sqrt(dij) * Math.sqrt(n)));
    }
  }
  return createGraph({ n, edges: weighted ? { u, v, w } : { u, v } });
}

/**
 * Stochastic block model: `blocks` communities of equal size, each node with `inside`
 * expected neighbours in its own block and `outside` in the others (Bernoulli edges,
 * sampled by count). lambda2 ... lambda_blocks are small and close together.
 */
export function stochasticBlockGraph(n: number, blocks: number, inside: number, outside: number, seed: number): Graph {
  const rng = new Rng(seed);
  const size = Math.floor(n / blocks);
  const block = (i: number): number => Math.min(blocks - 1, Math.floor(i / size));
  const edges = new SimpleEdges(n);
  const add = (a: number, b: number): boolean => edges.add(a, b);
  const inEdges = Math.round((n * inside) / 2);
  for (let e = 0; e < inEdges; e++) {
    const a = rng.int(n);
    const b0 = block(a) * size;
    const end = block(a) === blocks - 1 ? n : b0 + size;
    add(a, b0 + rng.int(end - b0));
  }
  const outEdges = Math.round((n * outside) / 2);
  for (let e = 0; e < outEdges; e++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (block(a) !== block(b)) add(a, b);
  }
  return edges.graph();
}

/** Watts-Strogatz small world: a ring where each node links to its k/2 next neighbours, each edge rewired to a random end with probability beta. */
export function wattsStrogatzGraph(n: number, k: number, beta: number, seed: number): Graph {
  const rng = new Rng(seed);
  const edges = new SimpleEdges(n);
  for (let i = 0; i < n; i++) {
    for (let d = 1; d <= k / 2; d++) {
      let j = (i + d) % n;
      if (rng.next() < beta) j = rng.int(n);
      edges.add(i, j);
    }
  }
  return edges.graph();
}

/**
 * A core with many degree-1 nodes: a preferential-attachment core of `core` nodes (m = 2),
 * then n - core nodes each hanging off a uniformly random earlier node (trees on the
 * core: about half of all nodes are leaves, as in AS-level and peer-to-peer networks).
 */
export function hairyCoreGraph(n: number, core: number, seed: number): Graph {
  const base = preferentialAttachmentGraph(core, 2, seed);
  const rng = new Rng(seed + 1);
  const u: number[] = Array.from(base.edgeU);
  const v: number[] = Array.from(base.edgeV);
  for (let i = core; i < n; i++) {
    u.push(rng.int(i));
    v.push(i);
  }
  return createGraph({ n, edges: { u, v } });
}

/** Random geometric graph (see randomGeometricGraph) with log-normal edge weights (sigma 1: a spread of about 50 between the 5th and 95th percentile). */
export function weightedGeometricGraph(n: number, r: number, seed: number): Graph {
  const g = randomGeometricGraph(n, r, seed);
  const rng = new Rng(seed + 7);
  const w = new Float64Array(g.m);
  for (let e = 0; e < g.m; e++) w[e] = Math.exp(rng.normal());
  return createGraph({ n, edges: { u: g.edgeU, v: g.edgeV, w } });
}

/** k-nearest-neighbour graph of n uniform points in the unit cube (the usual spectral clustering input; an edge when either end is among the other's k nearest). */
export function knnGraph(n: number, k: number, seed: number): Graph {
  const rng = new Rng(seed);
  const pts = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; i++) pts[i] = rng.next();
  const cells = Math.max(1, Math.floor(Math.cbrt(n / 4)));
  const cellOf = (t: number): number => Math.min(cells - 1, Math.floor(t * cells));
  const key = (i: number): number => (cellOf(pts[3 * i]!) * cells + cellOf(pts[3 * i + 1]!)) * cells + cellOf(pts[3 * i + 2]!);
  const head = new Int32Array(cells ** 3).fill(-1);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = head[key(i)]!;
    head[key(i)] = i;
  }
  const edges = new SimpleEdges(n);
  const cand: { j: number; d: number }[] = [];
  for (let i = 0; i < n; i++) {
    cand.length = 0;
    const c = [cellOf(pts[3 * i]!), cellOf(pts[3 * i + 1]!), cellOf(pts[3 * i + 2]!)];
    for (let a = Math.max(0, c[0]! - 1); a <= Math.min(cells - 1, c[0]! + 1); a++) {
      for (let b = Math.max(0, c[1]! - 1); b <= Math.min(cells - 1, c[1]! + 1); b++) {
        for (let d = Math.max(0, c[2]! - 1); d <= Math.min(cells - 1, c[2]! + 1); d++) {
          for (let j = head[(a * cells + b) * cells + d]!; j !== -1; j = next[j]!) {
            if (j === i) continue;
            const dx = pts[3 * i]! - pts[3 * j]!;
            const dy = pts[3 * i + 1]! - pts[3 * j + 1]!;
            const dz = pts[3 * i + 2]! - pts[3 * j + 2]!;
            cand.push({ j, d: dx * dx + dy * dy + dz * dz });
          }
        }
      }
    }
    cand.sort((p, q) => p.d - q.d);
    for (const { j } of cand.slice(0, k)) edges.add(i, j);
  }
  return edges.graph();
}

/**
 * Nearly a tree: a random recursive tree (node i hangs off a uniform earlier node; no
 * hubs, depth ~ log n) plus `extra` random edges. Tiny lambda2 (long thin branches), a
 * factor with almost no fill.
 */
export function nearTreeGraph(n: number, extra: number, seed: number): Graph {
  const rng = new Rng(seed);
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 1; i < n; i++) {
    u.push(rng.int(i));
    v.push(i);
  }
  for (let e = 0; e < extra; e++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a !== b) {
      u.push(a);
      v.push(b);
    }
  }
  return createGraph({ n, edges: { u, v }, duplicates: 'min' });
}
