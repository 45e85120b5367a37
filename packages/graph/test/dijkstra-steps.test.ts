import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph } from '@emplace/core';
import { DijkstraSearch } from '@emplace/graph';
import { smallGraph } from './arbitraries.js';

/**
 * Issue 13: DijkstraSearch.start / advance let a caller cut one search into steps (Mehlhorn's
 * Voronoi search on a 60k-edge graph was one stretch of 10-40 ms). Pieces of any size must
 * leave exactly the state of one run.
 */
describe('DijkstraSearch in steps (start / advance)', () => {
  it('advance with any budget ends in the same state as run (distances, predecessors, origins, settled set)', () => {
    fc.assert(
      fc.property(smallGraph(12, 40), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.option(fc.integer({ min: 0, max: 30 })), (g, s0, budget, cap) => {
        const sources = s0.map((s) => s % g.n);
        const maxDist = cap ?? Infinity;
        const whole = new DijkstraSearch(g);
        const settled = whole.run(sources, -1, maxDist);
        const split = new DijkstraSearch(g);
        split.start(sources, -1, maxDist);
        let pieces = 1;
        while (!split.advance(budget)) pieces++;
        expect(split.advance(budget)).toBe(true); // an ended search stays ended
        expect(Array.from(split.dist)).toEqual(Array.from(whole.dist));
        expect(Array.from(split.pred)).toEqual(Array.from(whole.pred));
        expect(Array.from(split.origin)).toEqual(Array.from(whole.origin));
        for (let v = 0; v < g.n; v++) expect(split.isSettled(v)).toBe(whole.isSettled(v));
        // Each piece but the last settles exactly `budget` nodes.
        expect(pieces).toBeGreaterThanOrEqual(Math.ceil(settled / budget));
      }),
      { numRuns: 200 },
    );
  });

  it('a budget smaller than the graph leaves the search unfinished, and a new start discards it', () => {
    const g = createGraph({ n: 4, edges: [[0, 1, 1], [1, 2, 1], [2, 3, 1]] });
    const s = new DijkstraSearch(g);
    s.start([0]);
    expect(s.advance(2)).toBe(false);
    expect(s.isSettled(3)).toBe(false);
    s.start([3]);
    while (!s.advance(1));
    expect(Array.from(s.dist)).toEqual([3, 2, 1, 0]);
  });
});
