import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, Rng, solve, type Graph, type Result } from '@emplace/core';
import { dinicAdvance, dinicResult, dinicState, maxFlow } from '../src/maxflow.js';
import { smallGraph } from './arbitraries.js';
import '@emplace/graph';

/**
 * Issue 13: a timer-fired abort is seen in-thread only at a yield. Prim yielded only inside
 * a component of more than 32k nodes (a graph of many small components never yielded),
 * Kruskal sorted a million edges in one stretch, and each Dinic phase began with a
 * whole-graph BFS. These tests abort at the solver's FIRST yield to the event loop (a
 * setImmediate queued right after the call), never on a timer.
 */
async function abortAtFirstYield(model: Graph, options: Record<string, unknown>): Promise<Result<unknown>> {
  const ctl = new AbortController();
  const pending = solve(model, { ...options, signal: ctl.signal });
  setImmediate(() => ctl.abort());
  return pending;
}

/** `pairs` disjoint random-weight edges plus a sparse random layer: many small components. */
function manyComponents(pairs: number, seed: number): Graph {
  const rng = new Rng(seed);
  const n = 2 * pairs;
  const u = new Int32Array(pairs + pairs / 2);
  const v = new Int32Array(u.length);
  const w = new Float64Array(u.length);
  for (let e = 0; e < pairs; e++) {
    u[e] = 2 * e;
    v[e] = 2 * e + 1;
    w[e] = 1 + rng.int(100);
  }
  for (let e = pairs; e < u.length; e++) {
    u[e] = rng.int(n);
    v[e] = (u[e]! + 2 + rng.int(6)) % n;
    w[e] = 1 + rng.int(100);
  }
  return createGraph({ n, edges: { u, v, w } });
}

describe('graph methods see an abort at their first yield (issue 13)', () => {
  const g = manyComponents(300_000, 3);

  for (const method of ['mst:prim', 'mst:kruskal']) {
    it(`${method} on ${g.n} nodes in many components stops with stoppedBy aborted`, async () => {
      const r = await abortAtFirstYield(g, { method });
      expect(r.stoppedBy).toBe('aborted');
    });
  }

  it('Dinic resumed with a tiny work budget (the BFS interrupted mid-way) equals the uninterrupted max flow', () => {
    fc.assert(
      fc.property(smallGraph(8, 20), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 5 }), (g, a, b, budget) => {
        fc.pre(g.n >= 2);
        const s = a % g.n;
        const t = (s + 1 + (b % (g.n - 1))) % g.n;
        const st = dinicState(g, s, t);
        while (!dinicAdvance(st, budget));
        const r = dinicResult(st);
        const want = maxFlow(g, s, t);
        expect(r.value).toBeCloseTo(want.value, 9);
        expect(r.cutCapacity).toBeCloseTo(want.value, 9);
      }),
      { numRuns: 150 },
    );
  });
});
