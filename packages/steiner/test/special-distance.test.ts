import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dijkstra, UnionFind } from '@emplace/graph';
import { nearestTerminals, specialDistanceTest, WorkGraph } from '@emplace/steiner';
import { bruteForce, connectedInstance, reducedOptimum } from './helpers.js';

describe('special-distance (bottleneck Steiner distance) test', () => {
  it('deleting what it finds keeps the optimum', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const wg = new WorkGraph(p.graph, p.terminals);
        wg.specialDistanceTest();
        wg.degreeTests();
        wg.specialDistanceTest();
        expect(reducedOptimum(wg)).toBe(opt);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the terminals connected (a deleted edge has a cheaper way round)', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const dead = specialDistanceTest(p.graph, p.terminals);
        const uf = new UnionFind(p.graph.n);
        for (let e = 0; e < p.graph.m; e++) if (!dead[e]) uf.union(p.graph.edgeU[e]!, p.graph.edgeV[e]!);
        for (const t of p.terminals) expect(uf.connected(t, p.terminals[0]!)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the nearest terminal of every node is at its Dijkstra distance from the terminal set', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const near = nearestTerminals(p.graph, p.terminals, 2);
        for (let v = 0; v < p.graph.n; v++) {
          let best = Infinity;
          for (const t of p.terminals) best = Math.min(best, dijkstra(p.graph, t).dist[v]!);
          expect(near.dist[v * 2]!).toBe(best);
          if (near.term[v * 2 + 1]! >= 0) expect(near.dist[v * 2 + 1]!).toBeGreaterThanOrEqual(best);
        }
      }),
      { numRuns: 80 },
    );
  });
});
