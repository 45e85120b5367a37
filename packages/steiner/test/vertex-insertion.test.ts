import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, runSteps } from '@emplace/core';
import { createSteinerProblem, isSteinerTree, kmb, VertexInsertion } from '@emplace/steiner';
import { connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('vertex insertion', () => {
  it('never makes a tree worse and keeps it a Steiner tree', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const isT = terminalMask(p);
        const start = kmb(p.graph, p.terminals, isT);
        const out = runSteps(new VertexInsertion(p.graph, isT).steps(start, p.terminals[0]!, () => false));
        expect(isSteinerTree(p.graph, out.edges, p.terminals)).toBe(true);
        expect(treeCost(p.graph, out.edges)).toBeLessThanOrEqual(treeCost(p.graph, start));
      }),
      { numRuns: 150 },
    );
  });

  it('inserts a hub: the star through node 3 replaces the path 0-1-2', () => {
    // Terminals 0, 1, 2 joined by edges of 10; node 3 reaches each for 4.
    const g = createGraph({ n: 4, edges: [[0, 1, 10], [1, 2, 10], [0, 3, 4], [1, 3, 4], [2, 3, 4]] });
    const p = createSteinerProblem(g, [0, 1, 2]);
    const out = runSteps(new VertexInsertion(g, terminalMask(p)).steps([0, 1], 0, () => false));
    expect(treeCost(g, out.edges)).toBe(12);
    expect(out.moves).toBe(1);
  });
});
