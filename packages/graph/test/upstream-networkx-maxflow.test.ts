/**
 * Cases restated from networkx's max-flow test suite
 * (networkx algorithms/flow/tests/test_maxflow.py, TestMaxflowMinCutCommon and friends):
 * the same instances as data and the same expected flow values, checked against
 * `maxFlow` and the registry's `maxflow` method. Every answer is also checked the way the
 * upstream `validate_flows` / `validate_cuts` helpers check it: capacities respected,
 * conservation at inner nodes, the returned cut's capacity equal to the value, and the
 * cut really separating source from sink.
 *
 * Semantics that differ by design: networkx reads a missing `capacity` as infinite; our
 * capacities are the edge weights and must be finite (README "Statuses", maxflow.ts doc):
 * an infinite capacity is a ModelError, never a silent answer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import { fromEdgeList, maxFlow, type MaxFlowResult } from '@emplace/graph';

type Arc = readonly [string, string, number];

/** Checks a max-flow answer like networkx's validate_flows + validate_cuts. */
function validate(g: Graph, s: number, t: number, r: MaxFlowResult, directed: boolean, expected: number): void {
  const tol = 1e-9 * Math.max(1, expected);
  expect(r.value).toBeCloseTo(expected, 9);
  const excess = new Float64Array(g.n);
  for (let e = 0; e < g.m; e++) {
    const f = r.flow[e]!;
    if (directed) expect(f).toBeGreaterThanOrEqual(-tol);
    expect(Math.abs(f)).toBeLessThanOrEqual(g.edgeW[e]! + tol);
    excess[g.edgeU[e]!]! -= f;
    excess[g.edgeV[e]!]! += f;
  }
  for (let v = 0; v < g.n; v++) {
    if (v === s) expect(excess[v]).toBeCloseTo(-expected, 9);
    else if (v === t) expect(excess[v]).toBeCloseTo(expected, 9);
    else expect(Math.abs(excess[v]!)).toBeLessThanOrEqual(tol);
  }
  expect(r.cut[s]).toBe(1);
  expect(r.cut[t]).toBe(0);
  // The cut set: edges leaving the source side (both orientations when undirected).
  let cap = 0;
  for (let e = 0; e < g.m; e++) {
    const u = g.edgeU[e]!, v = g.edgeV[e]!;
    if (r.cut[u] === 1 && r.cut[v] === 0) cap += g.edgeW[e]!;
    else if (!directed && r.cut[u] === 0 && r.cut[v] === 1) cap += g.edgeW[e]!;
  }
  expect(cap).toBeCloseTo(expected, 9);
  expect(r.cutCapacity).toBeCloseTo(expected, 9);
}

function run(arcs: readonly Arc[], s: string, t: string, directed: boolean, expected: number, nodes?: readonly string[]): void {
  const g = fromEdgeList(arcs, nodes ? { nodes } : {});
  const si = g.ids.indexOf(s), ti = g.ids.indexOf(t);
  validate(g, si, ti, maxFlow(g, si, ti, { directed }), directed, expected);
}

const TOPCODER: readonly Arc[] = [
  ['x', 'a', 3], ['x', 'b', 1], ['a', 'c', 3], ['b', 'c', 5],
  ['b', 'd', 4], ['d', 'e', 2], ['c', 'y', 2], ['e', 'y', 3],
];

describe('networkx test_maxflow.py cases', () => {
  it('test_graph1: a single undirected edge of capacity 1', () => {
    run([['1', '2', 1]], '1', '2', false, 1);
  });

  it('test_graph2: topcoder example, undirected -> 4', () => {
    run(TOPCODER, 'x', 'y', false, 4);
  });

  it('test_digraph1: classic directed example -> 2000', () => {
    run([['a', 'b', 1000], ['a', 'c', 1000], ['b', 'c', 1], ['b', 'd', 1000], ['c', 'd', 1000]], 'a', 'd', true, 2000);
  });

  it('test_digraph2: some edges carry no flow -> 2', () => {
    run([['s', 'b', 2], ['s', 'c', 1], ['c', 'd', 1], ['d', 'a', 1], ['b', 'a', 2], ['a', 't', 2]], 's', 't', true, 2);
  });

  it('test_digraph3: Cormen et al. (antiparallel v1 <-> v2) -> 23', () => {
    run([
      ['s', 'v1', 16], ['s', 'v2', 13], ['v1', 'v2', 10], ['v2', 'v1', 4], ['v1', 'v3', 12],
      ['v3', 'v2', 9], ['v2', 'v4', 14], ['v4', 'v3', 7], ['v3', 't', 20], ['v4', 't', 4],
    ], 's', 't', true, 23);
  });

  it('test_digraph4 / test_optional_capacity: topcoder example, directed -> 3', () => {
    run(TOPCODER, 'x', 'y', true, 3);
  });

  it('test_wikipedia_dinitz_example -> 19', () => {
    run([
      ['s', '1', 10], ['s', '2', 10], ['1', '3', 4], ['1', '4', 8], ['1', '2', 2],
      ['2', '4', 9], ['3', 't', 10], ['4', '3', 6], ['4', 't', 10],
    ], 's', 't', true, 19);
  });

  it('test_digraph5 (ticket #429) -> 4', () => {
    run([['s', 'a', 2], ['s', 'b', 2], ['a', 'b', 5], ['a', 't', 1], ['b', 'a', 1], ['b', 't', 3]], 's', 't', true, 4);
  });

  it('test_disconnected: path 0-1-2-3 with node 1 removed -> 0, cut still separates', () => {
    // Node "1" stays as an isolated node (our graphs keep their node set); the flow is 0.
    run([['2', '3', 1]], '0', '3', false, 0, ['0', '1', '2', '3']);
  });

  it('test_capacity_func: directed line with capacities 1/2, 1/8 -> 1/8; inverted capacities -> 2', () => {
    run([['0', '1', 1 / 2], ['1', '2', 1 / 8]], '0', '2', true, 1 / 8);
    run([['0', '1', 2], ['1', '2', 8]], '0', '2', true, 2);
    // my_cap_01_hidden: the edge 0 -> 1 hidden (networkx capacity None) leaves 0 cut off.
    run([['1', '2', 8]], '0', '2', true, 0, ['0', '1', '2']);
  });

  it('test_digraph_infcap_edges with the infinite capacities replaced by a finite bound -> 97', () => {
    // networkx leaves `capacity` off for "infinite"; any capacity above the sum of the
    // finite ones (30 + 25 + 12 + 60 = 127) behaves the same in a finite max flow.
    const big = 1000;
    run([['s', 'a', big], ['s', 'b', 30], ['a', 'c', 25], ['b', 'c', 12], ['a', 't', 60], ['c', 't', big]], 's', 't', true, 97);
    // The infinite-capacity digon a <-> c.
    run([['s', 'a', 85], ['s', 'b', 30], ['a', 'c', big], ['c', 'a', big], ['b', 'c', 12], ['a', 't', 60], ['c', 't', 37]], 's', 't', true, 97);
  });

  it('test_graph_infcap_edges (undirected) with a finite bound for infinity -> 97', () => {
    const big = 1000;
    run([['s', 'a', big], ['s', 'b', 30], ['a', 'c', 25], ['b', 'c', 12], ['a', 't', 60], ['c', 't', big]], 's', 't', false, 97);
  });

  it('infinite capacities (test_digraph_infcap_edges / _path) are refused with a ModelError, not answered', () => {
    // networkx raises NetworkXUnbounded on an infinite-capacity s-t path; we refuse Infinity outright.
    const arcs: Arc[] = [['s', 'a', Infinity], ['s', 'b', 30], ['a', 'c', Infinity], ['b', 'c', 12], ['a', 't', 60], ['c', 't', Infinity]];
    const attempt = (): MaxFlowResult => {
      const g = fromEdgeList(arcs);
      return maxFlow(g, 0, g.ids.indexOf('t'), { directed: true });
    };
    expect(attempt).toThrow(ModelError);
    // Through the capacities override too.
    const g = fromEdgeList(arcs.map(([u, v]) => [u, v, 1] as const));
    const caps = arcs.map((a) => a[2]);
    expect(() => maxFlow(g, 0, g.ids.indexOf('t'), { directed: true, capacities: caps })).toThrow(ModelError);
  });

  it('test_source_target_not_in_graph / test_source_target_coincide: ModelError through the registry', async () => {
    const g = fromEdgeList([['1', '2', 1], ['2', '3', 1]]);
    await expect(Promise.resolve().then(() => solve(g, { method: 'maxflow', source: '0', sink: '3' }))).rejects.toThrow(ModelError);
    await expect(Promise.resolve().then(() => solve(g, { method: 'maxflow', source: '1', sink: 'x' }))).rejects.toThrow(ModelError);
    await expect(Promise.resolve().then(() => solve(g, { method: 'maxflow', source: '1', sink: '1' }))).rejects.toThrow(ModelError);
    expect(() => maxFlow(g, 0, 0)).toThrow(ModelError);
    // Regression: "0" is not an id of this graph (node 0 was removed upstream); it used to be
    // read as index 0, i.e. node "1", and answered the flow 1 -> 3 instead of refusing.
    // A digit string still reads as an index on a graph whose ids are names.
    const named = fromEdgeList([['a', 'b', 2], ['b', 'c', 1]]);
    const r = await solve(named, { method: 'maxflow', source: '0', sink: '2' });
    expect(r.objective).toBe(1);
  });

  it('multi-edges: parallel undirected edges add their capacities (networkx refuses multigraphs)', () => {
    // networkx test_multigraphs_raise refuses MultiGraph input; our graphs keep parallel edges
    // (the default `duplicates: keep`) and each carries flow: 0-1 twice (1 + 2) then 1-2 (5) -> 3.
    run([['0', '1', 1], ['0', '1', 2], ['1', '2', 5]], '0', '2', false, 3);
    run([['0', '1', 1], ['0', '1', 2], ['1', '2', 5]], '0', '2', true, 3);
  });

  it('test_preflow_push_makes_enough_space (ticket #1542) -> 1', () => {
    run([['0', '1', 1], ['1', '3', 1], ['1', '2', 1], ['2', '3', 1]], '0', '3', true, 1);
  });

  it('test_shortest_augmenting_path_two_phase: 5 disjoint paths of 1000 unit arcs -> 5', () => {
    const arcs: Arc[] = [];
    for (let i = 0; i < 5; i++) {
      arcs.push(['s', `${i},0`, 1]);
      for (let j = 0; j + 1 < 1000; j++) arcs.push([`${i},${j}`, `${i},${j + 1}`, 1]);
      arcs.push([`${i},999`, 't', 1]);
    }
    run(arcs, 's', 't', true, 5);
  });

  it('TestCutoff::test_complete_graph_cutoff instance without cutoff: K5, unit capacities, 0 -> 4 = 4', () => {
    const arcs: Arc[] = [];
    for (let u = 0; u < 5; u++) for (let v = u + 1; v < 5; v++) arcs.push([String(u), String(v), 1]);
    run(arcs, '0', '4', false, 4);
  });

  it('TestMaxFlowMinCutInterface through the registry: topcoder directed -> 3, optimal with bound = value', async () => {
    const g = fromEdgeList(TOPCODER);
    const r = await solve(g, { method: 'maxflow', source: 'x', sink: 'y', directed: true });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(3, 12);
    expect(r.bound).toBeCloseTo(3, 12);
    const h = fromEdgeList([['0', '1', 1], ['1', '2', 1]]);
    const r2 = await solve(h, { method: 'maxflow:dinic', source: '0', sink: '2', directed: true });
    expect(r2.objective).toBe(1);
  });
});

describe('networkx test_maxflow_large_graph.py cases', () => {
  it('test_complete_graph: K50 with capacity 5, 1 -> 2 = 5 x 49', () => {
    const edges: [number, number, number][] = [];
    for (let u = 0; u < 50; u++) for (let v = u + 1; v < 50; v++) edges.push([u, v, 5]);
    const g = createGraph({ n: 50, edges });
    validate(g, 1, 2, maxFlow(g, 1, 2), false, 245);
  });

  it('test_pyramid: N = 10, every arc saturated by a flow of value 1 (the infinite sink arcs given capacity 2)', () => {
    // gen_pyramid: node (i, j) sends to (i + 1, j) and (i + 1, j + 1) with capacities that
    // telescope to 1 / (i + 2) per node of row i + 1; the last row feeds "t" (networkx:
    // uncapacitated; any capacity >= 1 is the same here).
    const N = 10;
    const id = (i: number, j: number): string => `${i},${j}`;
    const arcs: Arc[] = [];
    for (let i = 0; i < N - 1; i++) {
      let cap = 1 / (i + 2);
      for (let j = 0; j <= i; j++) {
        arcs.push([id(i, j), id(i + 1, j), cap]);
        cap = 1 / (i + 1) - cap;
        arcs.push([id(i, j), id(i + 1, j + 1), cap]);
        cap = 1 / (i + 2) - cap;
      }
    }
    for (let j = 0; j < N; j++) arcs.push([id(N - 1, j), 't', 2]);
    const g = fromEdgeList(arcs);
    const r = maxFlow(g, g.ids.indexOf(id(0, 0)), g.ids.indexOf('t'), { directed: true });
    expect(Math.abs(r.value - 1)).toBeLessThan(1e-7);
    expect(Math.abs(r.cutCapacity - 1)).toBeLessThan(1e-7);
  });

  for (const name of ['gl1', 'gw1', 'wlm3']) {
    it(`test_${name}: node 1 -> node len(G) with networkx's flow value, flows validated`, async () => {
      const doc = JSON.parse(readFileSync(new URL(`./fixtures/upstream-networkx-${name}.json`, import.meta.url), 'utf8')) as { n: number; flowValue: number; arcs: number[] };
      const edges: [number, number, number][] = [];
      for (let k = 0; k < doc.arcs.length; k += 3) edges.push([doc.arcs[k]!, doc.arcs[k + 1]!, doc.arcs[k + 2]!]);
      const g = createGraph({ n: doc.n, edges });
      validate(g, 0, doc.n - 1, maxFlow(g, 0, doc.n - 1, { directed: true }), true, doc.flowValue);
      const r = await solve(g, { method: 'maxflow', source: 0, sink: doc.n - 1, directed: true });
      expect(r.status).toBe('optimal');
      expect(r.objective).toBe(doc.flowValue);
    });
  }
});

describe('extra instances with networkx\'s answers', () => {
  it('80 random graphs (directed and undirected, integer and fractional capacities): networkx\'s maximum_flow_value, flows validated', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-random-maxflow.json', import.meta.url), 'utf8')) as {
      instances: [number, boolean, [number, number, number][], number][];
    };
    for (const [n, directed, edges, value] of doc.instances) {
      const g = createGraph({ n, edges });
      validate(g, 0, n - 1, maxFlow(g, 0, n - 1, { directed }), directed, value);
    }
  });
});
