import { describe, expect, it } from 'vitest';
import { ModelError, createGraph } from '@emplace/core';
import { createFlowNetwork, flowNetworkFromGraph, flowNetworkFromArcList, solveMinCostFlow } from '@emplace/flows';

describe('flow networks (construction, adapters, validation)', () => {
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
});
