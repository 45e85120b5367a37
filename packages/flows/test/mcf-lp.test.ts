import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError } from '@emplace/core';
import { createMcfProblem, flowNetworkFromGraph, solveMcfApprox, solveMcfLp, solveMinCostFlow } from '@emplace/flows';
import { referenceLp, arbMcf, checkFlows } from './mcf-fixtures.js';

describe('multi-commodity flow LP', () => {
  it('min-cost LP (source-aggregated) equals a per-commodity LP, and its flows are valid', async () => {
    await fc.assert(
      fc.asyncProperty(arbMcf, async (p) => {
        const r = await solveMcfLp(p);
        const ref = await referenceLp(p, 'min-cost');
        if (ref.status === 'infeasible') {
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        expect(r.objective!).toBeCloseTo(ref.objective!, 6);
        checkFlows(p, r.solution!, 1);
      }),
      { numRuns: 40 },
    );
  });

  it('one commodity: the MCF LP equals the network simplex min-cost flow', async () => {
    await fc.assert(
      fc.asyncProperty(arbMcf, async (p0) => {
        const p = createMcfProblem({ graph: p0.graph, cost: p0.cost, commodities: [{ source: p0.source[0]!, sink: p0.sink[0]!, demand: p0.demand[0]! }] });
        const supply = new Float64Array(p.graph.n);
        supply[p.source[0]!] = p.demand[0]!;
        supply[p.sink[0]!] = -p.demand[0]!;
        const ns = await solveMinCostFlow(flowNetworkFromGraph(p.graph, { capacity: p.capacity, cost: p.cost, supply }));
        const r = await solveMcfLp(p);
        expect(r.status).toBe(ns.status);
        if (ns.status === 'optimal') expect(r.objective!).toBeCloseTo(ns.objective, 6);
      }),
      { numRuns: 40 },
    );
  });

  it('reports infeasible min-cost routing with the concurrent ratio', async () => {
    const graph = createGraph({ n: 2, edges: [[0, 1, 4]] });
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 1, demand: 8 }] });
    const r = await solveMcfLp(p);
    if (r.status !== 'infeasible') throw new Error(r.status);
    expect(r.certificate!.reason).toMatch(/0\.5/);
  });

  it('stops at the time limit / abort with what it has', async () => {
    const graph = createGraph({ n: 3, edges: [[0, 1, 4], [1, 2, 4], [0, 2, 4]] });
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 2, demand: 3 }, { source: 1, sink: 0, demand: 2 }] });
    const gk = await solveMcfApprox(p, { timeLimitMs: 0 });
    expect(gk.stoppedBy).toBe('time-limit');
    expect(gk.status).toBe('no-solution');
    const ac = new AbortController();
    ac.abort();
    const lp = await solveMcfLp(p, { signal: ac.signal });
    expect(lp.stoppedBy).toBe('aborted');
    expect(lp.status).toBe('no-solution');
  });

  it('names bad fields', async () => {
    const graph = createGraph({ n: 2, edges: [[0, 1, 4]] });
    expect(() => createMcfProblem({ graph, commodities: [{ source: 0, sink: 5, demand: 1 }] })).toThrow(/commodities\[0\]\.sink/);
    expect(() => createMcfProblem({ graph, commodities: [{ source: 0, sink: 1, demand: -1 }] })).toThrow(ModelError);
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 1, demand: 1 }] });
    await expect(solveMcfApprox(p, { epsilon: 0.9 })).rejects.toThrow(/options\.epsilon/);
    return expect(solveMcfLp(p, { maxColumns: 1 })).rejects.toThrow(/maxColumns/);
  });
});
