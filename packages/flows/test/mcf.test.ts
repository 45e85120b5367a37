import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, type Graph } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import {
  createMcfProblem,
  flowNetworkFromGraph,
  solveLinkUpgrade,
  solveMcfApprox,
  solveMcf,
  solveMcfLp,
  solveMinCostFlow,
  type McfProblem,
  type McfSolution,
} from '@emplace/flows';

/**
 * Independent reference: one flow per commodity (no aggregation), variables f_k,e in
 * [-cap, cap] split as two non-negative parts, written from scratch here.
 */
async function referenceLp(p: McfProblem, mode: 'min-cost' | 'max-concurrent' | 'upgrade', unitCost?: number[]): Promise<{ status: string; objective?: number }> {
  const g = p.graph;
  const K = p.demand.length;
  const lp = new LinearModel(mode === 'max-concurrent' ? 'max' : 'min');
  const col = (k: number, e: number, dir: 0 | 1) => (k * g.m + e) * 2 + dir;
  for (let k = 0; k < K; k++) {
    for (let e = 0; e < g.m; e++) {
      const c = mode === 'min-cost' ? p.weight[k]! * p.cost[e]! : 0;
      lp.addVariable({ obj: c });
      lp.addVariable({ obj: c });
    }
  }
  const lam = mode === 'max-concurrent' ? lp.addVariable({ obj: 1 }) : -1;
  const y0 = lp.numVariables;
  if (mode === 'upgrade') for (let e = 0; e < g.m; e++) lp.addVariable({ obj: unitCost![e]! });
  for (let k = 0; k < K; k++) {
    for (let v = 0; v < g.n; v++) {
      const idx: number[] = [];
      const val: number[] = [];
      for (let e = 0; e < g.m; e++) {
        if (g.edgeU[e] === v) idx.push(col(k, e, 0), col(k, e, 1)), val.push(1, -1);
        if (g.edgeV[e] === v) idx.push(col(k, e, 0), col(k, e, 1)), val.push(-1, 1);
      }
      const b = v === p.source[k] ? p.demand[k]! : v === p.sink[k] ? -p.demand[k]! : 0;
      if (lam >= 0) {
        if (b !== 0) idx.push(lam), val.push(-b);
        lp.addEq(idx, val, 0);
      } else lp.addEq(idx, val, b);
    }
  }
  for (let e = 0; e < g.m; e++) {
    const idx: number[] = [];
    const val: number[] = [];
    for (let k = 0; k < K; k++) idx.push(col(k, e, 0), col(k, e, 1)), val.push(1, 1);
    if (mode === 'upgrade') idx.push(y0 + e), val.push(-1);
    lp.addLe(idx, val, p.capacity[e]!);
  }
  const r = await solveLp(lp);
  return r.objective !== undefined ? { status: r.status, objective: r.objective } : { status: r.status };
}

const arbMcf = fc
  .record({
    n: fc.integer({ min: 3, max: 6 }),
    edges: fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 5 })), { minLength: 2, maxLength: 12 }),
    comms: fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 5 }),
  })
  .map(({ n, edges, comms }) => {
    const es = edges.filter(([u, v]) => u % n !== v % n);
    const graph = createGraph({ n, edges: es.map(([u, v, c]) => [u % n, v % n, c] as const) });
    const commodities = comms.filter(([s, t]) => s % n !== t % n).map(([s, t, d, w]) => ({ source: s % n, sink: t % n, demand: d, weight: w }));
    return createMcfProblem({ graph, cost: es.map((e) => e[3]), commodities });
  })
  .filter((p) => p.demand.length > 0);

/** Each commodity's flow conserves at every node and delivers lambda x demand; loads within capacity. */
function checkFlows(p: McfProblem, s: McfSolution, lambda: number): void {
  const g: Graph = p.graph;
  const load = new Float64Array(g.m);
  for (let k = 0; k < p.demand.length; k++) {
    const f = s.commodityFlow[k]!;
    const bal = new Float64Array(g.n);
    for (let e = 0; e < g.m; e++) {
      bal[g.edgeU[e]!]! += f[e]!;
      bal[g.edgeV[e]!]! -= f[e]!;
      load[e]! += Math.abs(f[e]!);
    }
    for (let v = 0; v < g.n; v++) {
      const want = v === p.source[k] ? lambda * p.demand[k]! : v === p.sink[k] ? -lambda * p.demand[k]! : 0;
      expect(Math.abs(bal[v]! - want)).toBeLessThan(1e-6);
    }
    const pathTotal = s.paths[k]!.reduce((a, q) => a + q.amount, 0);
    if (s.paths[k]!.length > 0) expect(pathTotal).toBeCloseTo(lambda * p.demand[k]!, 6);
  }
  for (let e = 0; e < g.m; e++) expect(load[e]!).toBeLessThanOrEqual(p.capacity[e]! + 1e-6);
}

describe('multi-commodity flow', () => {
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

  it('max-concurrent LP equals the reference; Garg-Koenemann is within (1 - eps)^3 and its bound is valid', async () => {
    await fc.assert(
      fc.asyncProperty(arbMcf, async (p) => {
        const r = await solveMcfLp(p, { objective: 'max-concurrent' });
        const ref = await referenceLp(p, 'max-concurrent');
        expect(r.status).toBe('optimal');
        const lam = ref.objective!;
        expect(r.objective!).toBeCloseTo(lam, 6);
        checkFlows(p, r.solution!, r.objective!);
        const eps = 0.1;
        const gk = await solveMcfApprox(p, { epsilon: eps });
        expect(gk.status === 'optimal' || gk.status === 'feasible').toBe(true);
        expect(gk.objective!).toBeLessThanOrEqual(lam * (1 + 1e-9) + 1e-9);
        expect(gk.objective!).toBeGreaterThanOrEqual((1 - eps) ** 3 * lam - 1e-9);
        expect(gk.bound!).toBeGreaterThanOrEqual(lam * (1 - 1e-9) - 1e-9);
        checkFlows(p, gk.solution!, gk.objective!);
      }),
      { numRuns: 40 },
    );
  });

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

  it('solveMcf takes the method in options: lp, concurrent-lp, garg-konemann', async () => {
    const graph = createGraph({ n: 3, edges: [[0, 1, 4], [1, 2, 4], [0, 2, 4]] });
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 2, demand: 3 }, { source: 1, sink: 0, demand: 2 }] });
    const lp = await solveMcf(p);
    expect(lp.stats.method).toBe('mcf:lp');
    expect(lp.objective).toBe((await solveMcfLp(p)).objective);
    const conc = await solveMcf(p, { method: 'concurrent-lp' });
    expect(conc.stats.method).toBe('mcf:concurrent-lp');
    expect(conc.objective).toBeCloseTo((await solveMcfLp(p, { objective: 'max-concurrent' })).objective!, 9);
    const gk = await solveMcf(p, { method: 'garg-konemann', epsilon: 0.1 });
    expect(gk.stats.method).toBe('mcf:garg-konemann');
    expect(gk.objective!).toBeLessThanOrEqual(conc.objective! * (1 + 1e-9));
    await expect(solveMcf(p, { method: 'simplex' as never })).rejects.toThrow(/options\.method/);
  });
});
