import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dreyfusWagner, dreyfusWagnerFits, isSteinerTree } from '@emplace/steiner';
import { bruteForce, connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('dreyfus-wagner', () => {
  it('equals brute force, with a tree of the cost it reports', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const dw = dreyfusWagner(p.graph, p.terminals, terminalMask(p))!;
        expect(dw.cost).toBe(bruteForce(p));
        expect(isSteinerTree(p.graph, dw.edges, p.terminals)).toBe(true);
        expect(treeCost(p.graph, dw.edges)).toBe(dw.cost);
      }),
      { numRuns: 150 },
    );
  });

  it('says when the 2^(k-1) n table does not fit', () => {
    expect(dreyfusWagnerFits(100, 5)).toBe(true);
    expect(dreyfusWagnerFits(100_000, 40)).toBe(false);
  });
});
