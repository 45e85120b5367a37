import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connectedComponents, csrComponents, csrComponentsSteps, UnionFind } from '@emplace/graph';
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

  it('csrComponentsSteps with a small step gives csrComponents and checkpoints as the entries scanned say', () => {
    fc.assert(
      fc.property(smallGraph(), fc.integer({ min: 1, max: 8 }), (g, step) => {
        const steps = csrComponentsSteps(g.n, g.offsets, g.adjNode, g.adjWeight, step);
        let pauses = 0;
        let r = steps.next();
        while (!r.done) {
          pauses++;
          r = steps.next();
        }
        const whole = csrComponents(g.n, g.offsets, g.adjNode, g.adjWeight);
        expect(r.value.count).toBe(whole.count);
        expect(Array.from(r.value.component)).toEqual(Array.from(whole.component));
        expect(Array.from(r.value.sizes)).toEqual(Array.from(whole.sizes));
        // One entry per node and one per adjacency entry are scanned: n + 2m in all.
        expect(pauses).toBeGreaterThanOrEqual(Math.floor((g.n + 2 * g.m) / (step + 64)));
        expect(pauses).toBeLessThanOrEqual(Math.floor((g.n + 2 * g.m) / step));
      }),
    );
  });
});
