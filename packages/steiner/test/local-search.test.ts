import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { isSteinerTree, kmb, SteinerLocalSearch } from '@emplace/steiner';
import { bruteForce, connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('local search', () => {
  it('never makes a tree worse, keeps it a Steiner tree, and each neighbourhood alone does the same', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const isT = terminalMask(p);
        const start = kmb(p.graph, p.terminals, isT);
        const ls = new SteinerLocalSearch(p.graph, isT);
        for (const out of [ls.improve(start, p.terminals[0]!), ls.keyPathExchange(start), ls.keyVertexElimination(start), ls.vertexInsertion(start, p.terminals[0]!)]) {
          expect(isSteinerTree(p.graph, out, p.terminals)).toBe(true);
          expect(treeCost(p.graph, out)).toBeLessThanOrEqual(treeCost(p.graph, start) + 1e-9);
          expect(treeCost(p.graph, out)).toBeGreaterThanOrEqual(opt);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('improveSteps gives the tree improve gives', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const isT = terminalMask(p);
        const start = kmb(p.graph, p.terminals, isT);
        const a = new SteinerLocalSearch(p.graph, isT).improve(start, p.terminals[0]!);
        const b = runSteps(new SteinerLocalSearch(p.graph, isT).improveSteps(start, p.terminals[0]!));
        expect(b).toEqual(a);
      }),
      { numRuns: 80 },
    );
  });
});
