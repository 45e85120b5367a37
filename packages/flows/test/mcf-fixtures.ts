/** Oracles and generators shared by the mcf tests. */
import { expect } from 'vitest';
import fc from 'fast-check';
import { createGraph, type Graph } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { createMcfProblem, type McfProblem, type McfSolution } from '@emplace/flows';

/**
 * Independent reference: one flow per commodity (no aggregation), variables f_k,e in
 * [-cap, cap] split as two non-negative parts, written from scratch here.
 */
export async function referenceLp(p: McfProblem, mode: 'min-cost' | 'max-concurrent' | 'upgrade', unitCost?: number[]): Promise<{ status: string; objective?: number }> {
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

export const arbMcf = fc
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
export function checkFlows(p: McfProblem, s: McfSolution, lambda: number): void {
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
