import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import { kruskal } from '@emplace/graph';
import {
  createSteinerProblem,
  cutMip,
  dreyfusWagner,
  kmb,
  dualAscent,
  dualAscentEliminations,
  isSteinerTree,
  solveSteiner,
  WorkGraph,
  type SteinerMethod,
  type SteinerProblem,
} from '@emplace/steiner';

/** Random connected graph: a random spanning tree plus extra edges; integer weights 0..9 (some parallel edges). */
const connectedInstance = (maxN = 8): fc.Arbitrary<SteinerProblem> =>
  fc
    .integer({ min: 2, max: maxN })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
        extra: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 2 * n }),
        weights: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4 * n, maxLength: 4 * n }),
        terminals: fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: Math.min(n, 5) }),
      }),
    )
    .map(({ n, parents, extra, weights, terminals }) => {
      const edges: [number, number, number][] = [];
      for (let v = 1; v < n; v++) edges.push([v, parents[v - 1]! % v, weights[edges.length]!]);
      for (const [u, v] of extra) if (u !== v) edges.push([u, v, weights[edges.length % weights.length]!]);
      return createSteinerProblem(createGraph({ n, edges }), terminals);
    });

/** Brute force: every set of Steiner nodes, MST of the induced subgraph on terminals + those nodes. */
function bruteForce(p: SteinerProblem): number {
  const g = p.graph;
  const isT = new Uint8Array(g.n);
  for (const t of p.terminals) isT[t] = 1;
  const others = Array.from({ length: g.n }, (_, v) => v).filter((v) => !isT[v]);
  let best = Infinity;
  for (let mask = 0; mask < 1 << others.length; mask++) {
    const keep = new Uint8Array(g.n);
    for (const t of p.terminals) keep[t] = 1;
    others.forEach((v, i) => {
      if (mask & (1 << i)) keep[v] = 1;
    });
    const idx: number[] = [];
    const edges: [number, number, number][] = [];
    const map = new Int32Array(g.n).fill(-1);
    for (let v = 0; v < g.n; v++) if (keep[v]) map[v] = idx.push(v) - 1;
    for (let e = 0; e < g.m; e++) if (keep[g.edgeU[e]!] && keep[g.edgeV[e]!]) edges.push([map[g.edgeU[e]!]!, map[g.edgeV[e]!]!, g.edgeW[e]!]);
    const f = kruskal(createGraph({ n: idx.length, edges }));
    if (f.components === 1) best = Math.min(best, f.weight);
  }
  return best;
}

function treeCost(g: Graph, edges: ArrayLike<number>): number {
  let c = 0;
  for (let k = 0; k < edges.length; k++) c += g.edgeW[edges[k]!]!;
  return c;
}

const HEURISTICS: SteinerMethod[] = ['kmb', 'mehlhorn', 'sph', 'local-search', 'heuristic'];

describe('steiner on small random graphs', () => {
  it('Dreyfus-Wagner equals brute force', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const isT = new Uint8Array(p.graph.n);
        for (const t of p.terminals) isT[t] = 1;
        const dw = dreyfusWagner(p.graph, p.terminals, isT)!;
        expect(dw.cost).toBe(bruteForce(p));
        expect(isSteinerTree(p.graph, dw.edges, p.terminals)).toBe(true);
        expect(treeCost(p.graph, dw.edges)).toBe(dw.cost);
      }),
      { numRuns: 150 },
    );
  });

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

  it('the cut MIP alone (no reductions) proves the brute-force optimum from a heuristic start', async () => {
    await fc.assert(
      fc.asyncProperty(connectedInstance(7), async (p) => {
        fc.pre(p.terminals.length >= 2);
        const opt = bruteForce(p);
        const isT = new Uint8Array(p.graph.n);
        for (const t of p.terminals) isT[t] = 1;
        const start = kmb(p.graph, p.terminals, isT);
        const startCost = treeCost(p.graph, start);
        const r = await cutMip(p.graph, p.terminals, isT, { edges: start, cost: startCost }, { deadline: Infinity, integral: true });
        expect(r.proven).toBe(true);
        expect(r.lowerBound).toBeLessThanOrEqual(opt + 1e-9);
        expect(r.cost ?? startCost).toBe(opt);
        if (r.edges) expect(isSteinerTree(p.graph, r.edges, p.terminals)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('reductions preserve the optimum (degree, terminal, long-edge tests and dual-ascent eliminations)', () => {
    fc.assert(
      fc.property(connectedInstance(), (p) => {
        const opt = bruteForce(p);
        const wg = new WorkGraph(p.graph, p.terminals);
        wg.degreeTests();
        wg.longEdgeTest();
        wg.degreeTests();
        const r = wg.compact();
        const dw = dreyfusWagner(r.graph, r.terminals, r.isTerminal)!;
        expect(dw.cost + r.fixedCost).toBe(opt);
        if (r.terminals.length >= 2) {
          const da = dualAscent(r.graph, r.terminals, r.terminals[0]!);
          expect(da.lowerBound + r.fixedCost).toBeLessThanOrEqual(opt + 1e-9);
          const elim = dualAscentEliminations(r.graph, da, r.terminals, r.isTerminal, opt - r.fixedCost);
          for (let e = 0; e < r.graph.m; e++) if (elim.deadEdges[e]) wg.deleteEdge(r.edgeOf[e]!);
          for (let v = 0; v < r.graph.n; v++) if (elim.deadNodes[v]) wg.deleteNode(r.nodeOf[v]!);
          wg.degreeTests();
          const r2 = wg.compact();
          const dw2 = dreyfusWagner(r2.graph, r2.terminals, r2.isTerminal)!;
          expect(dw2.cost + r2.fixedCost).toBe(opt);
        }
      }),
      { numRuns: 200 },
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
