import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import {
  createFlowNetwork,
  dualValue,
  flowCost,
  flowNetworkFromGraph,
  flowNetworkFromArcList,
  flowViolation,
  solveMinCostFlow,
  type CutCertificate,
  type FlowNetwork,
} from '@emplace/flows';
import { createGraph } from '@emplace/core';

/** The same problem as an LP (independent of the network simplex). */
async function lpOptimum(net: FlowNetwork): Promise<{ status: string; objective?: number }> {
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
const arbNetwork = (opts: { negative?: boolean; lower?: boolean; fractional?: boolean } = {}) =>
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

function checkCertificate(net: FlowNetwork, cert: CutCertificate): void {
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

async function agreesWithLp(net: FlowNetwork, tol: number): Promise<void> {
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

describe('min-cost flow (network simplex)', () => {
  it('matches the LP optimum, with optimal potentials and integral flows, on random integral networks', async () => {
    await fc.assert(
      fc.asyncProperty(arbNetwork({ lower: true }), async (net) => {
        await agreesWithLp(net, 0);
        const r = await solveMinCostFlow(net);
        if (r.status === 'optimal') {
          for (const f of r.solution.flow) expect(Number.isInteger(f)).toBe(true);
          for (const p of r.solution.potential) expect(Number.isInteger(p)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('handles negative costs (unbounded only with an uncapacitated negative cycle)', async () => {
    await fc.assert(fc.asyncProperty(arbNetwork({ negative: true, lower: true }), async (net) => agreesWithLp(net, 0)), { numRuns: 120 });
  });

  it('matches the LP with fractional data to 1e-9', async () => {
    await fc.assert(fc.asyncProperty(arbNetwork({ fractional: true, lower: true }), async (net) => agreesWithLp(net, 1e-9)), { numRuns: 100 });
  });

  it('matches the LP on larger random networks, whatever the pivot block size, without mutating the input', async () => {
    const big = fc
      .record({
        n: fc.integer({ min: 10, max: 40 }),
        seed: fc.integer({ min: 1, max: 1e9 }),
        block: fc.constantFrom(1, 3, 17, undefined),
      })
      .map(({ n, seed, block }) => {
        let x = seed;
        const rnd = (k: number) => {
          x = (x * 1103515245 + 12345) % 2147483648;
          return x % k;
        };
        const arcs = [];
        for (let k = 0; k < 5 * n; k++) {
          const u = rnd(n);
          const v = (u + 1 + rnd(n - 1)) % n;
          arcs.push({ from: u, to: v, capacity: rnd(4) === 0 ? Infinity : 1 + rnd(30), cost: rnd(50), lower: rnd(6) === 0 ? 1 : 0 });
        }
        const supply = Array.from({ length: n }, () => rnd(21) - 10);
        supply[n - 1]! -= supply.reduce((a, b) => a + b, 0);
        return { net: createFlowNetwork({ n, arcs, supply }), block };
      });
    await fc.assert(
      fc.asyncProperty(big, async ({ net, block }) => {
        const before = JSON.stringify([Array.from(net.capacity), Array.from(net.cost), Array.from(net.supply), Array.from(net.lower)]);
        const r = await solveMinCostFlow(net, block !== undefined ? { blockSize: block } : {});
        expect(JSON.stringify([Array.from(net.capacity), Array.from(net.cost), Array.from(net.supply), Array.from(net.lower)])).toBe(before);
        const ref = await lpOptimum(net);
        if (r.status === 'optimal') {
          expect(ref.status).toBe('optimal');
          expect(r.objective).toBe(Math.round(ref.objective!));
          expect(flowViolation(net, r.solution.flow)).toBe(0);
          expect(dualValue(net, r.solution.potential)).toBe(r.objective);
        } else {
          if (r.status !== 'infeasible') throw new Error(`unexpected ${r.status}`);
          expect(ref.status).toBe('infeasible');
          checkCertificate(net, r.certificate as CutCertificate);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('solves a transportation problem exactly and prices the sinks', async () => {
    // Two plants (10, 15), three markets (8, 9, 8): costs are the classic example's.
    const net = createFlowNetwork({
      nodes: ['p1', 'p2', 'm1', 'm2', 'm3'],
      arcs: [
        { from: 'p1', to: 'm1', cost: 4 },
        { from: 'p1', to: 'm2', cost: 6 },
        { from: 'p1', to: 'm3', cost: 9 },
        { from: 'p2', to: 'm1', cost: 5 },
        { from: 'p2', to: 'm2', cost: 3 },
        { from: 'p2', to: 'm3', cost: 8 },
      ],
      supply: { p1: 10, p2: 15, m1: -8, m2: -9, m3: -8 },
    });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('optimal');
    // p1 -> m1 8, p1 -> m3 2, p2 -> m2 9, p2 -> m3 6: 32 + 18 + 27 + 48 = 125.
    expect(r.objective).toBe(125);
    expect(r.bound).toBe(125);
  });

  it('reports an infeasible network with a violated cut', async () => {
    const net = createFlowNetwork({ n: 3, arcs: [{ from: 0, to: 1, capacity: 2 }, { from: 1, to: 2, capacity: 5 }], supply: [4, 0, -4] });
    const r = await solveMinCostFlow(net);
    if (r.status !== 'infeasible') throw new Error(r.status);
    const cert = r.certificate as CutCertificate;
    expect(cert.nodes).toEqual(['0']);
    expect(cert.supply).toBe(4);
    expect(cert.capacity).toBe(2);
  });

  it('is exact with capacities and supplies near 2^50', async () => {
    const big = 2 ** 50;
    const net = createFlowNetwork({
      n: 3,
      arcs: [{ from: 0, to: 1, capacity: big, cost: 3 }, { from: 0, to: 2, capacity: 1e300, cost: 5 }, { from: 1, to: 2, capacity: big, cost: 1 }],
      supply: [big + 1, 0, -(big + 1)],
    });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('optimal');
    expect(Array.from(r.solution!.flow)).toEqual([big, 1, big]);
  });

  it('adapts an undirected Graph (two arcs per edge)', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 5], [1, 2, 5], [0, 2, 1]] });
    const net = flowNetworkFromGraph(g, { capacity: [5, 5, 1], cost: [1, 1, 1], supply: [4, 0, -4] });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1 + 3 * 2);
  });

  it('adapts arc lists and directed graphs', async () => {
    const net = flowNetworkFromArcList([['a', 'b', 3, 2], ['b', 'c', undefined, 1], ['a', 'c', 10, 9, 1]], { nodes: ['a', 'b', 'c'], supply: { a: 5, c: -5 } });
    expect(net.capacity[1]).toBe(Infinity);
    expect(net.lower[2]).toBe(1);
    const r = await solveMinCostFlow(net);
    // 1 unit forced on a -> c (9), 3 units a -> b -> c (9), 1 more a -> c (9): 27.
    expect(r.objective).toBe(27);
    const g = createGraph({ n: 2, edges: [[0, 1, 5]] });
    expect((await solveMinCostFlow(flowNetworkFromGraph(g, { directed: true, supply: [0, 0] }))).solution!.flow).toHaveLength(1);
    expect((await solveMinCostFlow(flowNetworkFromGraph(g, { directed: true, supply: [-1, 1] }))).status).toBe('infeasible');
  });

  it('names the bad field', () => {
    expect(() => createFlowNetwork({ n: 2, arcs: [{ from: 0, to: 1, capacity: -1 }] })).toThrow(/arcs\[0\]\.capacity/);
    expect(() => createFlowNetwork({ n: 2, arcs: [{ from: 0, to: 3 }] })).toThrow(ModelError);
    expect(() => createFlowNetwork({ n: 2, arcs: [], supply: [1, 0] })).toThrow(/supply/);
    expect(() => createFlowNetwork({ n: 2, arcs: [{ from: 0, to: 1, cost: NaN }] })).toThrow(/arcs\[0\]\.cost/);
  });

  it('honours an abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const net = createFlowNetwork({ n: 2, arcs: [{ from: 0, to: 1, cost: 1 }], supply: [1, -1] });
    const r = await solveMinCostFlow(net, { signal: ac.signal });
    expect(r.stoppedBy).toBe('aborted');
  });
});
