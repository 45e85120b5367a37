import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, Rng, type Graph } from '@emplace/core';
import { allPairsShortestPaths, kruskal, maxFlow, solveMaxFlow, solveMst } from '../src/index.js';

function randomGraph(n: number, m: number, seed: number): Graph {
  const r = new Rng(seed);
  const edges: [number, number, number][] = [];
  for (let i = 1; i < n; i++) edges.push([r.int(i), i, 1 + r.int(20)]);
  for (let k = n - 1; k < m; k++) {
    const a = r.int(n);
    const b = r.int(n);
    if (a !== b) edges.push([a, b, 1 + r.int(20)]);
  }
  return createGraph({ n, edges });
}

describe('graph entry points (async, abort, size guard)', () => {
  it('solveMst and solveMaxFlow agree with the sync kernels', async () => {
    const g = randomGraph(500, 2000, 1);
    const mst = await solveMst(g, { algorithm: 'prim' });
    expect(mst.status).toBe('optimal');
    expect(mst.objective).toBeCloseTo(kruskal(g).weight, 9);
    const mf = await solveMaxFlow(g, { source: 0, sink: 499 });
    expect(mf.status).toBe('optimal');
    expect(mf.objective).toBeCloseTo(maxFlow(g, 0, 499).value, 9);
  });

  it('an aborted max flow returns a feasible flow, not a claimed optimum', async () => {
    const g = randomGraph(3000, 12000, 2);
    const ctl = new AbortController();
    ctl.abort();
    const r = await solveMaxFlow(g, { source: 0, sink: 2999, signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('feasible');
    // The flow respects the capacities and conserves at every inner node.
    const f = r.solution!.flow;
    const net = new Float64Array(g.n);
    for (let e = 0; e < g.m; e++) {
      expect(Math.abs(f[e]!)).toBeLessThanOrEqual(g.edgeW[e]! + 1e-9);
      net[g.edgeU[e]!]! -= f[e]!;
      net[g.edgeV[e]!]! += f[e]!;
    }
    for (let v = 1; v < g.n - 1; v++) expect(Math.abs(net[v]!)).toBeLessThanOrEqual(1e-9);
  });

  it('an aborted MST says no-solution', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await solveMst(randomGraph(2000, 8000, 3), { signal: ctl.signal });
    expect(r.status).toBe('no-solution');
    expect(r.stoppedBy).toBe('aborted');
  });

  it('all-pairs shortest paths refuse a matrix above the memory budget, naming size and limit', () => {
    const g = randomGraph(300, 900, 4);
    expect(() => allPairsShortestPaths(g, { maxMemoryBytes: 100_000 })).toThrow(ModelError);
    expect(() => allPairsShortestPaths(g, { maxMemoryBytes: 100_000 })).toThrow(/300 x 300.*memory limit/);
    expect(allPairsShortestPaths(g).length).toBe(300 * 300);
  });
});
