import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, hasSolution, solve, type Graph } from '@emplace/core';
import { argsortStable, fromEdgeList, kruskal, prim } from '@emplace/graph';
import { kruskalSteps } from '../src/mst.js';
import { smallGraph } from './arbitraries.js';
import { bruteMst } from './brute-force.js';
import { abortAtRead, drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13 (mst:auto stall 95 ms on a million edges): Kruskal allocated ~28 MB of typed
 * arrays (a copy of the weights, two mapped-word arrays, the order), and V8 answers external
 * memory with full collections. The sort now reads its keys in place (the weights when they
 * are a Float64Array) and maps the words in each pass; the joins have a checkpoint every
 * 8192 edges. These tests check that nothing changed without a stop and that a stop gives up.
 */

/** A connected random graph of `n` nodes and about `m` edges with integer weights 1..100 (a spanning path plus random edges). */
function randomGraph(n: number, m: number, seed: number): Graph {
  const r = new Rng(seed);
  const edges: [number, number, number][] = [];
  for (let v = 1; v < n; v++) edges.push([r.int(v), v, 1 + r.int(100)]);
  while (edges.length < m) {
    const u = r.int(n);
    const v = r.int(n);
    if (u !== v) edges.push([u, v, 1 + r.int(100)]);
  }
  return fromEdgeList(edges);
}

describe('Kruskal sorting its keys in place (issue 13)', () => {
  it('the sort leaves its keys as they were', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true }), fc.constantFrom(0, -0)), { maxLength: 80 }), (xs) => {
        const keys = Float64Array.from(xs);
        const before = Array.from(keys);
        argsortStable(keys);
        expect(Array.from(keys)).toEqual(before);
        for (let i = 0; i < xs.length; i++) expect(Object.is(keys[i], before[i])).toBe(true);
      }),
    );
  });

  it('weights as a Float64Array (read in place) and as a plain array (copied) give the same forest, the brute-force weight', () => {
    fc.assert(
      fc.property(smallGraph(7, 14), fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 14, maxLength: 14 }), (g, ws) => {
        const plain = Array.from({ length: g.m }, (_, e) => ws[e]!);
        const typed = Float64Array.from(plain);
        const a = kruskal(g, { weights: typed });
        const b = kruskal(g, { weights: plain });
        expect(Array.from(a.edges)).toEqual(Array.from(b.edges));
        expect(a.weight).toBe(b.weight);
        expect(a.weight).toBe(prim(g, { weights: plain }).weight);
        expect(kruskal(g).weight).toBe(bruteMst(g));
      }),
      { numRuns: 150 },
    );
  });

  it('on graphs big enough to pause in the joins: the same tree whether drained in steps or solved through the registry', async () => {
    for (const seed of [1, 2, 3]) {
      const g = randomGraph(20_000, 60_000, seed);
      const drained = drainSteps(kruskalSteps(g));
      expect(drained.pauses).toBeGreaterThan(60_000 / 8192);
      const forest = drained.value!;
      expect(forest.edges.length).toBe(g.n - 1);
      expect(forest.weight).toBe(prim(g).weight);
      const r = await solve(g, { method: 'mst:kruskal' });
      if (!hasSolution(r)) throw new Error(`mst: ${r.status}`);
      expect(r.objective).toBe(forest.weight);
    }
  });

  it('a stop at any checkpoint gives up: no-solution and aborted (a partial forest spans nothing), or the whole tree after the last one', async () => {
    const g = randomGraph(5_000, 40_000, 9);
    const count = abortAtRead(Infinity);
    const full = await solve(g, { method: 'mst:kruskal', signal: count.signal });
    if (!hasSolution(full)) throw new Error('no tree without a stop');
    const reads = count.reads();
    expect(reads).toBeGreaterThan(5);
    for (let at = 1; at <= reads + 1; at++) {
      const r = await solve(g, { method: 'mst:kruskal', signal: abortAtRead(at).signal });
      if (r.stoppedBy === 'aborted') {
        expect(r.status).toBe('no-solution');
        continue;
      }
      expect(r.status).toBe('optimal');
      expect(r.objective).toBe(full.objective);
    }
  });
});
