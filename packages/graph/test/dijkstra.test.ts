import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph } from '@emplace/core';
import { allPairsShortestPaths, dijkstra, DijkstraSearch, shortestPath } from '@emplace/graph';
import { smallGraph } from './arbitraries.js';
import { bellmanFord } from './brute-force.js';

describe('dijkstra', () => {
  it('equals Bellman-Ford and paths add up', () => {
    fc.assert(
      fc.property(smallGraph(), fc.nat(), (g, s0) => {
        const s = s0 % g.n;
        const r = dijkstra(g, s);
        const ref = bellmanFord(g, s);
        for (let v = 0; v < g.n; v++) {
          expect(r.dist[v]).toBe(ref[v]);
          if (r.dist[v] !== Infinity && v !== s) {
            const e = r.predEdge[v]!;
            expect(r.dist[r.pred[v]!]! + g.edgeW[e]!).toBe(r.dist[v]);
            const path = shortestPath(r, v);
            expect(path[0]).toBe(s);
            expect(path[path.length - 1]).toBe(v);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('multi-source gives the distance to the nearest source and early exit is exact where it stops', () => {
    fc.assert(
      fc.property(smallGraph(), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.nat(), (g, raw, t0) => {
        const sources = raw.map((x) => x % g.n);
        const r = dijkstra(g, sources);
        for (let v = 0; v < g.n; v++) {
          const ref = Math.min(...sources.map((s) => bellmanFord(g, s)[v]!));
          expect(r.dist[v]).toBe(ref);
        }
        const t = t0 % g.n;
        const early = dijkstra(g, sources, { target: t });
        expect(early.dist[t]).toBe(r.dist[t]);
        const capped = dijkstra(g, sources, { maxDist: 10 });
        for (let v = 0; v < g.n; v++) expect(capped.dist[v]).toBe(r.dist[v]! <= 10 ? r.dist[v] : Infinity);
      }),
      { numRuns: 100 },
    );
  });

  it('a reused DijkstraSearch gives the same answers as fresh runs', () => {
    fc.assert(
      fc.property(smallGraph(), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (g, starts) => {
        const search = new DijkstraSearch(g);
        for (const s0 of starts) {
          search.run([s0 % g.n], -1, 7);
          const fresh = dijkstra(g, s0 % g.n, { maxDist: 7 });
          for (let v = 0; v < g.n; v++) if (search.isSettled(v)) expect(search.dist[v]).toBe(fresh.dist[v]);
        }
      }),
    );
  });

  it('all-pairs is symmetric and matches single-source runs', () => {
    fc.assert(
      fc.property(smallGraph(6), (g) => {
        const d = allPairsShortestPaths(g);
        for (let s = 0; s < g.n; s++) {
          const ref = bellmanFord(g, s);
          for (let v = 0; v < g.n; v++) {
            expect(d[s * g.n + v]).toBe(ref[v]);
            expect(d[s * g.n + v]).toBe(d[v * g.n + s]);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('names bad sources', () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 1]] });
    expect(() => dijkstra(g, 5)).toThrow(/source/);
    expect(() => dijkstra(g, [0, -1])).toThrow(/source\[1\]/);
  });
});
