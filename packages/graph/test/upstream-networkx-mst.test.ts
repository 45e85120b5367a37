/**
 * Cases restated from networkx's minimum spanning tree test suite
 * (networkx algorithms/tree/tests/test_mst.py, MinimumSpanningTreeTestBase run for each
 * algorithm): the Wikipedia Kruskal example with its expected minimum (and maximum) edge
 * sets, isolated nodes and disconnected graphs (a forest), the empty graph, an alternative
 * weight attribute, and multigraphs (the cheapest parallel edge is taken). Run for kruskal,
 * prim and auto, directly and through the registry's `mst` family.
 *
 * Semantics that differ by design: networkx may skip NaN weights (ignore_nan); our graphs
 * refuse a NaN weight with a ModelError when built. A maximum spanning tree is the minimum
 * one of the negated weights (the `weights` override).
 */
import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import { fromEdgeList, minimumSpanningTree, solveMst, type SpanningForest } from '@emplace/graph';

const ALGORITHMS = ['kruskal', 'prim', 'auto'] as const;

// test_mst.py setup_method: https://en.wikipedia.org/wiki/Kruskal's_algorithm
const WIKI: [number, number, number][] = [
  [0, 1, 7], [0, 3, 5], [1, 2, 8], [1, 3, 9], [1, 4, 7], [2, 4, 5],
  [3, 4, 15], [3, 5, 6], [4, 5, 8], [4, 6, 9], [5, 6, 11],
];
const WIKI_MIN = [[0, 1, 7], [0, 3, 5], [1, 4, 7], [2, 4, 5], [3, 5, 6], [4, 6, 9]];
const WIKI_MAX = [[0, 1, 7], [1, 2, 8], [1, 3, 9], [3, 4, 15], [4, 6, 9], [5, 6, 11]];

/** The forest's edges as sorted [min end id, max end id, weight] triples (ids as numbers). */
function edgeSet(g: Graph, f: SpanningForest): number[][] {
  const out: number[][] = [];
  for (const e of f.edges) {
    const a = Number(g.ids[g.edgeU[e]!]), b = Number(g.ids[g.edgeV[e]!]);
    out.push([Math.min(a, b), Math.max(a, b), g.edgeW[e]!]);
  }
  return out.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!);
}

describe('networkx test_mst.py cases', () => {
  for (const algorithm of ALGORITHMS) {
    describe(algorithm, () => {
      it('test_minimum_edges / test_minimum_tree: the Wikipedia example -> networkx\'s 6 edges, weight 39', async () => {
        const g = fromEdgeList(WIKI);
        const f = minimumSpanningTree(g, { algorithm });
        expect(edgeSet(g, f)).toEqual(WIKI_MIN);
        expect(f.weight).toBe(39);
        expect(f.components).toBe(1);
        const r = await solveMst(g, { algorithm });
        expect(r.status).toBe('optimal');
        expect(r.objective).toBe(39);
      });

      it('test_maximum_edges / test_maximum_tree: negated weights give networkx\'s maximum tree, weight 59', () => {
        const g = fromEdgeList(WIKI);
        const f = minimumSpanningTree(g, { algorithm, weights: Array.from(g.edgeW, (w) => -w) });
        expect(edgeSet(g, f)).toEqual(WIKI_MAX);
        expect(f.weight).toBe(-59);
      });

      it('test_isolated_node / test_nan_weights_order: shifted example plus isolated node 0 -> same tree, a forest of 2', async () => {
        const g = fromEdgeList(WIKI.map(([u, v, w]) => [u + 1, v + 1, w] as const), { n: 8 });
        const f = minimumSpanningTree(g, { algorithm });
        expect(edgeSet(g, f)).toEqual(WIKI_MIN.map(([u, v, w]) => [u! + 1, v! + 1, w!]));
        expect(f.components).toBe(2);
        const r = await solveMst(g, { algorithm });
        expect(r.objective).toBe(39);
        expect(r.warnings?.join(' ')).toMatch(/2 components/);
      });

      it('test_disconnected: edges (0,1,1) and (2,3,2) -> both, 2 components', () => {
        const g = fromEdgeList([[0, 1, 1], [2, 3, 2]]);
        const f = minimumSpanningTree(g, { algorithm });
        expect(edgeSet(g, f)).toEqual([[0, 1, 1], [2, 3, 2]]);
        expect(f.components).toBe(2);
      });

      it('test_empty_graph: 3 nodes, no edges -> no edges, 3 components', () => {
        const f = minimumSpanningTree(createGraph({ n: 3, edges: [] }), { algorithm });
        expect(f.edges.length).toBe(0);
        expect(f.weight).toBe(0);
        expect(f.components).toBe(3);
      });

      it('test_weight_attribute: the distance attribute as weights -> (0,2),(1,2); maximum -> (0,1),(0,2)', () => {
        // Edges (0,1), (0,2), (1,2) with weight 1, 30, 1 and distance 7, 1, 1; node 3 isolated.
        const g = fromEdgeList([[0, 1, 1], [0, 2, 30], [1, 2, 1]], { n: 4 });
        const distance = [7, 1, 1];
        const ends = (f: SpanningForest): number[][] => [...f.edges].map((e) => [g.edgeU[e]!, g.edgeV[e]!]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        expect(ends(minimumSpanningTree(g, { algorithm, weights: distance }))).toEqual([[0, 2], [1, 2]]);
        expect(ends(minimumSpanningTree(g, { algorithm, weights: distance.map((d) => -d) }))).toEqual([[0, 1], [0, 2]]);
      });

      it('test_multigraph_keys_min: parallel 0-1 edges of weight 2 and 1 -> the weight-1 edge', () => {
        const g = fromEdgeList([[0, 1, 2], [0, 1, 1]]);
        const f = minimumSpanningTree(g, { algorithm });
        expect([...f.edges]).toEqual([1]);
        // test_multigraph_keys_max: the weight-2 edge.
        expect([...minimumSpanningTree(g, { algorithm, weights: [-2, -1] }).edges]).toEqual([0]);
      });

      it('test_key_data_bool: (1,2,w2), (1,2,w3), (3,2,w2), (3,1,w4) -> the first 1-2 edge and 2-3, weight 4', () => {
        const g = fromEdgeList([[1, 2, 2], [1, 2, 3], [3, 2, 2], [3, 1, 4]], { n: 4 });
        const f = minimumSpanningTree(g, { algorithm });
        expect([...f.edges].sort()).toEqual([0, 2]);
        expect(f.weight).toBe(4);
      });
    });
  }

  it('test_nan_weights: a NaN weight is a ModelError when the graph is built (networkx: ValueError unless ignore_nan)', () => {
    expect(() => fromEdgeList([...WIKI, [0, 12, Number.NaN]])).toThrow(ModelError);
    const g = fromEdgeList(WIKI);
    // Regression: a NaN in the weights override used to be taken into the tree (Kruskal and
    // Prim both returned a forest of weight NaN on this example); now a ModelError naming it.
    for (const algorithm of ALGORITHMS) {
      expect(() => minimumSpanningTree(g, { algorithm, weights: [Number.NaN, ...WIKI.slice(1).map((e) => e[2])] })).toThrow(/weights\[0\]/);
    }
  });

  it('test_unknown_algorithm: an unknown algorithm is a ModelError', async () => {
    const g = fromEdgeList(WIKI);
    expect(() => minimumSpanningTree(g, { algorithm: 'random' as 'prim' })).toThrow(ModelError);
    await expect(Promise.resolve().then(() => solve(g, { method: 'mst:random' }))).rejects.toThrow();
  });
});
