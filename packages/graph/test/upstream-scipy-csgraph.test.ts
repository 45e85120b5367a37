/**
 * Cases restated from SciPy's csgraph tests (scipy/sparse/csgraph/tests/test_flow.py and
 * test_spanning_tree.py, SciPy 1.17): directed capacity matrices as arc lists with the
 * expected flow values and, where SciPy pins it because it is unique, the flow on every arc;
 * the two-component minimum spanning tree and the "sub-diagonal of ones" spanning trees.
 */
import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, Rng, type Graph } from '@emplace/core';
import { maxFlow, minimumSpanningTree } from '@emplace/graph';

/** The arcs of a dense capacity matrix (row = tail), as a directed graph; self-loops dropped. */
function fromMatrix(a: readonly (readonly number[])[]): Graph {
  const edges: [number, number, number][] = [];
  a.forEach((row, u) => row.forEach((c, v) => {
    if (c !== 0) edges.push([u, v, c]);
  }));
  return createGraph({ n: a.length, edges, selfLoops: 'drop' });
}

/** The net flow matrix F[u][v] = flow u -> v minus flow v -> u, like SciPy's res.flow. */
function flowMatrix(g: Graph, flow: Float64Array): number[][] {
  const f = Array.from({ length: g.n }, () => new Array<number>(g.n).fill(0));
  for (let e = 0; e < g.m; e++) {
    f[g.edgeU[e]!]![g.edgeV[e]!]! += flow[e]!;
    f[g.edgeV[e]!]![g.edgeU[e]!]! -= flow[e]!;
  }
  return f.map((row) => row.map((x) => x + 0)); // -0 -> 0 for toEqual
}

describe('scipy test_flow.py cases', () => {
  it('test_simple_graph: 0 -> 1 of capacity 5 -> 5', () => {
    const g = fromMatrix([[0, 5], [0, 0]]);
    const r = maxFlow(g, 0, 1, { directed: true });
    expect(r.value).toBe(5);
    expect(flowMatrix(g, r.flow)).toEqual([[0, 5], [-5, 0]]);
  });

  it('test_bottle_neck_graph -> 3', () => {
    const g = fromMatrix([[0, 5, 0], [0, 0, 3], [0, 0, 0]]);
    const r = maxFlow(g, 0, 2, { directed: true });
    expect(r.value).toBe(3);
    expect(flowMatrix(g, r.flow)).toEqual([[0, 3, 0], [-3, 0, 3], [0, -3, 0]]);
  });

  it('test_backwards_flow -> 20 with the unique flow', () => {
    const g = fromMatrix([
      [0, 10, 0, 0, 10, 0, 0, 0], [0, 0, 10, 0, 0, 0, 0, 0], [0, 0, 0, 10, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 10],
      [0, 0, 0, 10, 0, 10, 0, 0], [0, 0, 0, 0, 0, 0, 10, 0], [0, 0, 0, 0, 0, 0, 0, 10], [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const r = maxFlow(g, 0, 7, { directed: true });
    expect(r.value).toBe(20);
    expect(flowMatrix(g, r.flow)).toEqual([
      [0, 10, 0, 0, 10, 0, 0, 0], [-10, 0, 10, 0, 0, 0, 0, 0], [0, -10, 0, 10, 0, 0, 0, 0], [0, 0, -10, 0, 0, 0, 0, 10],
      [-10, 0, 0, 0, 0, 10, 0, 0], [0, 0, 0, 0, -10, 0, 10, 0], [0, 0, 0, 0, 0, -10, 0, 10], [0, 0, 0, -10, 0, 0, -10, 0],
    ]);
  });

  it('test_example_from_clrs_chapter_26_1 -> 23, a feasible flow (SciPy\'s is one of several optima)', () => {
    const cap = [[0, 16, 13, 0, 0, 0], [0, 0, 10, 12, 0, 0], [0, 4, 0, 0, 14, 0], [0, 0, 9, 0, 0, 20], [0, 0, 0, 7, 0, 4], [0, 0, 0, 0, 0, 0]];
    const g = fromMatrix(cap);
    const r = maxFlow(g, 0, 5, { directed: true });
    expect(r.value).toBe(23);
    const f = flowMatrix(g, r.flow);
    for (let u = 0; u < 6; u++) {
      for (let v = 0; v < 6; v++) expect(f[u]![v]!).toBeLessThanOrEqual(cap[u]![v]!);
      const net = f[u]!.reduce((s, x) => s + x, 0);
      expect(net).toBe(u === 0 ? 23 : u === 5 ? -23 : 0);
    }
  });

  it('test_disconnected_graph: (0)-5->(1), (2)-3->(3), a self-loop of 9 at 2 -> 0, zero flow', () => {
    const g = fromMatrix([[0, 5, 0, 0], [0, 0, 0, 0], [0, 0, 9, 3], [0, 0, 0, 0]]);
    const r = maxFlow(g, 0, 3, { directed: true });
    expect(r.value).toBe(0);
    expect([...r.flow]).toEqual([0, 0]);
  });

  it('test_add_reverse_edges_large_graph (issue 14385): a directed path of 100000 unit arcs -> 1', () => {
    const n = 100_000;
    const edges: [number, number, number][] = [];
    for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, 1]);
    const g = createGraph({ n, edges });
    const r = maxFlow(g, 0, n - 1, { directed: true });
    expect(r.value).toBe(1);
    expect(r.flow.every((x) => x === 1)).toBe(true);
  });

  it('test_raises_when_source_is_sink / _out_of_bounds -> ModelError', () => {
    const g = fromMatrix([[0, 1], [0, 0]]);
    expect(() => maxFlow(g, 0, 0, { directed: true })).toThrow(ModelError);
    for (const bad of [-1, 2]) {
      expect(() => maxFlow(g, bad, 1, { directed: true })).toThrow(ModelError);
      expect(() => maxFlow(g, 0, bad, { directed: true })).toThrow(ModelError);
    }
  });
});

describe('scipy test_spanning_tree.py cases', () => {
  it('test_minimum_spanning_tree: two components -> (0,1) 1, (2,4) 5, (3,4) 1', () => {
    const g = createGraph({ n: 5, edges: [[0, 1, 1], [2, 3, 8], [2, 4, 5], [3, 4, 1]] });
    for (const algorithm of ['kruskal', 'prim'] as const) {
      const f = minimumSpanningTree(g, { algorithm });
      expect([...f.edges].sort()).toEqual([0, 2, 3]);
      expect(f.weight).toBe(7);
      expect(f.components).toBe(2);
    }
  });

  it('random dense graphs 3 + U(0, 1) with the sub-diagonal set to 1 -> exactly the path of 1s (N = 5, 10, 15, 20)', () => {
    const rng = new Rng(1234);
    for (const N of [5, 10, 15, 20]) {
      // SciPy reads the dense matrix as a directed csgraph and symmetrises it by the smaller
      // entry; an undirected graph with one edge per unordered pair carries that minimum.
      const w = Array.from({ length: N }, () => Array.from({ length: N }, () => 3 + rng.next()));
      for (let i = 0; i + 1 < N; i++) w[i]![i + 1] = 1;
      const edges: [number, number, number][] = [];
      for (let u = 0; u < N; u++) for (let v = u + 1; v < N; v++) edges.push([u, v, Math.min(w[u]![v]!, w[v]![u]!)]);
      const g = createGraph({ n: N, edges });
      for (const algorithm of ['kruskal', 'prim'] as const) {
        const f = minimumSpanningTree(g, { algorithm });
        const pairs = [...f.edges].map((e) => [g.edgeU[e]!, g.edgeV[e]!]).sort((a, b) => a[0]! - b[0]!);
        expect(pairs).toEqual(Array.from({ length: N - 1 }, (_, i) => [i, i + 1]));
        expect(f.weight).toBe(N - 1);
      }
    }
  });
});
