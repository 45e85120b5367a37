import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, solve } from '@emplace/core';
import { createSteinerProblem, isSteinerTree, solveSteiner, type SteinerMethod } from '@emplace/steiner';
import { bruteForce, connectedInstance, treeCost } from './helpers.js';

const HEURISTICS: SteinerMethod[] = ['kmb', 'mehlhorn', 'sph', 'local-search', 'heuristic'];

describe('solveSteiner on small random graphs', () => {
  it('every method returns a tree of graph edges spanning the terminals, with its recomputed cost; approximations within 2x', async () => {
    await fc.assert(
      fc.asyncProperty(connectedInstance(), async (p) => {
        const opt = bruteForce(p);
        for (const method of HEURISTICS) {
          const r = await solveSteiner(p, { method });
          expect(r.status === 'optimal' || r.status === 'feasible').toBe(true);
          if (!r.solution) return;
          const edges = r.solution.edges;
          for (const e of edges) expect(e >= 0 && e < p.graph.m).toBe(true);
          expect(isSteinerTree(p.graph, edges, p.terminals)).toBe(true);
          expect(r.objective).toBe(treeCost(p.graph, edges));
          expect(r.solution.cost).toBe(r.objective);
          expect(r.objective).toBeLessThanOrEqual(2 * opt + 1e-9);
          expect(r.objective).toBeGreaterThanOrEqual(opt);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the exact methods (auto = reductions + dual ascent + cut MIP, and Dreyfus-Wagner) find the brute-force optimum', async () => {
    await fc.assert(
      fc.asyncProperty(connectedInstance(7), async (p) => {
        const opt = bruteForce(p);
        for (const method of ['auto', 'dreyfus-wagner'] as const) {
          const r = await solveSteiner(p, { method });
          expect(r.status).toBe('optimal');
          expect(r.objective).toBe(opt);
          expect(r.bound).toBe(opt);
          expect(isSteinerTree(p.graph, r.solution!.edges, p.terminals)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

});

describe('steiner special input', () => {
  const g = createGraph({ n: 5, edges: [[0, 1, 1], [1, 2, 1], [0, 2, 5], [3, 4, 1]] });

  it('a single terminal gives the empty tree, optimal', async () => {
    const r = await solveSteiner(createSteinerProblem(g, [2]), { method: 'auto' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(0);
    expect(r.solution!.edges.length).toBe(0);
    expect(Array.from(r.solution!.nodes)).toEqual([2]);
  });

  it('terminals in different components are infeasible with a certificate', async () => {
    for (const method of ['auto', 'kmb'] as const) {
      const r = await solveSteiner(createSteinerProblem(g, [0, 4]), { method });
      expect(r.status).toBe('infeasible');
      if (r.status !== 'infeasible') return;
      expect(r.certificate?.fields).toEqual(['terminals[0]', 'terminals[1]']);
    }
  });

  it('bad input names the field', async () => {
    expect(() => createSteinerProblem(g, [0, 9])).toThrow(/terminals\[1\]/);
    expect(() => createSteinerProblem(g, [])).toThrow(ModelError);
    expect(() => createSteinerProblem(g, ['x'])).toThrow(/terminals\[0\]/);
    const neg = createGraph({ n: 2, edges: [[0, 1, -1]], allowNegative: true });
    expect(() => createSteinerProblem(neg, [0, 1])).toThrow(/edges\[0\] weight/);
    await expect(solveSteiner(createSteinerProblem(g, [0, 1]), { method: 'nope' as SteinerMethod })).rejects.toThrow(/options.method/);
  });

  it('parallel edges: the cheapest is used; repeated terminals count once; ids are accepted', async () => {
    const multi = createGraph({ nodes: ['a', 'b', 'c'], edges: [['a', 'b', 5], ['a', 'b', 2], ['b', 'c', 1], ['a', 'c', 9]] });
    const r = await solveSteiner(createSteinerProblem(multi, ['a', 'c', 'a']), { method: 'auto' });
    expect(r.objective).toBe(3);
    expect(Array.from(r.solution!.edges)).toEqual([1, 2]);
  });

  it('solves through the registry, is deterministic per seed and does not mutate its input', async () => {
    const p = fc.sample(connectedInstance(8), { seed: 7, numRuns: 1 })[0]!;
    const before = Float64Array.from(p.graph.edgeW);
    const a = await solve(p, { method: 'steiner:heuristic', seed: 3 });
    const b = await solve(p, { method: 'steiner:heuristic', seed: 3 });
    expect(a.objective).toBe(b.objective);
    expect(JSON.stringify(a.solution)).toBe(JSON.stringify(b.solution));
    expect(Array.from(p.graph.edgeW)).toEqual(Array.from(before));
    const auto = await solve(p, { method: 'steiner' });
    expect(auto.status).toBe('optimal');
  });

  it('an aborted signal still returns a tree (stoppedBy aborted); progress events never have bound above incumbent', async () => {
    const p = fc.sample(connectedInstance(8), { seed: 5, numRuns: 1 })[0]!;
    const ctrl = new AbortController();
    ctrl.abort();
    const r = await solveSteiner(p, { signal: ctrl.signal, method: 'auto' });
    expect(r.solution).toBeDefined();
    expect(isSteinerTree(p.graph, r.solution!.edges, p.terminals)).toBe(true);
    if (p.terminals.length > 1) expect(r.stoppedBy).toBe('aborted');
    const events: { incumbent?: number | undefined; bound?: number | undefined }[] = [];
    await solveSteiner(p, { onProgress: (e) => events.push(e), progressIntervalMs: 0, method: 'mip' });
    for (const e of events) if (e.incumbent !== undefined && e.bound !== undefined) expect(e.bound).toBeLessThanOrEqual(e.incumbent + 1e-9);
  });

  it('a zero time limit still returns a tree', async () => {
    const p = fc.sample(connectedInstance(8), { seed: 11, numRuns: 1 })[0]!;
    const r = await solveSteiner(p, { timeLimitMs: 0, method: 'auto' });
    expect(r.solution).toBeDefined();
    expect(isSteinerTree(p.graph, r.solution!.edges, p.terminals)).toBe(true);
  });
});
