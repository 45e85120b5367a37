import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, solve } from '@emplace/core';
import { argsortStable, argsortStableSteps, connectedComponents, fromEdgeList, kruskal, minimumSpanningTree, prim, UnionFind } from '@emplace/graph';
import { smallGraph } from './arbitraries.js';
import { bruteMst } from './brute-force.js';
import { drainSteps } from '../../core/test/support/steps.js';

describe('spanning trees', () => {
  it('argsortStable orders by key, ties by index (negative keys, -0 and +0 included)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0)), { maxLength: 60 }), (xs) => {
        const keys = Float64Array.from(xs);
        const got = Array.from(argsortStable(keys));
        const want = xs.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
        expect(got).toEqual(want);
      }),
    );
  });

  it('Kruskal and Prim give the brute-force minimum forest', () => {
    fc.assert(
      fc.property(smallGraph(6, 10), (g) => {
        const ref = bruteMst(g);
        const comps = connectedComponents(g).count;
        for (const f of [kruskal(g), prim(g), minimumSpanningTree(g)]) {
          expect(f.weight).toBe(ref);
          expect(f.edges.length).toBe(g.n - comps);
          expect(f.components).toBe(comps);
          const uf = new UnionFind(g.n);
          for (const e of f.edges) expect(uf.union(g.edgeU[e]!, g.edgeV[e]!)).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('the mst family solves through the registry', async () => {
    const g = fromEdgeList([[0, 1, 4], [1, 2, 1], [0, 2, 2]]);
    const r = await solve(g, { method: 'mst' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(3);
  });
});

describe('argsortStableSteps is cut inside its passes (issue 13)', () => {
  it('yields every ~64k keys (a pass over a million keys was one stretch) and sorts like the stable sort', () => {
    const rng = new Rng(5);
    const m = 300_000;
    const keys = Float64Array.from({ length: m }, () => (rng.int(2000) - 1000) / 7);
    const steps = argsortStableSteps(keys);
    const r = drainSteps(steps);
    const yields = r.pauses;
    // Mapping (5 chunks), order init (5), and per radix pass 2 x 5 chunks: well over the 5 checkpoints of one yield per pass.
    expect(yields).toBeGreaterThan(20);
    const expected = Array.from({ length: m }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
    expect(Array.from(r.value)).toEqual(expected);
  });
});
