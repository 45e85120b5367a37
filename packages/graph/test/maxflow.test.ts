import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, solve } from '@emplace/core';
import { fromEdgeList, maxFlow } from '@emplace/graph';
import { smallGraph } from './arbitraries.js';
import { bruteMinCut } from './brute-force.js';

describe('maxFlow', () => {
  it('max-flow value = capacity of the returned cut = brute-force min cut; flow is feasible and conserved', () => {
    fc.assert(
      fc.property(smallGraph(7, 16), fc.nat(), fc.nat(), (g, a, b) => {
        fc.pre(g.n >= 2);
        const s = a % g.n;
        const t = (s + 1 + (b % (g.n - 1))) % g.n;
        const r = maxFlow(g, s, t);
        expect(r.value).toBeCloseTo(bruteMinCut(g, s, t), 9);
        expect(r.cutCapacity).toBeCloseTo(r.value, 9);
        expect(r.cut[s]).toBe(1);
        expect(r.cut[t]).toBe(0);
        const net = new Float64Array(g.n);
        for (let e = 0; e < g.m; e++) {
          expect(Math.abs(r.flow[e]!)).toBeLessThanOrEqual(g.edgeW[e]! + 1e-9);
          net[g.edgeU[e]!]! -= r.flow[e]!;
          net[g.edgeV[e]!]! += r.flow[e]!;
        }
        for (let v = 0; v < g.n; v++) if (v !== s && v !== t) expect(Math.abs(net[v]!)).toBeLessThan(1e-9);
        expect(net[t]).toBeCloseTo(r.value, 9);
      }),
      { numRuns: 150 },
    );
  });

  it('directed mode respects arc directions', () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 5], [2, 1, 5], [0, 2, 1]] });
    expect(maxFlow(g, 0, 1, { directed: true }).value).toBe(5 + 1);
    expect(maxFlow(g, 1, 0, { directed: true }).value).toBe(0);
  });

  it('the maxflow family reads source and sink by id', async () => {
    const g = fromEdgeList([['a', 'b', 3], ['b', 'c', 2], ['a', 'c', 1]]);
    const r = await solve(g, { method: 'maxflow', source: 'a', sink: 'c' });
    expect(r.objective).toBe(3);
    expect(r.bound).toBe(3);
    await expect(Promise.resolve().then(() => solve(g, { method: 'maxflow', source: 'a', sink: 'zz' }))).rejects.toThrow(ModelError);
  });
});
