import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph } from '@emplace/core';
import { isSteinerTree, kmb, pruneLeaves, resteinerize } from '@emplace/steiner';
import { connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('tree utilities', () => {
  it('pruneLeaves removes non-terminal leaves repeatedly and keeps the order of the rest', () => {
    // Path 0-1-2-3 with terminals 0 and 1: edges 1-2 and 2-3 go.
    const g = createGraph({ n: 4, edges: [[0, 1, 1], [1, 2, 1], [2, 3, 1]] });
    expect(pruneLeaves(g, [0, 1, 2], Uint8Array.from([1, 1, 0, 0]))).toEqual([0]);
    expect(pruneLeaves(g, [2, 0, 1], Uint8Array.from([1, 0, 0, 1]))).toEqual([2, 0, 1]);
  });

  it('resteinerize never returns a worse tree', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const isT = terminalMask(p);
        const start = kmb(p.graph, p.terminals, isT);
        const out = resteinerize(p.graph, start, isT, p.terminals[0]!);
        expect(isSteinerTree(p.graph, out, p.terminals)).toBe(true);
        expect(treeCost(p.graph, out)).toBeLessThanOrEqual(treeCost(p.graph, start));
      }),
      { numRuns: 100 },
    );
  });
});
