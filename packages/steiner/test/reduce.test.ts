import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dreyfusWagner, fromOriginalEdges, isSteinerTree, toOriginalEdges, WorkGraph } from '@emplace/steiner';
import { bruteForce, connectedInstance, treeCost } from './helpers.js';

describe('reductions (WorkGraph)', () => {
  it('degree, terminal and long-edge tests preserve the optimum, and trees map back to original trees', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const wg = new WorkGraph(p.graph, p.terminals);
        wg.degreeTests();
        wg.longEdgeTest();
        wg.degreeTests();
        const r = wg.compact();
        const dw = dreyfusWagner(r.graph, r.terminals, r.isTerminal)!;
        expect(dw.cost + r.fixedCost).toBe(opt);
        const orig = toOriginalEdges(r, dw.edges);
        expect(treeCost(p.graph, orig)).toBe(opt);
        expect(isSteinerTree(p.graph, orig, p.terminals)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('building with loadSteps equals building at once; compact keeps every live edge once', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const a = new WorkGraph(p.graph, p.terminals);
        const b = new WorkGraph(p.graph, p.terminals, false);
        for (const _ of b.loadSteps(p.graph));
        expect(b.edgeCount()).toBe(a.edgeCount());
        const r = a.compact();
        expect(r.graph.m).toBe(a.edgeCount());
        // Every reduced edge stands for original edges; all reduced edges map back from the full mask.
        const mask = new Uint8Array(p.graph.m).fill(1);
        expect(fromOriginalEdges(r, mask).length).toBe(r.graph.m);
      }),
      { numRuns: 100 },
    );
  });
});
