/**
 * Cases restated from networkx's Gomory-Hu test suite
 * (networkx algorithms/flow/tests/test_gomory_hu.py, class TestGomoryHuTree): the same
 * graphs as edge lists (karate club, Davis southern women, Florentine families with unit
 * capacities; the Wikipedia example with its weights). Upstream checks, for every pair, that
 * the lightest edge on the tree path equals the pair's minimum cut; here that is checked
 * against our own max flow, and in addition against networkx's answer restated as data: the
 * histogram of the all-pairs minimum cut values (cut value -> number of pairs) and their
 * sum, which networkx 3.6.1 computes for these graphs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import { fromEdgeList, maxFlow } from '@emplace/graph';
import { allPairsMinCut, gomoryHuTree, minCut, solveGomoryHu, subtreeSide, type GomoryHuTree } from '@emplace/flows';

// networkx karate_club_graph(), nodes 0..33.
const KARATE: [number, number][] = [[0,1],[0,2],[0,3],[0,4],[0,5],[0,6],[0,7],[0,8],[0,10],[0,11],[0,12],[0,13],[0,17],[0,19],[0,21],[0,31],[1,2],[1,3],[1,7],[1,13],[1,17],[1,19],[1,21],[1,30],[2,3],[2,7],[2,8],[2,9],[2,13],[2,27],[2,28],[2,32],[3,7],[3,12],[3,13],[4,6],[4,10],[5,6],[5,10],[5,16],[6,16],[8,30],[8,32],[8,33],[9,33],[13,33],[14,32],[14,33],[15,32],[15,33],[18,32],[18,33],[19,33],[20,32],[20,33],[22,32],[22,33],[23,25],[23,27],[23,29],[23,32],[23,33],[24,25],[24,27],[24,31],[25,31],[26,29],[26,33],[27,33],[28,31],[28,33],[29,32],[29,33],[30,32],[30,33],[31,32],[31,33],[32,33]];
// networkx davis_southern_women_graph(), nodes in sorted label order (18 women, then 14 events).
const DAVIS: [number, number][] = [[0,18],[0,19],[0,20],[0,21],[0,22],[0,23],[0,25],[0,26],[1,18],[1,19],[1,20],[1,22],[1,23],[1,24],[1,25],[2,19],[2,20],[2,21],[2,22],[2,23],[2,24],[2,25],[2,26],[3,18],[3,20],[3,21],[3,22],[3,23],[3,24],[3,25],[4,20],[4,21],[4,22],[4,24],[5,20],[5,22],[5,23],[5,25],[6,22],[6,23],[6,24],[6,25],[7,23],[7,25],[7,26],[8,22],[8,24],[8,25],[8,26],[9,24],[9,25],[9,26],[9,29],[10,25],[10,26],[10,27],[10,29],[11,25],[11,26],[11,27],[11,29],[11,30],[11,31],[12,24],[12,25],[12,26],[12,27],[12,29],[12,30],[12,31],[13,23],[13,24],[13,26],[13,27],[13,28],[13,29],[13,30],[13,31],[14,24],[14,25],[14,27],[14,28],[14,29],[15,25],[15,26],[16,26],[16,28],[17,26],[17,28]];
// networkx florentine_families_graph(), families in sorted order.
const FLORENTINE: [number, number][] = [[0,1],[1,5],[1,6],[1,7],[1,8],[1,9],[2,3],[2,4],[2,5],[3,4],[3,11],[4,6],[4,11],[6,7],[7,12],[8,12],[8,13],[9,10],[11,12],[12,14]];

function unit(edges: readonly [number, number][], n: number): Graph {
  return fromEdgeList(edges.map(([u, v]) => [u, v, 1] as const), { n });
}

/** Every pair: tree answer = our max flow; returns the histogram of the values and their sum. */
function checkAllPairs(g: Graph, tree: GomoryHuTree): { histogram: Record<number, number>; total: number } {
  const all = allPairsMinCut(tree);
  const histogram: Record<number, number> = {};
  let total = 0;
  for (let u = 0; u < g.n; u++) {
    for (let v = u + 1; v < g.n; v++) {
      const value = all[u * g.n + v]!;
      expect(minCut(tree, u, v).value).toBe(value);
      expect([u, v, maxFlow(g, u, v).value]).toEqual([u, v, value]);
      histogram[value] = (histogram[value] ?? 0) + 1;
      total += value;
    }
  }
  return { histogram, total };
}

describe('networkx test_gomory_hu.py cases', () => {
  it('test_karate_club_graph: all 561 pairs; networkx\'s value histogram and sum 1544', () => {
    const g = unit(KARATE, 34);
    const tree = gomoryHuTree(g)!;
    expect(checkAllPairs(g, tree)).toEqual({ histogram: { 1: 33, 2: 297, 3: 111, 4: 75, 5: 24, 6: 11, 9: 4, 10: 5, 12: 1 }, total: 1544 });
  });

  it('test_davis_southern_women_graph: all 496 pairs; histogram and sum 1976', () => {
    const g = unit(DAVIS, 32);
    const tree = gomoryHuTree(g)!;
    expect(checkAllPairs(g, tree)).toEqual({ histogram: { 2: 90, 3: 130, 4: 156, 5: 29, 6: 36, 7: 27, 8: 25, 10: 2, 12: 1 }, total: 1976 });
  });

  it('test_florentine_families_graph: all 105 pairs; histogram and sum 178', () => {
    const g = unit(FLORENTINE, 15);
    const tree = gomoryHuTree(g)!;
    expect(checkAllPairs(g, tree)).toEqual({ histogram: { 1: 60, 2: 17, 3: 28 }, total: 178 });
  });

  it('test_karate_club_graph_cutset: the tree edge for (0, 33) splits the graph into a cut of that many edges', () => {
    const g = unit(KARATE, 34);
    const tree = gomoryHuTree(g)!;
    const { value, edgeChild } = minCut(tree, 0, 33);
    expect(value).toBe(10);
    const side = subtreeSide(tree, edgeChild);
    expect(side[0]).not.toBe(side[33]);
    let crossing = 0;
    for (let e = 0; e < g.m; e++) if (side[g.edgeU[e]!] !== side[g.edgeV[e]!]) crossing++;
    expect(crossing).toBe(value);
  });

  it('test_wikipedia_example: every pair\'s minimum cut as networkx gives it', async () => {
    const g = fromEdgeList([[0, 1, 1], [0, 2, 7], [1, 2, 1], [1, 3, 3], [1, 4, 2], [2, 4, 4], [3, 4, 1], [3, 5, 6], [4, 5, 2]]);
    const expected: Record<string, number> = {
      '0,1': 6, '0,2': 8, '0,3': 6, '0,4': 6, '0,5': 6, '1,2': 6, '1,3': 6, '1,4': 7,
      '1,5': 6, '2,3': 6, '2,4': 6, '2,5': 6, '3,4': 6, '3,5': 8, '4,5': 6,
    };
    const tree = gomoryHuTree(g)!;
    for (const [pair, value] of Object.entries(expected)) {
      const [u, v] = pair.split(',').map(Number) as [number, number];
      expect([pair, minCut(tree, u, v).value]).toEqual([pair, value]);
    }
    // The tree's edge weights as a multiset: networkx's tree has weights 8, 7, 6, 6, 8.
    const weights = [...tree.weight].filter((_, v) => tree.parent[v]! >= 0).sort((a, b) => a - b);
    expect(weights).toEqual([6, 6, 7, 8, 8]);
    const r = await solve(g, { method: 'gomoryhu' });
    expect(r.status).toBe('optimal');
  });

  it('test_empty_raises: the empty and one-node graphs are ModelErrors (networkx: NetworkXError)', async () => {
    await expect(solveGomoryHu(fromEdgeList([], { n: 0 }))).rejects.toThrow(ModelError);
    await expect(solveGomoryHu(fromEdgeList([], { n: 1 }))).rejects.toThrow(ModelError);
  });
});

describe('extra instances with networkx\'s answers', () => {
  it('30 random weighted graphs: the all-pairs minimum cut sum of networkx\'s Gomory-Hu tree, and every pair = our max flow', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-random-gomory-hu.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number][], number][];
    };
    for (const [i, [n, edges, sum]] of doc.instances.entries()) {
      const g = createGraph({ n, edges });
      expect([i, checkAllPairs(g, gomoryHuTree(g)!).total]).toEqual([i, sum]);
    }
  });
});

describe('networkx connectivity/tests/test_stoer_wagner.py cases, as the gomoryhu global minimum cut', () => {
  /** networkx _check_partition: the weakest cut's side is a proper subset whose crossing weight is the value. */
  async function globalMinCut(g: Graph, expected: number): Promise<void> {
    const r = await solveGomoryHu(g);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') throw new Error('unreachable');
    expect(r.objective).toBe(expected);
    const weakest = r.solution.weakest[0]!;
    expect(weakest.weight).toBe(expected);
    expect(weakest.side.length).toBeGreaterThan(0);
    expect(weakest.side.length).toBeLessThan(g.n);
    const inside = new Set(weakest.side);
    let w = 0;
    for (let e = 0; e < g.m; e++) if (inside.has(g.ids[g.edgeU[e]!]!) !== inside.has(g.ids[g.edgeV[e]!]!)) w += g.edgeW[e]!;
    expect(w).toBe(expected);
  }

  it('test_graph1: topcoder graph with weights -> 4', async () => {
    await globalMinCut(fromEdgeList([['x', 'a', 3], ['x', 'b', 1], ['a', 'c', 3], ['b', 'c', 5], ['b', 'd', 4], ['d', 'e', 2], ['c', 'y', 2], ['e', 'y', 3]]), 4);
  });

  it('test_graph2: the same graph unweighted -> 2', async () => {
    await globalMinCut(fromEdgeList([['x', 'a'], ['x', 'b'], ['a', 'c'], ['b', 'c'], ['b', 'd'], ['d', 'e'], ['c', 'y'], ['e', 'y']]), 2);
  });

  it('test_graph3: Stoer and Wagner (1997) example -> 4', async () => {
    await globalMinCut(fromEdgeList([
      ['1', '2', 2], ['1', '5', 3], ['2', '3', 3], ['2', '5', 2], ['2', '6', 2], ['3', '4', 4],
      ['3', '7', 2], ['4', '7', 2], ['4', '8', 2], ['5', '6', 3], ['6', '7', 1], ['7', '8', 3],
    ]), 4);
  });

  it('test_weight_name: the cost attribute as weights -> 6', async () => {
    await globalMinCut(fromEdgeList([['1', '2', 8], ['1', '3', 2], ['2', '3', 4]]), 6);
  });

  it('test_exceptions: empty, one node, negative weight -> ModelError; two isolated nodes -> 0 (networkx refuses disconnected graphs)', async () => {
    await expect(solveGomoryHu(fromEdgeList([], { n: 0 }))).rejects.toThrow(ModelError);
    await expect(solveGomoryHu(fromEdgeList([], { n: 1 }))).rejects.toThrow(ModelError);
    await expect(Promise.resolve().then(() => solveGomoryHu(createGraph({ n: 2, edges: [[0, 1, -2]], allowNegative: true })))).rejects.toThrow(ModelError);
    const r = await solveGomoryHu(createGraph({ n: 2, edges: [] }));
    expect(r.objective).toBe(0);
  });
});

