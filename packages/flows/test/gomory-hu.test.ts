import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, type Graph } from '@emplace/core';
import { allPairsMinCut, minCut, solveGomoryHu, subtreeSide, weakestCuts } from '@emplace/flows';

const arbGraph = fc
  .record({
    n: fc.integer({ min: 2, max: 8 }),
    edges: fc.array(fc.tuple(fc.nat(7), fc.nat(7), fc.integer({ min: 0, max: 9 })), { maxLength: 20 }),
  })
  .map(({ n, edges }) =>
    createGraph({ n, edges: edges.filter(([u, v]) => u % n !== v % n).map(([u, v, w]) => [u % n, v % n, w] as const) }),
  );

function cutValue(g: Graph, side: ArrayLike<number>): number {
  let c = 0;
  for (let e = 0; e < g.m; e++) if (side[g.edgeU[e]!] !== side[g.edgeV[e]!]) c += g.edgeW[e]!;
  return c;
}

/** Minimum s-t cut by enumerating every node subset. */
function bruteMinCut(g: Graph, s: number, t: number): number {
  let best = Infinity;
  const side = new Uint8Array(g.n);
  for (let mask = 0; mask < 1 << g.n; mask++) {
    if (!(mask >> s & 1) || (mask >> t & 1)) continue;
    for (let v = 0; v < g.n; v++) side[v] = (mask >> v) & 1;
    best = Math.min(best, cutValue(g, side));
  }
  return best;
}

describe('Gomory-Hu tree (Gusfield)', () => {
  it('gives every pairwise min cut (brute force) and every tree edge is a real cut of its weight', async () => {
    await fc.assert(
      fc.asyncProperty(arbGraph, async (g) => {
        const r = await solveGomoryHu(g);
        expect(r.status).toBe('optimal');
        const tree = r.solution!.gomoryHu;
        expect(r.solution!.tree).toHaveLength(g.n - 1);
        const all = allPairsMinCut(tree);
        let globalMin = Infinity;
        for (let s = 0; s < g.n; s++) {
          for (let t = s + 1; t < g.n; t++) {
            const want = bruteMinCut(g, s, t);
            globalMin = Math.min(globalMin, want);
            expect(minCut(tree, s, t).value).toBe(want);
            expect(all[s * g.n + t]).toBe(want);
            expect(all[t * g.n + s]).toBe(want);
          }
        }
        expect(r.objective).toBe(globalMin);
        for (let v = 1; v < g.n; v++) expect(cutValue(g, subtreeSide(tree, v))).toBe(tree.weight[v]);
        const weak = weakestCuts(tree, g.n);
        for (let k = 1; k < weak.length; k++) expect(weak[k]!.weight).toBeGreaterThanOrEqual(weak[k - 1]!.weight);
      }),
      { numRuns: 150 },
    );
  });

  it('uses the node ids of the graph', async () => {
    const g = createGraph({ nodes: ['a', 'b', 'c'], edges: [['a', 'b', 3], ['b', 'c', 1], ['a', 'c', 1]] });
    const r = await solveGomoryHu(g);
    expect(r.objective).toBe(2);
    expect(minCut(r.solution!.gomoryHu, 'a', 'b').value).toBe(4);
    const weak = r.solution!.weakest[0]!;
    expect(weak.weight).toBe(2);
    expect(weak.side).toEqual(['c']);
  });

  it('rejects negative capacities naming the edge', async () => {
    const g = createGraph({ n: 2, edges: [[0, 1, -1]], allowNegative: true });
    await expect(solveGomoryHu(g)).rejects.toThrow(ModelError);
    await expect(solveGomoryHu(g)).rejects.toThrow(/edges\[0\]/);
  });
});
