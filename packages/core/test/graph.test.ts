import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, degree, ModelError, weightedDegrees } from '@emplace/core';

describe('createGraph', () => {
  it('builds a CSR adjacency listing each edge at both ends', () => {
    const g = createGraph({ nodes: ['a', 'b', 'c'], edges: [['a', 'b', 2], ['b', 'c']] });
    expect(g.n).toBe(3);
    expect(g.m).toBe(2);
    expect(degree(g, 1)).toBe(2);
    expect(Array.from(weightedDegrees(g))).toEqual([2, 3, 1]);
    const nb = Array.from(g.adjNode.subarray(g.offsets[1]!, g.offsets[2]!)).sort();
    expect(nb).toEqual([0, 2]);
  });

  it('collapses duplicates by the requested policy', () => {
    const edges: [number, number, number][] = [[0, 1, 5], [1, 0, 3], [0, 1, 4]];
    expect(Array.from(createGraph({ n: 2, edges, duplicates: 'last' }).edgeW)).toEqual([4]);
    expect(Array.from(createGraph({ n: 2, edges, duplicates: 'min' }).edgeW)).toEqual([3]);
    expect(Array.from(createGraph({ n: 2, edges, duplicates: 'sum' }).edgeW)).toEqual([12]);
    expect(createGraph({ n: 2, edges }).m).toBe(3);
    expect(() => createGraph({ n: 2, edges, duplicates: 'error' })).toThrowError(/edges\[1\] duplicates the edge/);
  });

  it('rejects bad input naming the edge', () => {
    expect(() => createGraph({ n: 2, edges: [[0, 1, -1]] })).toThrowError(/edges\[0\] weight is negative/);
    expect(() => createGraph({ n: 2, edges: [[0, 1, NaN]] })).toThrowError(/edges\[0\] weight is NaN/);
    expect(() => createGraph({ n: 2, edges: [[0, 2]] })).toThrowError(/edges\[0\]\[1\] must be a node index/);
    expect(() => createGraph({ n: 2, edges: [[1, 1]] })).toThrowError(ModelError);
    expect(createGraph({ n: 2, edges: [[1, 1], [0, 1]], selfLoops: 'drop' }).m).toBe(1);
  });

  it('has consistent CSR on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 0, max: 9 })), { maxLength: 30 })),
        ),
        ([n, raw]) => {
          const edges = raw.filter(([u, v]) => u !== v);
          const g = createGraph({ n, edges });
          expect(g.offsets[n]).toBe(2 * edges.length);
          for (let v = 0; v < n; v++) {
            for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) {
              const e = g.adjEdge[k]!;
              expect([g.edgeU[e], g.edgeV[e]]).toContain(v);
              expect(g.adjWeight[k]).toBe(g.edgeW[e]);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
