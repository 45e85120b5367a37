import { createGraph, ModelError, type Graph } from '@emplace/core';
import { createFlowNetwork, solveGomoryHu, solveMinCostFlow, trafficFromDocument, type TrafficDocument } from '@emplace/flows';
import { describe, expect, it } from 'vitest';

/** The ModelError a call throws (fails the test when it throws something else or nothing). */
async function modelError(call: () => unknown): Promise<ModelError> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('no error thrown');
}

describe('flows refuses inputs it cannot represent, naming the field (fuzz findings F5, F7, F8)', () => {
  it('F7: a cost whose flow total overflows is a ModelError naming the arc cost, not feasible Infinity', async () => {
    const net = createFlowNetwork({ n: 2, supply: [6, -6], arcs: [{ from: 0, to: 1, capacity: 7, cost: 1e308 }] });
    expect((await modelError(() => solveMinCostFlow(net))).field).toBe('arcs[0].cost');
    const big = createFlowNetwork({ n: 3, supply: [2, 0, -2], arcs: [{ from: 0, to: 1, cost: 1 }, { from: 1, to: 2, cost: -1e300 }] });
    expect((await modelError(() => solveMinCostFlow(big))).field).toBe('arcs[1].cost');
  });

  it('F7: large but representable costs still solve', async () => {
    const net = createFlowNetwork({ n: 2, supply: [6, -6], arcs: [{ from: 0, to: 1, capacity: 7, cost: 1e200 }] });
    const r = await solveMinCostFlow(net);
    expect(r.status).toBe('optimal');
    if (r.status === 'optimal') expect(r.objective).toBeCloseTo(6e200, -195);
  });

  it('F8: a malformed inline traffic graph names graph.edges / graph.edges[0]', () => {
    const base = { commodities: [{ source: 'n3', sink: 'n2', demand: 2 }], unitCost: 1 };
    const nodes = ['n0', 'n1', 'n2', 'n3'];
    const doc = (edges: unknown): TrafficDocument => ({ ...base, graph: { nodes, edges } } as unknown as TrafficDocument);
    const fieldOf = (d: TrafficDocument): string => {
      try {
        trafficFromDocument(d);
      } catch (err) {
        expect(err).toBeInstanceOf(ModelError);
        return (err as ModelError).field;
      }
      return 'none';
    };
    expect(fieldOf(doc('x'))).toBe('graph.edges');
    expect(fieldOf(doc([2.5, ['n0', 'n2', 10]]))).toBe('graph.edges[0]');
    expect(fieldOf(doc([['n0', 'n9', 10]]))).toMatch(/^graph\./);
    // A well-formed inline graph still reads (weights default to 1).
    const ok = trafficFromDocument(doc([['n0', 'n1'], ['n1', 'n2', 3], ['n2', 'n3', 4]]));
    expect(ok.problem.demand.length).toBe(1);
  });

  it('F5: solveGomoryHu on a malformed graph names the field', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 2], [1, 2, 3]] });
    expect((await modelError(() => solveGomoryHu({ kind: 'graph', n: 2 } as unknown as Graph))).field).toMatch(/^model\./);
    expect((await modelError(() => solveGomoryHu({ ...g, adjEdge: null } as unknown as Graph))).field).toBe('model.adjEdge');
  });
});
