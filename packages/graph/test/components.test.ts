import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connectedComponents, UnionFind } from '@emplace/graph';
import { smallGraph } from './arbitraries.js';

describe('components and union-find', () => {
  it('components agree with union-find', () => {
    fc.assert(
      fc.property(smallGraph(), (g) => {
        const c = connectedComponents(g);
        const uf = new UnionFind(g.n);
        for (let e = 0; e < g.m; e++) uf.union(g.edgeU[e]!, g.edgeV[e]!);
        expect(c.count).toBe(uf.count);
        for (let u = 0; u < g.n; u++) for (let v = 0; v < g.n; v++) expect(c.component[u] === c.component[v]).toBe(uf.connected(u, v));
        expect(c.sizes.reduce((a, b) => a + b, 0)).toBe(g.n);
      }),
    );
  });
});
