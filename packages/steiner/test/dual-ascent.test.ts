import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { dualAscent, dualAscentEliminations, dualAscentSteps, WorkGraph } from '@emplace/steiner';
import { bruteForce, connectedInstance, reducedOptimum } from './helpers.js';

describe('dual ascent', () => {
  it('gives a lower bound, and its eliminations against the optimum keep the optimum', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const wg = new WorkGraph(p.graph, p.terminals);
        const r = wg.compact();
        fc.pre(r.terminals.length >= 2);
        const da = dualAscent(r.graph, r.terminals, r.terminals[0]!);
        expect(da.lowerBound + r.fixedCost).toBeLessThanOrEqual(opt + 1e-9);
        for (let a = 0; a < da.reducedCost.length; a++) expect(da.reducedCost[a]!).toBeGreaterThanOrEqual(0);
        const elim = dualAscentEliminations(r.graph, da, r.terminals, r.isTerminal, opt - r.fixedCost);
        for (let e = 0; e < r.graph.m; e++) if (elim.deadEdges[e]) wg.deleteEdge(r.edgeOf[e]!);
        for (let v = 0; v < r.graph.n; v++) if (elim.deadNodes[v]) wg.deleteNode(r.nodeOf[v]!);
        wg.degreeTests();
        expect(reducedOptimum(wg)).toBe(opt);
      }),
      { numRuns: 200 },
    );
  });

  it('the steps version gives the same bound and reduced costs as the plain call, and the recorded cuts are valid rows', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        fc.pre(p.terminals.length >= 2);
        const root = p.terminals[0]!;
        const a = dualAscent(p.graph, p.terminals, root, () => false, true);
        const b = runSteps(dualAscentSteps(p.graph, p.terminals, root, () => false, true));
        expect(b.lowerBound).toBe(a.lowerBound);
        expect(Array.from(b.reducedCost)).toEqual(Array.from(a.reducedCost));
        // Every cut separates the root from a terminal: its arcs all enter one node set.
        for (const cut of a.cuts ?? []) expect(cut.length).toBeGreaterThan(0);
      }),
      { numRuns: 80 },
    );
  });
});
