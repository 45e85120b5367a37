/**
 * Cases restated from networkx's min-cost-flow test suite
 * (networkx algorithms/flow/tests/test_mincost.py, class TestMinCostFlow): the same
 * instances as data with the same expected costs, flows and outcomes, checked against
 * `solveMinCostFlow` (network simplex) and the registry's `mincostflow` family.
 *
 * Conventions mapped: networkx's node `demand` is minus our `supply` (networkx: negative
 * demand = source); a missing `capacity` is infinite in both; `weight` is our `cost`.
 * networkx's `max_flow_min_cost(G, s, t)` is restated the way the upstream test itself
 * cross-checks it with capacity_scaling: an uncapacitated arc t -> s of cost -100 turns it
 * into a plain min-cost circulation.
 *
 * Outcomes: networkx's NetworkXUnfeasible for supplies that cannot be routed is our status
 * 'infeasible' (with a cut certificate); NetworkXUnbounded is our status 'unbounded' (with
 * the negative cycle). Input errors networkx also refuses (supplies not summing to zero,
 * infinite demand or cost, negative capacity) are ModelErrors here (network.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError, solve, type Result } from '@emplace/core';
import { createFlowNetwork, flowCost, flowViolation, solveMinCostFlow, type ArcInput, type FlowNetwork, type MinCostFlowSolution } from '@emplace/flows';

type Arc = readonly [string, string, { capacity?: number; weight?: number }];

/** A network from networkx-style arcs and demands (demand = -supply). */
function network(arcs: readonly Arc[], demand: Readonly<Record<string, number>> = {}, extraNodes: readonly string[] = []): FlowNetwork {
  const nodes: string[] = [];
  const add = (v: string): void => {
    if (!nodes.includes(v)) nodes.push(v);
  };
  for (const v of Object.keys(demand)) add(v);
  for (const v of extraNodes) add(v);
  for (const [u, v] of arcs) {
    add(u);
    add(v);
  }
  const input: ArcInput[] = arcs.map(([from, to, d]) => ({
    from,
    to,
    ...(d.capacity !== undefined ? { capacity: d.capacity } : {}),
    ...(d.weight !== undefined ? { cost: d.weight } : {}),
  }));
  const supply: Record<string, number> = {};
  for (const [v, b] of Object.entries(demand)) supply[v] = -b;
  return createFlowNetwork({ nodes, arcs: input, supply });
}

function flowOf(net: FlowNetwork, sol: MinCostFlowSolution, u: string, v: string): number {
  let f = 0;
  for (let a = 0; a < net.m; a++) if (net.ids[net.tail[a]!] === u && net.ids[net.head[a]!] === v) f += sol.flow[a]!;
  return f;
}

/** Solves, checks optimal status, cost, feasibility and the dual bound; returns the solution. */
async function optimal(net: FlowNetwork, cost: number): Promise<MinCostFlowSolution> {
  const r = await solveMinCostFlow(net);
  expect(r.status).toBe('optimal');
  if (r.status !== 'optimal') throw new Error('unreachable');
  expect(r.objective).toBe(cost);
  expect(r.bound).toBe(cost);
  expect(flowCost(net, r.solution.flow)).toBe(cost);
  expect(flowViolation(net, r.solution.flow)).toBe(0);
  return r.solution;
}

function expectFlows(net: FlowNetwork, sol: MinCostFlowSolution, soln: Readonly<Record<string, Readonly<Record<string, number>>>>): void {
  for (const [u, row] of Object.entries(soln)) for (const [v, f] of Object.entries(row)) expect([u, v, flowOf(net, sol, u, v)]).toEqual([u, v, f]);
}

describe('networkx test_mincost.py cases', () => {
  it('test_simple_digraph -> 24 with the unique optimal flow', async () => {
    const net = network([
      ['a', 'b', { weight: 3, capacity: 4 }],
      ['a', 'c', { weight: 6, capacity: 10 }],
      ['b', 'd', { weight: 1, capacity: 9 }],
      ['c', 'd', { weight: 2, capacity: 5 }],
    ], { a: -5, d: 5 });
    const sol = await optimal(net, 24);
    expectFlows(net, sol, { a: { b: 4, c: 1 }, b: { d: 4 }, c: { d: 1 } });
  });

  const negCycleArcs = (cycleBack: boolean): Arc[] => [
    ['s', 'a', { weight: 1, capacity: 3 }],
    ['a', 'b', { weight: 3 }],
    cycleBack ? ['c', 'a', { weight: -6 }] : ['a', 'c', { weight: -6 }],
    ['b', 'd', { weight: 1 }],
    cycleBack ? ['d', 'c', { weight: -2 }] : ['c', 'd', { weight: -2 }],
    ['d', 't', { weight: 1, capacity: 3 }],
  ];

  it('test_negcycle_infcap: 5 units through a capacity-3 arc, plus a negative uncapacitated cycle -> infeasible', async () => {
    // No feasible flow exists, so the problem is infeasible (networkx network_simplex:
    // NetworkXUnfeasible), whatever the negative cycle a-b-d-c-a (3 + 1 - 2 - 6 = -4) would allow.
    const net = network(negCycleArcs(true), { s: -5, t: 5 });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') throw new Error('unreachable');
    // The certificate is the cut of the zero-cost feasibility solve: 5 units, 3 can leave.
    expect(r.certificate).toMatchObject({ supply: 5, capacity: 3 });
    // With enough capacity the same network is feasible, and then the cycle makes it unbounded.
    const wide = network(negCycleArcs(true).map(([u, v, d]) => [u, v, d.capacity === 3 ? { ...d, capacity: 5 } : d] as const), { s: -5, t: 5 });
    expect((await solveMinCostFlow(wide)).status).toBe('unbounded');
  });

  it('test_no_flow_satisfying_demands -> infeasible, with a cut certificate that proves it', async () => {
    const net = network(negCycleArcs(false), { s: -5, t: 5 });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') throw new Error('unreachable');
    const cert = r.certificate as { nodes?: string[]; supply?: number; capacity?: number } | undefined;
    expect(cert?.supply).toBe(5);
    expect(cert?.capacity).toBe(3);
  });

  it('test_sum_demands_not_zero -> ModelError naming supply (networkx: NetworkXUnfeasible)', () => {
    expect(() => network(negCycleArcs(false), { s: -5, t: 4 })).toThrow(ModelError);
    expect(() => network(negCycleArcs(false), { s: -5, t: 4 })).toThrow(/supply/);
  });

  it('test_transshipment -> 41 with networkx\'s flow', async () => {
    const net = network([
      ['a', 'c', { weight: 3 }], ['r', 'a', { weight: 2 }], ['b', 'a', { weight: 9 }], ['r', 'c', { weight: 0 }],
      ['b', 'r', { weight: -6 }], ['c', 'd', { weight: 5 }], ['e', 'r', { weight: 4 }], ['e', 'f', { weight: 3 }],
      ['h', 'b', { weight: 4 }], ['f', 'd', { weight: 7 }], ['f', 'h', { weight: 12 }], ['g', 'd', { weight: 12 }],
      ['f', 'g', { weight: -1 }], ['h', 'g', { weight: -10 }],
    ], { a: 1, b: -2, c: -2, d: 3, e: -4, f: -4, g: 3, h: 2, r: 3 });
    const sol = await optimal(net, 41);
    expectFlows(net, sol, {
      a: { c: 0 }, b: { a: 0, r: 2 }, c: { d: 3 }, e: { r: 3, f: 1 },
      f: { d: 0, g: 3, h: 2 }, g: { d: 0 }, h: { b: 0, g: 0 }, r: { a: 1, c: 1 },
    });
  });

  it('test_max_flow_min_cost as a circulation with t -> s at cost -100 -> -410, 5 units, 90 on the other arcs', async () => {
    const arcs: Arc[] = [
      ['s', 'a', { capacity: 6 }], ['s', 'c', { capacity: 10, weight: 10 }], ['a', 'b', { weight: 6 }],
      ['b', 'd', { capacity: 8, weight: 7 }], ['c', 'd', { weight: 10 }], ['d', 't', { capacity: 5, weight: 5 }],
    ];
    const net = network([...arcs, ['t', 's', { weight: -100 }]]);
    const sol = await optimal(net, -410);
    expect(flowOf(net, sol, 't', 's')).toBe(5);
    expectFlows(net, sol, { s: { a: 5, c: 0 }, a: { b: 5 }, b: { d: 5 }, c: { d: 0 }, d: { t: 5 } });
  });

  it('test_digraph1 (Bradley, Hax and Magnanti) -> 150 with networkx\'s flow', async () => {
    const net = network([
      ['1', '2', { capacity: 15, weight: 4 }], ['1', '3', { capacity: 8, weight: 4 }], ['2', '3', { weight: 2 }],
      ['2', '4', { capacity: 4, weight: 2 }], ['2', '5', { capacity: 10, weight: 6 }], ['3', '4', { capacity: 15, weight: 1 }],
      ['3', '5', { capacity: 5, weight: 3 }], ['4', '5', { weight: 2 }], ['5', '3', { capacity: 4, weight: 1 }],
    ], { 1: -20, 4: 5, 5: 15 });
    const sol = await optimal(net, 150);
    expectFlows(net, sol, { 1: { 2: 12, 3: 8 }, 2: { 3: 8, 4: 4, 5: 0 }, 3: { 4: 11, 5: 5 }, 4: { 5: 10 }, 5: { 3: 0 } });
  });

  it('test_digraph2 (ticket #430) as a circulation with t -> s at cost -100 -> -3007, 32 units, 193 on the rest', async () => {
    const arcs: Arc[] = [
      ['s', '1', { capacity: 12 }], ['s', '2', { capacity: 6 }], ['s', '3', { capacity: 14 }],
      ['1', '2', { capacity: 11, weight: 4 }], ['2', '3', { capacity: 9, weight: 6 }], ['1', '4', { capacity: 5, weight: 5 }],
      ['1', '5', { capacity: 2, weight: 12 }], ['2', '5', { capacity: 4, weight: 4 }], ['2', '6', { capacity: 2, weight: 6 }],
      ['3', '6', { capacity: 31, weight: 3 }], ['4', '5', { capacity: 18, weight: 4 }], ['5', '6', { capacity: 9, weight: 5 }],
      ['4', 't', { capacity: 3 }], ['5', 't', { capacity: 7 }], ['6', 't', { capacity: 22 }],
    ];
    const net = network([...arcs, ['t', 's', { weight: -100 }]]);
    const sol = await optimal(net, -3007);
    expect(flowOf(net, sol, 't', 's')).toBe(32);
    expect(flowCost(net, sol.flow) - -100 * 32).toBe(193);
    expectFlows(net, sol, {
      1: { 2: 6, 4: 5, 5: 1 }, 2: { 3: 6, 5: 4, 6: 2 }, 3: { 6: 20 }, 4: { 5: 2, t: 3 },
      5: { 6: 0, t: 7 }, 6: { t: 22 }, s: { 1: 12, 2: 6, 3: 14 },
    });
  });

  it('test_digraph3 (Papadimitriou-Steiglitz 7.1, altered) as a circulation -> -377, 4 units, 23 on the rest', async () => {
    const net = network([
      ['s', 'a', { capacity: 2, weight: 4 }], ['s', 'b', { capacity: 2, weight: 1 }], ['a', 'b', { capacity: 5, weight: 2 }],
      ['a', 't', { capacity: 1, weight: 5 }], ['b', 'a', { capacity: 1, weight: 3 }], ['b', 't', { capacity: 3, weight: 2 }],
      ['t', 's', { weight: -100 }],
    ]);
    const sol = await optimal(net, -377);
    expect(flowOf(net, sol, 't', 's')).toBe(4);
    expectFlows(net, sol, { s: { a: 2, b: 2 }, a: { b: 1, t: 1 }, b: { a: 0, t: 3 } });
  });

  it('test_zero_capacity_edges (ticket #617) -> 6', async () => {
    const net = network([
      ['1', '2', { capacity: 1, weight: 1 }], ['1', '5', { capacity: 1, weight: 1 }], ['2', '3', { capacity: 0, weight: 1 }],
      ['2', '5', { capacity: 1, weight: 1 }], ['5', '3', { capacity: 2, weight: 1 }], ['5', '4', { capacity: 0, weight: 1 }],
      ['3', '4', { capacity: 2, weight: 1 }],
    ], { 1: -1, 2: -1, 4: 2 });
    const sol = await optimal(net, 6);
    expectFlows(net, sol, { 1: { 2: 0, 5: 1 }, 2: { 3: 0, 5: 1 }, 3: { 4: 2 }, 5: { 3: 2, 4: 0 } });
  });

  it('test_digon (ticket #618) -> 2857140', async () => {
    const net = network([
      ['1', '2', { capacity: 3, weight: 600000 }], ['2', '1', { capacity: 2, weight: 0 }],
      ['2', '3', { capacity: 5, weight: 714285 }], ['3', '2', { capacity: 2, weight: 0 }],
    ], { 2: -4, 3: 4 });
    const sol = await optimal(net, 2857140);
    expectFlows(net, sol, { 1: { 2: 0 }, 2: { 1: 0, 3: 4 }, 3: { 2: 0 } });
  });

  it('test_deadend (ticket #2906): supply on a node with no arcs -> infeasible', async () => {
    const cap = { capacity: 20, weight: 0.1 };
    const net = network([['0', '2', cap], ['0', '3', cap], ['2', '1', cap]], { 4: -13, 3: 13 }, ['0', '1', '2', '3', '4']);
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('infeasible');
  });

  it('test_infinite_capacity_neg_digon -> unbounded, with the negative cycle as certificate', async () => {
    const net = network([
      ['1', '2', { weight: -600 }], ['2', '1', { weight: 0 }],
      ['2', '3', { capacity: 5, weight: 714285 }], ['3', '2', { capacity: 2, weight: 0 }],
    ], { 2: -4, 3: 4 }, ['1']);
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('unbounded');
    if (r.status !== 'unbounded') throw new Error('unreachable');
    expect(r.certificate?.fields).toEqual(expect.arrayContaining(['arcs[0]', 'arcs[1]']));
  });

  it('test_finite_capacity_neg_digon (ticket #749): the digon is saturated -> -2', async () => {
    const net = network([['a', 'b', { capacity: 1, weight: -1 }], ['b', 'a', { capacity: 1, weight: -1 }]]);
    const sol = await optimal(net, -2);
    expectFlows(net, sol, { a: { b: 1 }, b: { a: 1 } });
  });

  it('test_multidigraph: parallel-free multidigraph without demands -> 0, zero flow', async () => {
    const net = network([['1', '2', { capacity: 1 }], ['2', '3', { capacity: 2 }]]);
    const sol = await optimal(net, 0);
    expect([...sol.flow]).toEqual([0, 0]);
  });

  it('test_negative_selfloops: uncapacitated -> unbounded; capacity 2 -> saturated, -2; with a parallel positive loop -> -2', async () => {
    const free = network([['1', '1', { weight: -1 }]]);
    expect((await solveMinCostFlow(free)).status).toBe('unbounded');
    const capped = network([['1', '1', { weight: -1, capacity: 2 }]]);
    const sol = await optimal(capped, -2);
    expect(sol.flow[0]).toBe(2);
    const multiFree = network([['1', '1', { weight: -1 }], ['1', '1', { weight: 1 }]]);
    expect((await solveMinCostFlow(multiFree)).status).toBe('unbounded');
    const multi = network([['1', '1', { weight: -1, capacity: 2 }], ['1', '1', { weight: 1 }]]);
    const sol2 = await optimal(multi, -2);
    expect([...sol2.flow]).toEqual([2, 0]);
  });

  it('test_bone_shaped (#1283) -> 0 with networkx\'s flow', async () => {
    const net = network([
      ['0', '1', { capacity: 4 }], ['0', '2', { capacity: 4 }], ['4', '3', { capacity: 4 }],
      ['5', '3', { capacity: 4 }], ['0', '3', { capacity: 0 }],
    ], { 0: -4, 1: 2, 2: 2, 3: 4, 4: -2, 5: -2 });
    const sol = await optimal(net, 0);
    expectFlows(net, sol, { 0: { 1: 2, 2: 2, 3: 0 }, 4: { 3: 2 }, 5: { 3: 2 } });
  });

  it('test_exceptions: infinite demand, infinite cost, negative capacity are ModelErrors', () => {
    expect(() => createFlowNetwork({ nodes: ['0'], arcs: [], supply: { 0: -Infinity } })).toThrow(ModelError);
    expect(() => createFlowNetwork({ nodes: ['0', '1'], arcs: [{ from: '0', to: '1', cost: -Infinity }] })).toThrow(ModelError);
    expect(() => createFlowNetwork({ nodes: ['0', '1'], arcs: [{ from: '0', to: '0', cost: Infinity }] })).toThrow(ModelError);
    expect(() => createFlowNetwork({ nodes: ['0', '1'], arcs: [{ from: '0', to: '1', capacity: -1 }] })).toThrow(ModelError);
    expect(() => createFlowNetwork({ nodes: ['0', '1'], arcs: [{ from: '0', to: '0', capacity: -1 }] })).toThrow(ModelError);
  });

  it('test_exceptions: the empty network is solved (no arcs, no flow), not refused', async () => {
    // networkx raises on an empty DiGraph; an empty network is a valid (trivial) problem here.
    const r = await solveMinCostFlow(createFlowNetwork({ n: 0, arcs: [] }));
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(0);
  });

  it('test_large: netgen-2 (400 nodes, 1416 arcs) -> 6749969302, also through the registry', async () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-netgen-2.json', import.meta.url), 'utf8')) as {
      n: number;
      arcs: [number, number, number, number][];
      supply: number[];
    };
    const net = createFlowNetwork({ n: doc.n, arcs: doc.arcs.map(([from, to, capacity, cost]) => ({ from, to, capacity, cost })), supply: doc.supply });
    await optimal(net, 6749969302);
    const r = (await solve(net, { method: 'mincostflow' })) as Result<MinCostFlowSolution>;
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(6749969302);
  });
});

describe('networkx test_networksimplex.py cases', () => {
  const simpleFlowArcs: Arc[] = [
    ['a', 'b', { weight: 3, capacity: 4 }], ['a', 'c', { weight: 6, capacity: 10 }],
    ['b', 'd', { weight: 1, capacity: 9 }], ['c', 'd', { weight: 2, capacity: 5 }],
  ];
  const simpleFlowDemand = { a: 0, b: -5, c: 50000000, d: -49999995 };

  it('simple_flow_graph fixture: c can only be fed through a -> c (a has no inflow) -> infeasible', async () => {
    expect((await solveMinCostFlow(network(simpleFlowArcs, simpleFlowDemand))).status).toBe('infeasible');
  });

  it('test_infinite_demand_raise / test_neg_infinite_demand_raise / test_infinite_weight_raise / test_nonzero_net_demand_raise / test_negative_capacity_raise -> ModelError', () => {
    expect(() => network(simpleFlowArcs, { ...simpleFlowDemand, a: Infinity })).toThrow(ModelError);
    expect(() => network(simpleFlowArcs, { ...simpleFlowDemand, a: -Infinity })).toThrow(ModelError);
    expect(() => network(simpleFlowArcs.map(([u, v, d]) => [u, v, u === 'a' && v === 'b' ? { ...d, weight: Infinity } : d] as const), simpleFlowDemand)).toThrow(ModelError);
    expect(() => network(simpleFlowArcs, { ...simpleFlowDemand, b: -4 })).toThrow(/supply/);
    expect(() => network(simpleFlowArcs.map(([u, v, d]) => [u, v, u === 'b' ? { ...d, capacity: -9 } : d] as const), simpleFlowDemand)).toThrow(ModelError);
  });

  const orTools = (supplies: number[], tails: number[], heads: number[], caps: number[], costs: number[]): FlowNetwork =>
    createFlowNetwork({
      n: supplies.length,
      arcs: tails.map((t, k) => ({ from: t, to: heads[k]!, capacity: caps[k]!, cost: costs[k]! })),
      supply: supplies,
    });

  it('test_google_or_tools_example -> 150', async () => {
    await optimal(orTools([20, 0, 0, -5, -15], [0, 0, 1, 1, 1, 2, 2, 3, 4], [1, 2, 2, 3, 4, 3, 4, 4, 2], [15, 8, 20, 4, 10, 15, 4, 20, 5], [4, 4, 2, 2, 6, 1, 3, 2, 3]), 150);
  });

  it('test_google_or_tools_example2 -> 183', async () => {
    await optimal(orTools([23, 0, 0, -5, -15, -3], [0, 0, 1, 1, 1, 2, 2, 3, 4, 3], [1, 2, 2, 3, 4, 3, 4, 4, 2, 5], [15, 8, 20, 4, 10, 15, 4, 20, 5, 10], [4, 4, 2, 2, 6, 1, 3, 2, 3, 4]), 183);
  });

  it('test_network_simplex_faux_infinity (gh-7562): large capacity / demand / weight of 1e9 in all 8 combinations, networkx\'s costs', async () => {
    const lv = 1_000_000_000;
    // [large capacity, large demand, large weight] -> networkx 3.6.1's optimal cost.
    const expected: [boolean, boolean, boolean, number][] = [
      [true, true, true, 7000000008], [true, true, false, 3000000012], [true, false, true, 4000000020], [true, false, false, 24],
      [false, true, true, 7000000008], [false, true, false, 3000000012], [false, false, true, 4000000020], [false, false, false, 24],
    ];
    for (const [largeCap, largeDemand, largeWeight, cost] of expected) {
      const arcs: Arc[] = [
        ['s0', 'ns', { weight: 1, ...(largeCap ? { capacity: lv } : {}) }],
        ['s1', 'ns', { weight: largeWeight ? lv : 1 }],
        ['ns', 'nc', { weight: 1 }], ['nc', 'c0', { weight: 1 }], ['nc', 'c1', { weight: 1 }],
      ];
      const demand = { s0: largeDemand ? -lv : -4, s1: -4, ns: 0, nc: 0, c0: 4, c1: largeDemand ? lv : 4 };
      const r = await solveMinCostFlow(network(arcs, demand));
      expect([largeCap, largeDemand, largeWeight, r.status, r.objective]).toEqual([largeCap, largeDemand, largeWeight, 'optimal', cost]);
    }
  });

  it('test_network_simplex_unbounded_flow: an uncapacitated triangle of cost -5 arcs -> unbounded', async () => {
    const r = await solveMinCostFlow(network([['A', 'B', { weight: -5 }], ['B', 'C', { weight: -5 }], ['C', 'A', { weight: -5 }]]));
    expect(r.status).toBe('unbounded');
  });
});

describe('extra instances with networkx\'s answers', () => {
  it('400 random small networks (negative costs, uncapacitated arcs): same cost or status as networkx network_simplex', async () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-random-mincost.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number | null, number][], number[], number | 'infeasible' | 'unbounded'][];
    };
    const counts: Record<string, number> = {};
    for (const [i, [n, arcs, supply, expected]] of doc.instances.entries()) {
      const net = createFlowNetwork({ n, arcs: arcs.map(([from, to, cap, cost]) => ({ from, to, cost, ...(cap === null ? {} : { capacity: cap }) })), supply });
      const r = await solveMinCostFlow(net);
      const got = r.status === 'optimal' ? r.objective : r.status;
      expect([i, got]).toEqual([i, expected]);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
    expect(counts).toEqual({ optimal: 238, infeasible: 144, unbounded: 18 });
  });
});

describe('extra instances with lower bounds, against an LP solver', () => {
  it('150 random networks with lower bounds and self-loops: same cost or status as scipy linprog (HiGHS)', async () => {
    // networkx has no lower bounds; the reference here is the LP itself.
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-scipy-lowerbound-mincost.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number, number | null, number][], number[], number | 'infeasible' | 'unbounded'][];
    };
    const counts: Record<string, number> = {};
    for (const [i, [n, arcs, supply, expected]] of doc.instances.entries()) {
      const net = createFlowNetwork({ n, arcs: arcs.map(([from, to, lower, cap, cost]) => ({ from, to, lower, cost, ...(cap === null ? {} : { capacity: cap }) })), supply });
      const r = await solveMinCostFlow(net);
      expect([i, r.status === 'optimal' ? r.objective : r.status]).toEqual([i, expected]);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
    expect(counts).toEqual({ optimal: 53, infeasible: 88, unbounded: 9 });
  });
});

describe('extra instances with fractional data, against an LP solver', () => {
  it('141 random networks with fractional bounds, costs and supplies: optimal (proven) at the LP cost, or the LP status', async () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-scipy-fractional-mincost.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number, number | null, number][], number[], number | 'infeasible' | 'unbounded'][];
    };
    const counts: Record<string, number> = {};
    for (const [i, [n, arcs, supply, expected]] of doc.instances.entries()) {
      const net = createFlowNetwork({ n, arcs: arcs.map(([from, to, lower, cap, cost]) => ({ from, to, lower, cost, ...(cap === null ? {} : { capacity: cap }) })), supply });
      const r = await solveMinCostFlow(net);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (typeof expected === 'number') {
        // Regression (instance 43): an optimal flow came back 'feasible' with no bound, its
        // dual value -Infinity from a reduced cost of -4e-15 on an uncapacitated arc.
        expect([i, r.status]).toEqual([i, 'optimal']);
        expect(Math.abs(r.objective! - expected)).toBeLessThan(1e-7 * Math.max(1, Math.abs(expected)));
      } else {
        expect([i, r.status]).toEqual([i, expected]);
      }
    }
    expect(counts).toEqual({ optimal: 92, infeasible: 40, unbounded: 9 });
  });
});

