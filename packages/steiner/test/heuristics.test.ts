import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { isSteinerTree, kmb, mehlhorn, pruneLeaves, ShortestPathHeuristic, shortestPathHeuristic } from '@emplace/steiner';
import { bruteForce, connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('construction heuristics', () => {
  it('KMB, Mehlhorn and the shortest-path heuristic give trees within twice the optimum', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const isT = terminalMask(p);
        for (const edges of [kmb(p.graph, p.terminals, isT), mehlhorn(p.graph, p.terminals, isT), shortestPathHeuristic(p.graph, p.terminals, isT, p.terminals[0]!)]) {
          expect(isSteinerTree(p.graph, edges, p.terminals)).toBe(true);
          const c = treeCost(p.graph, edges);
          expect(c).toBeGreaterThanOrEqual(opt);
          expect(c).toBeLessThanOrEqual(2 * opt + 1e-9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the steps version of the shortest-path heuristic grows the same tree', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const sph = new ShortestPathHeuristic(p.graph);
        const a = sph.run(p.terminals, p.terminals[0]!);
        const b = runSteps(sph.steps(p.terminals, p.terminals[0]!));
        expect(b).toEqual(a);
        expect(isSteinerTree(p.graph, pruneLeaves(p.graph, a, terminalMask(p)), p.terminals)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});
