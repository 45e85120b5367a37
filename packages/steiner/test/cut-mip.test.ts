import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutMip, isSteinerTree, kmb } from '@emplace/steiner';
import { bruteForce, connectedInstance, terminalMask, treeCost } from './helpers.js';

describe('cut MIP', () => {
  it('alone (no reductions) proves the brute-force optimum from a heuristic start', async () => {
    await fc.assert(
      fc.asyncProperty(connectedInstance(7), async (p) => {
        fc.pre(p.terminals.length >= 2);
        const opt = bruteForce(p);
        const isT = terminalMask(p);
        const start = kmb(p.graph, p.terminals, isT);
        const startCost = treeCost(p.graph, start);
        const r = await cutMip(p.graph, p.terminals, isT, { edges: start, cost: startCost }, { deadline: Infinity, integral: true });
        expect(r.proven).toBe(true);
        expect(r.lowerBound).toBeLessThanOrEqual(opt + 1e-9);
        expect(r.cost ?? startCost).toBe(opt);
        if (r.edges) expect(isSteinerTree(p.graph, r.edges, p.terminals)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('with a checkpoint that asks to stop, ends without claiming a proof it lacks', async () => {
    const p = fc.sample(connectedInstance(8).filter((q) => q.terminals.length >= 3), { seed: 3, numRuns: 1 })[0]!;
    const isT = terminalMask(p);
    const start = kmb(p.graph, p.terminals, isT);
    const startCost = treeCost(p.graph, start);
    const r = await cutMip(p.graph, p.terminals, isT, { edges: start, cost: startCost }, { deadline: Infinity, integral: true, tick: async () => true });
    expect(r.lowerBound).toBeLessThanOrEqual(bruteForce(p) + 1e-9);
    if (r.proven) expect(r.cost ?? startCost).toBe(bruteForce(p));
  });
});
