import { describe, expect, it } from 'vitest';
import { Rng, runSteps, solve } from '@emplace/core';
import { createFlowNetwork, flowViolation, type FlowNetwork } from '@emplace/flows';
import { networkSimplex, networkSimplexSteps } from '../src/network-simplex.js';
import { infeasibilityCut, infeasibilityCutSteps } from '../src/min-cost-flow.js';
import { NETWORK_CHUNK, validateFlowNetworkSteps } from '../src/network.js';
import { abortAfterTurns, drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: mincostflow on a 300 x 300 grid (360k arcs) held the event loop 94 ms: the arc
 * copy and the big-M start tree, the validation and scan before them, and the flow /
 * potential / certificate passes after the pivots were each one stretch. They now run in
 * steps of NETWORK_CHUNK arcs or nodes; these tests check the split and what a stop in each
 * phase returns (never the clock).
 */
function gridNetwork(side: number, seed: number): FlowNetwork {
  const r = new Rng(seed);
  const int = (lo: number, hi: number): number => lo + r.int(hi - lo + 1);
  const arcs: { from: number; to: number; capacity: number; cost: number; lower?: number }[] = [];
  const id = (a: number, b: number) => a * side + b;
  for (let a = 0; a < side; a++) {
    for (let b = 0; b < side; b++) {
      if (b + 1 < side) arcs.push({ from: id(a, b), to: id(a, b + 1), capacity: int(1, 50), cost: int(1, 100), lower: r.next() < 0.02 ? 1 : 0 }, { from: id(a, b + 1), to: id(a, b), capacity: int(1, 50), cost: int(1, 100) });
      if (a + 1 < side) arcs.push({ from: id(a, b), to: id(a + 1, b), capacity: int(1, 50), cost: int(1, 100) }, { from: id(a + 1, b), to: id(a, b), capacity: int(1, 50), cost: int(1, 100) });
    }
  }
  const n = side * side;
  const supply = new Float64Array(n);
  for (let k = 0; k < side; k++) {
    supply[int(0, n - 1)]! += 10;
    supply[int(0, n - 1)]! -= 10;
  }
  return createFlowNetwork({ n, arcs, supply });
}

/** Runs the simplex steps with a shouldStop that fires at its `k`-th call. */
function stopAtCall(net: FlowNetwork, k: number, skipInfeasibleStop = false) {
  let calls = 0;
  return runSteps(networkSimplexSteps(net, { shouldStop: () => ++calls >= k, skipInfeasibleStop }));
}

describe('network simplex in steps (issue 13)', () => {
  const net = gridNetwork(100, 3); // 39,600 arcs, 10,000 nodes: several chunks of each
  const setupChecks = 1 + Math.ceil(net.m / NETWORK_CHUNK) + Math.ceil(net.n / NETWORK_CHUNK);

  it('checks for a stop after the allocation and every chunk of the arc copy and the start tree', () => {
    expect(setupChecks).toBeGreaterThanOrEqual(5);
    for (let k = 1; k <= setupChecks; k++) {
      const out = stopAtCall(net, k);
      expect(out.status).toBe('stopped');
      expect(out.pivots).toBe(0);
      expect(out.artificialFlow).toBe(Infinity);
    }
  });

  it('a stop during the pivots returns the current flow, or nothing with skipInfeasibleStop while artificial flow is left', () => {
    const out = stopAtCall(net, setupChecks + 2);
    expect(out.status).toBe('stopped');
    expect(out.pivots).toBeGreaterThan(0);
    expect(out.flow.length).toBe(net.m);
    expect(out.artificialFlow).toBeGreaterThan(0);
    const skipped = stopAtCall(net, setupChecks + 2, true);
    expect(skipped.pivots).toBe(out.pivots);
    expect(skipped.flow.length).toBe(0);
    expect(skipped.potential.length).toBe(0);
  });

  it('the stepped run is the sync run: same pivots, flow and potentials', () => {
    const small = gridNetwork(40, 5);
    const a = networkSimplex(small);
    const steps = networkSimplexSteps(small);
    const r = drainSteps(steps);
    const yields = r.pauses;
    expect(yields).toBeGreaterThan(3);
    expect(r.value.status).toBe(a.status);
    expect(r.value.pivots).toBe(a.pivots);
    expect(Array.from(r.value.flow)).toEqual(Array.from(a.flow));
    expect(Array.from(r.value.potential)).toEqual(Array.from(a.potential));
  });

  it('validation yields every chunk and still names the first bad arc', () => {
    let yields = 0;
    for (const _ of validateFlowNetworkSteps(net)) yields++;
    expect(yields).toBe(Math.ceil(net.m / NETWORK_CHUNK) + Math.ceil(net.n / NETWORK_CHUNK));
    const bad = { ...net, cost: Float64Array.from(net.cost) };
    bad.cost[NETWORK_CHUNK + 7] = NaN;
    expect(() => runSteps(validateFlowNetworkSteps(bad))).toThrow(`arcs[${NETWORK_CHUNK + 7}].cost`);
  });

  it('the infeasibility cut is recovered in steps, the same cut as in one pass', () => {
    // Node 0 has 5 units to send and no arc can carry them (every capacity 0 out of it).
    const n = 20_000;
    const arcs = [];
    for (let v = 0; v + 1 < n; v++) arcs.push({ from: v, to: v + 1, capacity: v === 0 ? 0 : 10, cost: 1 }, { from: v + 1, to: v, capacity: 10, cost: 1 });
    const supply = new Float64Array(n);
    supply[0] = 5;
    supply[n - 1] = -5;
    const bad = createFlowNetwork({ n, arcs, supply });
    const flow = new Float64Array(bad.m);
    const unrouted = new Float64Array(n);
    unrouted[0] = 5;
    const steps = infeasibilityCutSteps(bad, flow, unrouted);
    const r = drainSteps(steps);
    const yields = r.pauses;
    expect(yields).toBeGreaterThanOrEqual(2 * Math.ceil(bad.m / NETWORK_CHUNK));
    expect(r.value).toEqual(infeasibilityCut(bad, flow, unrouted));
    expect(r.value?.nodes).toEqual(['0']);
  });
});

describe('mincostflow answers an abort in every phase (issue 13)', () => {
  const net = gridNetwork(100, 3);

  for (const turns of [1, 2, 3, 5, 8, 20, 60]) {
    it(`after ${turns} event-loop turns: stoppedBy aborted, no-solution or a feasible flow`, async () => {
      const r = await abortAfterTurns(turns, (signal) => solve(net, { method: 'mincostflow:network-simplex', signal }));
      if (r.stoppedBy === 'converged') {
        // Finished before the abort: nothing to check about stopping.
        expect(r.status).toBe('optimal');
        return;
      }
      expect(r.stoppedBy).toBe('aborted');
      if (r.status === 'feasible' || r.status === 'optimal') expect(flowViolation(net, (r.solution as { flow: Float64Array }).flow)).toBe(0);
      else expect(r.status).toBe('no-solution');
    });
  }
});
