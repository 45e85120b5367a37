import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import {
  allPairsShortestPaths,
  argsortStable,
  connectedComponents,
  dijkstra,
  DijkstraSearch,
  fromEdgeList,
  fromGraphology,
  IndexedMinHeap,
  kruskal,
  maxFlow,
  minimumSpanningTree,
  prim,
  shortestPath,
  UnionFind,
} from '@emplace/graph';
import { smallGraph } from './arbitraries.js';

function bellmanFord(g: Graph, s: number): Float64Array {
  const d = new Float64Array(g.n).fill(Infinity);
  d[s] = 0;
  for (let it = 0; it < g.n; it++) {
    for (let e = 0; e < g.m; e++) {
      const u = g.edgeU[e]!, v = g.edgeV[e]!, w = g.edgeW[e]!;
      if (d[u]! + w < d[v]!) d[v] = d[u]! + w;
      if (d[v]! + w < d[u]!) d[u] = d[v]! + w;
    }
  }
  return d;
}

/** Brute-force minimum spanning forest weight: every edge subset of size n - components that is acyclic. */
function bruteMst(g: Graph): number {
  const comps = connectedComponents(g).count;
  const need = g.n - comps;
  let best = Infinity;
  const rec = (start: number, uf: number[], taken: number, w: number): void => {
    if (taken === need) {
      best = Math.min(best, w);
      return;
    }
    for (let e = start; e < g.m; e++) {
      const find = (x: number): number => (uf[x] === x ? x : find(uf[x]!));
      const a = find(g.edgeU[e]!), b = find(g.edgeV[e]!);
      if (a === b) continue;
      const next = uf.slice();
      next[a] = b;
      rec(e + 1, next, taken + 1, w + g.edgeW[e]!);
    }
  };
  rec(0, Array.from({ length: g.n }, (_, i) => i), 0, 0);
  return best;
}

/** Brute-force min cut: every node subset containing s but not t. */
function bruteMinCut(g: Graph, s: number, t: number): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << g.n; mask++) {
    if (!(mask & (1 << s)) || mask & (1 << t)) continue;
    let c = 0;
    for (let e = 0; e < g.m; e++) if (((mask >> g.edgeU[e]!) & 1) !== ((mask >> g.edgeV[e]!) & 1)) c += g.edgeW[e]!;
    best = Math.min(best, c);
  }
  return best;
}

describe('IndexedMinHeap', () => {
  it('pops in key order with decrease-key', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 80 }), (ops) => {
        const h = new IndexedMinHeap(31);
        const best = new Map<number, number>();
        for (const [item, key] of ops) {
          h.push(item, key);
          best.set(item, Math.min(best.get(item) ?? Infinity, key));
        }
        const out: number[] = [];
        while (h.size > 0) {
          const i = h.pop();
          out.push(best.get(i)!);
        }
        expect(out.length).toBe(best.size);
        for (let k = 1; k < out.length; k++) expect(out[k]!).toBeGreaterThanOrEqual(out[k - 1]!);
      }),
    );
  });
});

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

describe('maxFlow', () => {
  it('max-flow value = capacity of the returned cut = brute-force min cut; flow is feasible and conserved', () => {
    fc.assert(
      fc.property(smallGraph(7, 16), fc.nat(), fc.nat(), (g, a, b) => {
        fc.pre(g.n >= 2);
        const s = a % g.n;
        const t = (s + 1 + (b % (g.n - 1))) % g.n;
        const r = maxFlow(g, s, t);
        expect(r.value).toBeCloseTo(bruteMinCut(g, s, t), 9);
        expect(r.cutCapacity).toBeCloseTo(r.value, 9);
        expect(r.cut[s]).toBe(1);
        expect(r.cut[t]).toBe(0);
        const net = new Float64Array(g.n);
        for (let e = 0; e < g.m; e++) {
          expect(Math.abs(r.flow[e]!)).toBeLessThanOrEqual(g.edgeW[e]! + 1e-9);
          net[g.edgeU[e]!]! -= r.flow[e]!;
          net[g.edgeV[e]!]! += r.flow[e]!;
        }
        for (let v = 0; v < g.n; v++) if (v !== s && v !== t) expect(Math.abs(net[v]!)).toBeLessThan(1e-9);
        expect(net[t]).toBeCloseTo(r.value, 9);
      }),
      { numRuns: 150 },
    );
  });

  it('directed mode respects arc directions', () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 5], [2, 1, 5], [0, 2, 1]] });
    expect(maxFlow(g, 0, 1, { directed: true }).value).toBe(5 + 1);
    expect(maxFlow(g, 1, 0, { directed: true }).value).toBe(0);
  });

  it('the maxflow family reads source and sink by id', async () => {
    const g = fromEdgeList([['a', 'b', 3], ['b', 'c', 2], ['a', 'c', 1]]);
    const r = await solve(g, { method: 'maxflow', source: 'a', sink: 'c' });
    expect(r.objective).toBe(3);
    expect(r.bound).toBe(3);
    await expect(Promise.resolve().then(() => solve(g, { method: 'maxflow', source: 'a', sink: 'zz' }))).rejects.toThrow(ModelError);
  });
});

describe('adapters', () => {
  it('fromEdgeList takes tuples, objects and string ids', () => {
    const g = fromEdgeList([{ source: 'x', target: 'y', weight: 2 }, ['y', 'z']]);
    expect(g.ids).toEqual(['x', 'y', 'z']);
    expect(Array.from(g.edgeW)).toEqual([2, 1]);
    expect(fromEdgeList([[0, 4, 1]]).n).toBe(5);
    expect(() => fromEdgeList([[0, 1, -1]])).toThrow(/weight/);
  });

  it('fromGraphology reads a graphology-shaped object', () => {
    const nodes = ['a', 'b', 'c'];
    const edges: [string, string, Record<string, unknown>][] = [['a', 'b', { weight: 2 }], ['b', 'a', { weight: 1 }], ['b', 'c', {}], ['c', 'c', {}]];
    const fake = {
      forEachNode: (cb: (k: string, a: Record<string, unknown>) => void) => nodes.forEach((k) => cb(k, {})),
      forEachEdge: (cb: (e: string, a: Record<string, unknown>, s: string, t: string) => void) => edges.forEach(([s, t, a], i) => cb(String(i), a, s, t)),
    };
    const g = fromGraphology(fake);
    expect(g.n).toBe(3);
    expect(g.m).toBe(2);
    expect(Array.from(g.edgeW).sort()).toEqual([1, 1]);
    expect(() => fromGraphology({} as never)).toThrow(ModelError);
  });
});
