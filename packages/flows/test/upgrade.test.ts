import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph } from '@emplace/core';
import { createMcfProblem, solveLinkUpgrade } from '@emplace/flows';
import { referenceLp, arbMcf, checkFlows } from './mcf-fixtures.js';

describe('link upgrade', () => {
  it('link upgrade equals the reference LP and makes the demands routable', async () => {
    await fc.assert(
      fc.asyncProperty(arbMcf, fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }), async (p, costs) => {
        const unitCost = Array.from({ length: p.graph.m }, (_, e) => costs[e]! + 1);
        const r = await solveLinkUpgrade(p, { unitCost });
        const ref = await referenceLp(p, 'upgrade', unitCost);
        if (ref.status !== 'optimal') {
          // Only infeasible when some demand has no path at all.
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        expect(r.objective!).toBeCloseTo(ref.objective!, 6);
        const upgraded = createMcfProblem({
          graph: p.graph,
          cost: p.cost,
          capacity: p.capacity.map((c, e) => c + r.solution!.added[e]! + 1e-7),
          commodities: Array.from(p.demand, (d, k) => ({ source: p.source[k]!, sink: p.sink[k]!, demand: d })),
        });
        checkFlows(upgraded, r.solution!.routing, 1);
      }),
      { numRuns: 30 },
    );
  });

  it('modular upgrades buy whole modules', async () => {
    const graph = createGraph({ n: 3, edges: [[0, 1, 4], [1, 2, 4]] });
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 2, demand: 9 }] });
    const r = await solveLinkUpgrade(p, { unitCost: [1, 2], moduleSize: 10 });
    expect(r.status).toBe('optimal');
    expect(Array.from(r.solution!.added)).toEqual([10, 10]);
    expect(r.objective).toBe(30);
  });
});
