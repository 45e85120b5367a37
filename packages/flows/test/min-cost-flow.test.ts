import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFlowNetwork, dualValue, flowViolation, solveMinCostFlow, type CutCertificate } from '@emplace/flows';
import { lpOptimum, arbNetwork, checkCertificate, agreesWithLp } from './min-cost-fixtures.js';

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

  it('proves fractional infeasibility with a cut when a full arc comes back a rounding below its capacity (fast-check seed -1667382653)', async () => {
    // 0 -> 1 must carry 8/7 + 2/7 + 4/7 = 2 > 12/7: the simplex left the arc at 12/7 - 2e-16,
    // the cut search crossed it, and the certificate had no cut (only the unrouted amount).
    const net = createFlowNetwork({
      n: 2,
      arcs: [
        { from: 0, to: 1, lower: 2 / 7, capacity: 12 / 7, cost: 0 },
        { from: 1, to: 0, lower: 2 / 7, capacity: Infinity, cost: 0 },
        { from: 1, to: 0, lower: 4 / 7, capacity: Infinity, cost: 0 },
      ],
      supply: [8 / 7, -8 / 7],
    });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    checkCertificate(net, r.certificate as CutCertificate);
    expect((r.certificate as CutCertificate).nodes).toEqual(['0']);
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

  it('honours an abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const net = createFlowNetwork({ n: 2, arcs: [{ from: 0, to: 1, cost: 1 }], supply: [1, -1] });
    const r = await solveMinCostFlow(net, { signal: ac.signal });
    expect(r.stoppedBy).toBe('aborted');
  });
});
