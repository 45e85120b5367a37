import { Rng, createGraph, type Graph } from '@emplace/core';

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
  const cellOf = (t: number) => Math.min(cells - 1, Math.floor(t * cells));
  const head = new Int32Array(cells * cells).fill(-1);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cellOf(x[i]!) * cells + cellOf(y[i]!);
    next[i] = head[c]!;
    head[c] = i;
  }
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
  const seen = new Set<number>();
  const u: number[] = [];
  const v: number[] = [];
  let guard = 0;
  while (u.length < targetEdges && guard++ < targetEdges * 20) {
    const a = pick();
    const b = pick();
    if (a === b) continue;
    const key = a < b ? a * n + b : b * n + a;
    if (seen.has(key)) continue;
    seen.add(key);
    u.push(a);
    v.push(b);
  }
  return createGraph({ n, edges: { u, v } });
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
