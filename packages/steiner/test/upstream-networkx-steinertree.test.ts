/**
 * Cases restated from networkx's Steiner tree approximation tests
 * (networkx algorithms/approximation/tests/test_steinertree.py, run there for method="kou"
 * and method="mehlhorn"): the graphs G1..G4 with their terminals and the edge sets networkx
 * accepts, the multigraph (cheapest parallel edge), the star and 3-cycle with a `distance`
 * weight, and a path whose non-terminal leaves must be pruned. Checked against our
 * `kmb` (Kou-Markowsky-Berman) and `mehlhorn`, and the registry's steiner:kmb /
 * steiner:mehlhorn; the exact methods must reach at most the same weight.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGraph, solve, type Graph, type Result } from '@emplace/core';
import { fromEdgeList } from '@emplace/graph';
import { createSteinerProblem, edgeCost, isSteinerTree, kmb, mehlhorn, solveSteiner, type SteinerTree } from '@emplace/steiner';

type W = [number, number, number];

const G1: W[] = [[1, 2, 10], [2, 3, 10], [3, 4, 10], [4, 5, 10], [5, 6, 10], [2, 7, 1], [7, 5, 1]];
const G2: W[] = [[0, 5, 6], [1, 2, 2], [1, 5, 3], [2, 4, 4], [3, 5, 5], [4, 5, 1]];
const G3: W[] = [
  [1, 2, 8], [1, 9, 3], [1, 8, 6], [1, 10, 2], [1, 14, 3], [2, 3, 6], [3, 4, 3], [3, 10, 2], [3, 11, 1],
  [4, 5, 1], [4, 11, 1], [5, 6, 4], [5, 11, 2], [5, 12, 1], [5, 13, 3], [6, 7, 2], [6, 12, 3], [6, 13, 1],
  [7, 8, 3], [7, 9, 3], [7, 11, 5], [7, 13, 2], [7, 14, 4], [8, 9, 2], [9, 14, 1], [10, 11, 2], [10, 14, 1],
  [11, 12, 1], [11, 14, 7], [12, 14, 3], [12, 15, 1], [13, 14, 4], [13, 15, 1], [14, 15, 2],
];

/** The valid trees of test_steiner_tree, as sorted [u, v, w] with u < v. */
const VALID: [W[], number[], W[][]][] = [
  [G1, [1, 2, 3, 4, 5], [
    [[1, 2, 10], [2, 3, 10], [2, 7, 1], [3, 4, 10], [5, 7, 1]],
    [[1, 2, 10], [2, 7, 1], [3, 4, 10], [4, 5, 10], [5, 7, 1]],
    [[1, 2, 10], [2, 3, 10], [2, 7, 1], [4, 5, 10], [5, 7, 1]],
  ]],
  [G2, [0, 2, 3], [
    [[0, 5, 6], [1, 2, 2], [1, 5, 3], [3, 5, 5]],
    [[0, 5, 6], [2, 4, 4], [3, 5, 5], [4, 5, 1]],
  ]],
  [G3, [1, 3, 5, 6, 8, 10, 11, 12, 13], [
    [[1, 10, 2], [3, 10, 2], [3, 11, 1], [5, 12, 1], [6, 13, 1], [8, 9, 2], [9, 14, 1], [10, 14, 1], [11, 12, 1], [12, 15, 1], [13, 15, 1]],
  ]],
];

type Heuristic = (g: Graph, terminals: Int32Array, isTerminal: Uint8Array) => number[];
const METHODS: [string, Heuristic][] = [['kmb', kmb], ['mehlhorn', mehlhorn]];

/** Graph with node ids "0".."max" so that ids equal the upstream labels. */
function graphOf(edges: readonly W[], n?: number): Graph {
  return fromEdgeList(edges, n !== undefined ? { n } : {});
}

function runHeuristic(h: Heuristic, g: Graph, terminals: readonly number[]): number[] {
  const t = Int32Array.from(terminals);
  const isT = new Uint8Array(g.n);
  for (const v of terminals) isT[v] = 1;
  const edges = h(g, t, isT);
  expect(isSteinerTree(g, edges, t)).toBe(true);
  return edges;
}

function triples(g: Graph, edges: Iterable<number>): W[] {
  return [...edges]
    .map((e): W => [Math.min(g.edgeU[e]!, g.edgeV[e]!), Math.max(g.edgeU[e]!, g.edgeV[e]!), g.edgeW[e]!])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

const cost = (ts: readonly W[]): number => ts.reduce((s, t) => s + t[2], 0);

describe('networkx test_steinertree.py cases', () => {
  for (const [name, h] of METHODS) {
    describe(name, () => {
      it('test_steiner_tree: G1, G2, G3 -> one of networkx\'s valid trees (weights 32, 16, 14)', async () => {
        const weights = [32, 16, 14];
        for (const [k, [edges, terminals, valid]] of VALID.entries()) {
          const g = graphOf(edges);
          const got = triples(g, runHeuristic(h, g, terminals));
          expect(valid).toContainEqual(got);
          expect(cost(got)).toBe(weights[k]);
          const r = (await solve(createSteinerProblem(g, terminals), { method: `steiner:${name}` })) as Result<SteinerTree>;
          expect(r.objective).toBe(weights[k]);
          expect(valid).toContainEqual(triples(g, r.solution!.edges));
        }
      });

      it('test_multigraph_steiner_tree: the weight-1 edge of the parallel 2-3 pair is used', () => {
        const g = graphOf([[1, 2, 1], [2, 3, 999], [2, 3, 1], [3, 4, 1], [3, 5, 1]]);
        const edges = runHeuristic(h, g, [2, 4, 5]);
        expect([...edges].sort()).toEqual([2, 3, 4]);
      });

      it('test_weighted: G4 unit weights -> (0,2),(2,3),(2,4); my_weight -> (0,1),(1,2),(2,3),(2,4)', () => {
        // G4: (0,2) my_weight 2, (0,1) 0.1, (1,2) 0.1, (2,3) 1, (2,4) none (networkx default 1).
        const unit = graphOf([[0, 2, 1], [0, 1, 1], [1, 2, 1], [2, 3, 1], [2, 4, 1]]);
        expect(triples(unit, runHeuristic(h, unit, [0, 3, 4]))).toEqual([[0, 2, 1], [2, 3, 1], [2, 4, 1]]);
        const weighted = graphOf([[0, 2, 2], [0, 1, 0.1], [1, 2, 0.1], [2, 3, 1], [2, 4, 1]]);
        expect(triples(weighted, runHeuristic(h, weighted, [0, 3, 4]))).toEqual([[0, 1, 0.1], [1, 2, 0.1], [2, 3, 1], [2, 4, 1]]);
      });

      it('test_steiner_tree_weight_attribute / test_steiner_tree_methods: star_graph(4), terminals 1, 3 -> (0,1),(0,3)', () => {
        for (const w of [10, 1]) {
          const g = graphOf([[0, 1, w], [0, 2, w], [0, 3, w], [0, 4, w]]);
          expect(triples(g, runHeuristic(h, g, [1, 3]))).toEqual([[0, 1, w], [0, 3, w]]);
        }
      });

      it('test_steiner_tree_multigraph_weight_attribute: 3-cycle of 10s plus a parallel (2,0) of 5, all terminals -> 15', () => {
        const g = graphOf([[0, 1, 10], [1, 2, 10], [2, 0, 10], [2, 0, 5]]);
        const edges = runHeuristic(h, g, [0, 1, 2]);
        expect(edges.length).toBe(2);
        expect(edges).toContain(3);
        expect(cost(triples(g, edges))).toBe(15);
      });

      it('test_steiner_tree_remove_non_terminal_leaves_self_loop_edges: path 0..9 with self-loops, terminals 4..7 -> the path 4-5-6-7', () => {
        // Self-loops on 2, 3, 4, 7, 8 are dropped by the graph (createSteinerProblem ignores them too).
        const path: [number, number, number][] = [];
        for (let i = 0; i < 9; i++) path.push([i, i + 1, 1]);
        const g = createGraph({ n: 10, edges: [...path, [2, 2, 1], [3, 3, 1], [4, 4, 1], [7, 7, 1], [8, 8, 1]], selfLoops: 'drop' });
        expect(triples(g, runHeuristic(h, g, [4, 5, 6, 7]))).toEqual([[4, 5, 1], [5, 6, 1], [6, 7, 1]]);
      });
    });
  }

  it('the exact methods reach at most the networkx approximations\' weights (32, 16, 14)', async () => {
    const weights = [32, 16, 14];
    for (const [k, [edges, terminals]] of VALID.entries()) {
      const p = createSteinerProblem(graphOf(edges), terminals);
      for (const method of ['auto', 'dreyfus-wagner'] as const) {
        const r = await solveSteiner(p, { method });
        expect(r.status).toBe('optimal');
        expect(r.objective).toBeLessThanOrEqual(weights[k]!);
      }
    }
  });
});

describe('extra instances with networkx\'s answers', () => {
  it('80 random graphs (distinct-ish integer weights): kmb = networkx kou and mehlhorn = networkx mehlhorn, weight for weight', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-random-steiner.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number][], number[], number, number][];
    };
    for (const [i, [n, edges, terminals, kou, meh]] of doc.instances.entries()) {
      const g = createGraph({ n, edges });
      expect([i, edgeCost(g, runHeuristic(kmb, g, terminals)), edgeCost(g, runHeuristic(mehlhorn, g, terminals))]).toEqual([i, kou, meh]);
    }
  });
});

