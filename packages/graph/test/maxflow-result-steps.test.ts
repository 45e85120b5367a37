import { describe, expect, it } from 'vitest';
import { Rng, runSteps, type Graph } from '@emplace/core';
import { drainSteps, weightedGrid } from '../../core/test/support/steps.js';
import { dinicAdvance, dinicResultSteps, dinicState, dinicStateSteps, maxFlow } from '../src/maxflow.js';
import { solveMaxFlow } from '../src/solvers.js';

/**
 * Issue 13: the minimum cut search and the flow copy after Dinic's last phase were one 62 ms
 * stretch on a 600 x 600 grid. In steps they compute the same cut, flow and value.
 */
const grid = (side: number, seed: number): Graph => weightedGrid(side, new Rng(seed), (r) => 1 + r.int(100));

describe('dinicResultSteps', () => {
  it('yields on a 200 x 200 grid and returns what maxFlow returns; the cut capacity equals the flow value', () => {
    const g = grid(200, 5);
    const sink = 200 * 200 - 1;
    const st = dinicState(g, 0, sink);
    while (!dinicAdvance(st, 1 << 16));
    const stepped = drainSteps(dinicResultSteps(st));
    expect(stepped.pauses).toBeGreaterThanOrEqual(2);
    const whole = maxFlow(g, 0, sink);
    expect(stepped.value.value).toBe(whole.value);
    expect(stepped.value.cutCapacity).toBeCloseTo(whole.value, 9);
    expect(stepped.value.flow).toEqual(whole.flow);
    expect(stepped.value.cutEdges).toEqual(whole.cutEdges);
    // Same answer when driven in one go.
    expect(runSteps(dinicResultSteps(st)).cutEdges).toEqual(stepped.value.cutEdges);
  });
});

describe('dinicStateSteps', () => {
  it('pauses while it builds the residual network of a 200 x 200 grid (79,600 edges) and builds the same one', () => {
    const g = grid(200, 7);
    for (const directed of [false, true]) {
      const stepped = drainSteps(dinicStateSteps(g, 0, g.n - 1, { directed }));
      // A checkpoint every 2^16 edges of the capacity pass and adjacency entries of the arc index.
      expect(stepped.pauses).toBeGreaterThanOrEqual(3);
      const whole = dinicState(g, 0, g.n - 1, { directed });
      expect(stepped.value.res).toEqual(whole.res);
      expect(stepped.value.adjArc).toEqual(whole.adjArc);
      expect(stepped.value.eps).toBe(whole.eps);
    }
  });

  it('solveMaxFlow gives the value, flow and source side of maxFlow', async () => {
    const g = grid(60, 9);
    const r = await solveMaxFlow(g, { source: 0, sink: g.n - 1 });
    const whole = maxFlow(g, 0, g.n - 1);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(r.objective).toBeCloseTo(whole.value, 9);
    expect(r.solution.flow).toEqual(whole.flow);
    expect(r.stats['sourceSide']).toBe(whole.cut.reduce((a, b) => a + b, 0));
  });
});

describe('solveMaxFlow stopped while its residual network is built', () => {
  it('answers the zero flow and the cut around the source (a bound), without finishing the setup', async () => {
    // 79,600 edges: the setup has a checkpoint (every 2^16 edges), where the stop is seen.
    const g = grid(200, 3);
    const ctl = new AbortController();
    ctl.abort();
    for (const directed of [false, true]) {
      const r = await solveMaxFlow(g, { source: 0, sink: g.n - 1, directed, signal: ctl.signal });
      expect(r.stoppedBy).toBe('aborted');
      if (!('solution' in r) || !r.solution) throw new Error('expected the zero flow');
      expect(r.objective).toBe(0);
      expect(r.solution.flow.every((x) => x === 0)).toBe(true);
      // Node 0 of the grid has two edges, both leaving it (u < v).
      expect(Array.from(r.solution.cutEdges)).toEqual([0, 1]);
      expect(r.solution.cutCapacity).toBe(g.edgeW[0]! + g.edgeW[1]!);
      expect(r.bound).toBe(r.solution.cutCapacity);
      expect(r.bound!).toBeGreaterThanOrEqual(maxFlow(g, 0, g.n - 1, { directed }).value);
    }
  });
});
