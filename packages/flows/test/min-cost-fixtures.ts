/** Oracles and generators shared by the min-cost-flow tests. */
import { expect } from 'vitest';
import fc from 'fast-check';
import { LinearModel, solveLp } from '@emplace/lp';
import { createFlowNetwork, dualValue, flowCost, flowViolation, solveMinCostFlow, type CutCertificate, type FlowNetwork } from '@emplace/flows';

/** The same problem as an LP (independent of the network simplex). */
export async function lpOptimum(net: FlowNetwork): Promise<{ status: string; objective?: number }> {
  const lp = new LinearModel('min');
  for (let a = 0; a < net.m; a++) lp.addVariable({ lb: net.lower[a]!, ub: net.capacity[a]!, obj: net.cost[a]! });
  for (let v = 0; v < net.n; v++) {
    const idx: number[] = [];
    const val: number[] = [];
    for (let a = 0; a < net.m; a++) {
      if (net.tail[a] === v && net.head[a] !== v) {
        idx.push(a);
        val.push(1);
      } else if (net.head[a] === v && net.tail[a] !== v) {
        idx.push(a);
        val.push(-1);
      }
    }
    lp.addEq(idx, val, net.supply[v]!);
  }
  const r = await solveLp(lp);
  return r.objective !== undefined ? { status: r.status, objective: r.objective } : { status: r.status };
}

/** Random network: n nodes, random arcs (some uncapacitated, some with lower bounds), balanced supplies. */
export const arbNetwork = (opts: { negative?: boolean; lower?: boolean; fractional?: boolean } = {}) =>
  fc
    .record({
      n: fc.integer({ min: 2, max: 7 }),
      arcs: fc.array(
        fc.record({
          u: fc.nat(6),
          v: fc.nat(6),
          cap: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(Infinity)),
          low: fc.integer({ min: 0, max: 3 }),
          cost: fc.integer({ min: opts.negative ? -5 : 0, max: 9 }),
        }),
        { minLength: 1, maxLength: 18 },
      ),
      sup: fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 7, maxLength: 7 }),
      frac: fc.integer({ min: 1, max: 7 }),
    })
    .map(({ n, arcs, sup, frac }) => {
      const scale = opts.fractional ? 1 / (frac + 0.5) : 1;
      const supply = sup.slice(0, n).map((s) => s * scale);
      const total = supply.reduce((x, y) => x + y, 0);
      supply[n - 1]! -= total;
      return createFlowNetwork({
        n,
        arcs: arcs
          .filter((a) => a.u % n !== a.v % n)
          .map((a) => {
            const low = opts.lower ? Math.min(a.low, a.cap) : 0;
            return { from: a.u % n, to: a.v % n, capacity: a.cap === Infinity ? Infinity : a.cap * scale, lower: low * scale, cost: a.cost * (opts.fractional ? 1.25 : 1) };
          }),
        supply,
      });
    });

export function checkCertificate(net: FlowNetwork, cert: CutCertificate): void {
  const inS = new Set(cert.nodes.map((id) => net.ids.indexOf(id)));
  let supply = 0;
  for (const v of inS) supply += net.supply[v]!;
  let cap = 0;
  for (let a = 0; a < net.m; a++) {
    const t = inS.has(net.tail[a]!), h = inS.has(net.head[a]!);
    if (t && !h) cap += net.capacity[a]!;
    if (!t && h) cap -= net.lower[a]!;
  }
  expect(supply).toBeCloseTo(cert.supply, 9);
  expect(cap).toBeCloseTo(cert.capacity, 9);
  expect(supply).toBeGreaterThan(cap);
}

export async function agreesWithLp(net: FlowNetwork, tol: number): Promise<void> {
  const r = await solveMinCostFlow(net);
  const ref = await lpOptimum(net);
  if (r.status === 'optimal') {
    expect(ref.status).toBe('optimal');
    const sol = r.solution;
    expect(flowViolation(net, sol.flow)).toBeLessThanOrEqual(tol);
    expect(r.objective).toBeCloseTo(flowCost(net, sol.flow), 9);
    expect(Math.abs(r.objective - ref.objective!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref.objective!)));
    // Reduced-cost optimality of the potentials, and the dual value equal to the cost.
    for (let a = 0; a < net.m; a++) {
      const rc = net.cost[a]! + sol.potential[net.tail[a]!]! - sol.potential[net.head[a]!]!;
      const f = sol.flow[a]!;
      if (f > net.lower[a]! + tol) expect(rc).toBeLessThanOrEqual(tol * 1e3);
      if (f < net.capacity[a]! - tol) expect(rc).toBeGreaterThanOrEqual(-tol * 1e3);
    }
    expect(Math.abs(dualValue(net, sol.potential) - r.objective)).toBeLessThanOrEqual(tol * 1e3 * Math.max(1, Math.abs(r.objective)));
  } else if (r.status === 'infeasible') {
    expect(ref.status).toBe('infeasible');
    checkCertificate(net, r.certificate as CutCertificate);
  } else {
    expect(r.status).toBe('unbounded');
    expect(['unbounded', 'infeasible']).toContain(ref.status);
  }
}
