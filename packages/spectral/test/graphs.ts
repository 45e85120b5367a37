/** Graph families and oracles shared by the spectral tests. */
import { createGraph, Rng, type Graph } from '@emplace/core';
import { laplacian, symmetricEigen } from '@emplace/spectral';

export function graph(n: number, edges: [number, number, number?][]): Graph {
  return createGraph({ n, edges });
}
export const path = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
export const cycle = (n: number) => graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));
export const star = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number]));
export function complete(n: number): Graph {
  const e: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e.push([i, j]);
  return graph(n, e);
}
export function hypercube(d: number): Graph {
  const n = 1 << d;
  const e: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let b = 0; b < d; b++) if (!(i & (1 << b))) e.push([i, i | (1 << b)]);
  return graph(n, e);
}
/** A random connected weighted graph: a random tree plus extra edges. */
export function randomConnected(n: number, extra: number, seed: number, weighted = true): Graph {
  const rng = new Rng(seed);
  const e: [number, number, number][] = [];
  for (let i = 1; i < n; i++) e.push([rng.int(i), i, weighted ? 0.1 + rng.next() * 2 : 1]);
  for (let t = 0; t < extra; t++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a !== b) e.push([a, b, weighted ? 0.1 + rng.next() * 2 : 1]);
  }
  return graph(n, e);
}
export function denseLambda2(g: Graph, kind: 'combinatorial' | 'normalized' = 'combinatorial'): number {
  return symmetricEigen(laplacian(g, kind).toDense(), g.n).values[1]!;
}
export const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
