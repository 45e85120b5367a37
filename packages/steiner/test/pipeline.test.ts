import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, runSteps } from '@emplace/core';
import { createSteinerProblem, dreyfusWagner, isSteinerTree, solveSteiner, WorkGraph } from '@emplace/steiner';
import { reductionSteps } from '../src/pipeline.js';
import { bruteForce, connectedInstance, hasFile, reducedOptimum, readStp, steinlibFile, steinlibOptimum, treeCost } from './helpers.js';

describe('reduction pipeline', () => {
  it('the reduction steps (degree, special-distance, long-edge rounds) keep the optimum', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const wg = new WorkGraph(p.graph, p.terminals);
        runSteps(reductionSteps(wg, () => false));
        expect(reducedOptimum(wg)).toBe(opt);
      }),
      { numRuns: 200 },
    );
  });

  it('auto on grid graphs with unit weights (many ties) proves the Dreyfus-Wagner optimum', async () => {
    const side = 5;
    const edges: [number, number, number][] = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
      if (j + 1 < side) edges.push([i * side + j, i * side + j + 1, 1]);
      if (i + 1 < side) edges.push([i * side + j, (i + 1) * side + j, 1]);
    }
    const g = createGraph({ n: side * side, edges });
    const p = createSteinerProblem(g, [0, 4, 12, 20, 24]);
    const isT = new Uint8Array(g.n);
    for (const t of p.terminals) isT[t] = 1;
    const opt = dreyfusWagner(g, p.terminals, isT)!.cost;
    const r = await solveSteiner(p, { method: 'auto', timeLimitMs: 20_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(opt);
  });

  const b18 = steinlibFile('B', 'b18');
  it.skipIf(!hasFile(b18))('auto proves the published optimum of SteinLib b18', async () => {
    const p = readStp(b18);
    const r = await solveSteiner(p, { method: 'auto', timeLimitMs: 30_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(steinlibOptimum('b18'));
    expect(treeCost(p.graph, r.solution!.edges)).toBe(r.objective);
  });

  const c03 = steinlibFile('C', 'c03');
  it.skipIf(!hasFile(c03))('an abort fired by a timer mid-run returns a tree (the incumbent), stoppedBy aborted', async () => {
    const p = readStp(c03);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 30);
    const r = await solveSteiner(p, { method: 'auto', signal: ctrl.signal, timeLimitMs: 60_000 });
    clearTimeout(timer);
    expect(r.solution).toBeDefined();
    expect(isSteinerTree(p.graph, r.solution!.edges, p.terminals)).toBe(true);
    if (r.status !== 'optimal') expect(r.stoppedBy).toBe('aborted');
  });
});
