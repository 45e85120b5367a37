/**
 * Cases restated from networkx's algebraic connectivity tests
 * (networkx linalg/tests/test_algebraic_connectivity.py): lambda2 of the two-node graph,
 * path(8), cycle(8), the "problematic graph" of issue 2381 and the buckminsterfullerene
 * (combinatorial and normalized Laplacian) with networkx's expected values, the eigenvector
 * check of upstream `check_eigenvector`, disconnected graphs (lambda2 = 0), the null and
 * singleton graphs (refused), spectral_bisection of barbell_graph(3, 0), and the
 * spectral_ordering cases (nodes sorted by the Fiedler vector). Run for each of our
 * eigensolver paths: dense, LOBPCG and shift-invert (factorization 'always').
 *
 * Semantics that differ by design (fiedler.ts doc): a disconnected graph answers lambda2 = 0
 * with a vector separating a component (networkx: fiedler_vector raises); negative weights
 * (networkx test_two_nodes_multigraph sums a -2 and a 1 parallel edge) are a ModelError.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve, type Graph } from '@emplace/core';
import { fromEdgeList } from '@emplace/graph';
import { algebraicConnectivity, conductanceOf, cutQuality, fiedler, laplacian, spectralBisection, type SpectralOptions } from '@emplace/spectral';

const SOLVERS: [string, SpectralOptions][] = [
  ['dense', { method: 'dense' }],
  ['lobpcg', { method: 'lobpcg' }],
  ['shift-invert', { method: 'auto', denseMaxNodes: 0, factorization: 'always' }],
];

// test_buckminsterfullerene: networkx's edge list, nodes 1..60.
const C60: [number, number][] = [
  [1, 10], [1, 41], [1, 59], [2, 12], [2, 42], [2, 60], [3, 6], [3, 43], [3, 57], [4, 8], [4, 44], [4, 58], [5, 13], [5, 56], [5, 57],
  [6, 10], [6, 31], [7, 14], [7, 56], [7, 58], [8, 12], [8, 32], [9, 23], [9, 53], [9, 59], [10, 15], [11, 24], [11, 53], [11, 60], [12, 16],
  [13, 14], [13, 25], [14, 26], [15, 27], [15, 49], [16, 28], [16, 50], [17, 18], [17, 19], [17, 54], [18, 20], [18, 55], [19, 23], [19, 41], [20, 24],
  [20, 42], [21, 31], [21, 33], [21, 57], [22, 32], [22, 34], [22, 58], [23, 24], [25, 35], [25, 43], [26, 36], [26, 44], [27, 51], [27, 59], [28, 52],
  [28, 60], [29, 33], [29, 34], [29, 56], [30, 51], [30, 52], [30, 53], [31, 47], [32, 48], [33, 45], [34, 46], [35, 36], [35, 37], [36, 38], [37, 39],
  [37, 49], [38, 40], [38, 50], [39, 40], [39, 51], [40, 52], [41, 47], [42, 48], [43, 49], [44, 50], [45, 46], [45, 54], [46, 55], [47, 54], [48, 55],
];

function pathGraph(n: number): Graph {
  return fromEdgeList(Array.from({ length: n - 1 }, (_, i) => [i, i + 1, 1] as const), { n });
}

/** networkx check_eigenvector: x is an eigenvector of the Laplacian with eigenvalue l. */
function checkEigenvector(g: Graph, kind: 'combinatorial' | 'normalized', l: number, x: Float64Array): void {
  const lap = laplacian(g, kind);
  const y = new Float64Array(g.n);
  lap.multiply(x, y);
  let nx = 0, ny = 0, dot = 0;
  for (let i = 0; i < g.n; i++) {
    nx += x[i]! * x[i]!;
    ny += y[i]! * y[i]!;
    dot += x[i]! * y[i]!;
  }
  nx = Math.sqrt(nx);
  ny = Math.sqrt(ny);
  expect(nx).toBeGreaterThan(1e-7);
  expect(Math.abs(dot - nx * ny)).toBeLessThan(1e-7);
  expect(Math.abs(ny - l * nx)).toBeLessThan(1e-7);
}

const CASES: [string, () => Graph, 'combinatorial' | 'normalized', number][] = [
  ['test_two_nodes', () => fromEdgeList([[0, 1, 1]]), 'combinatorial', 2],
  ['test_path (path_graph(8))', () => pathGraph(8), 'combinatorial', 2 - Math.sqrt(2 + Math.sqrt(2))],
  ['test_problematic_graph_issue_2381', () => fromEdgeList([[0, 1, 1], [1, 2, 1], [2, 3, 1], [4, 2, 1], [5, 1, 1]]), 'combinatorial', 0.438447187191],
  ['test_cycle (cycle_graph(8))', () => fromEdgeList([...Array.from({ length: 7 }, (_, i) => [i, i + 1, 1] as const), [7, 0, 1] as const]), 'combinatorial', 2 - Math.sqrt(2)],
  ['test_buckminsterfullerene', () => fromEdgeList(C60.map(([u, v]) => [String(u), String(v), 1] as const)), 'combinatorial', 0.2434017461399311],
  ['test_buckminsterfullerene normalized', () => fromEdgeList(C60.map(([u, v]) => [String(u), String(v), 1] as const)), 'normalized', 0.08113391537997749],
];

describe('networkx test_algebraic_connectivity.py cases', () => {
  for (const [solverName, options] of SOLVERS) {
    describe(solverName, () => {
      for (const [name, make, kind, sigma] of CASES) {
        it(`${name}: lambda2 = ${sigma}, and the vector is its eigenvector`, () => {
          const g = make();
          const f = fiedler(g, { ...options, laplacian: kind, tolerance: 1e-12 });
          expect(Math.abs(f.lambda2 - sigma)).toBeLessThan(1e-7);
          checkEigenvector(g, kind, sigma, f.vector);
          expect(Math.abs(algebraicConnectivity(g, { ...options, laplacian: kind }) - sigma)).toBeLessThan(1e-7);
        });
      }

      it('test_disconnected: two isolated nodes, then joined by a zero-weight edge -> lambda2 = 0', () => {
        for (const g of [createGraph({ n: 2, edges: [] }), createGraph({ n: 2, edges: [[0, 1, 0]] })]) {
          const f = fiedler(g, options);
          expect(f.lambda2).toBe(0);
          expect(f.connected).toBe(false);
          expect(f.components.count).toBe(2);
        }
      });

      it('test_null_and_singleton: the empty graph, one node, one node with a self-loop -> ModelError', () => {
        expect(() => fiedler(createGraph({ n: 0, edges: [] }), options)).toThrow(ModelError);
        expect(() => fiedler(createGraph({ n: 1, edges: [] }), options)).toThrow(ModelError);
        expect(() => fiedler(createGraph({ n: 1, edges: [[0, 0, 1]], selfLoops: 'drop' }), options)).toThrow(ModelError);
      });

      it('TestSpectralOrdering::test_path: a shuffled path sorted by the Fiedler vector is the path (or reversed)', () => {
        const order = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4];
        const g = createGraph({ n: 10, edges: order.slice(1).map((v, i) => [order[i]!, v, 1] as [number, number, number]) });
        const f = fiedler(g, options);
        const sorted = Array.from({ length: 10 }, (_, v) => v).sort((a, b) => f.vector[a]! - f.vector[b]!);
        expect([order, [...order].reverse()]).toContainEqual(sorted);
      });

      it('TestSpectralOrdering::test_cycle: path of weight-5 edges closed by a weight-1 edge, networkx\'s orders', () => {
        const edges: [number, number, number][] = Array.from({ length: 9 }, (_, i) => [i, i + 1, 5]);
        edges.push([9, 0, 1]);
        const g = createGraph({ n: 10, edges });
        const expected: Record<'combinatorial' | 'normalized', number[][]> = {
          combinatorial: [[1, 2, 0, 3, 4, 5, 6, 9, 7, 8], [8, 7, 9, 6, 5, 4, 3, 0, 2, 1]],
          normalized: [[1, 2, 3, 0, 4, 5, 9, 6, 7, 8], [8, 7, 6, 9, 5, 4, 0, 3, 2, 1]],
        };
        for (const kind of ['combinatorial', 'normalized'] as const) {
          const f = fiedler(g, { ...options, laplacian: kind, tolerance: 1e-12 });
          const sorted = Array.from({ length: 10 }, (_, v) => v).sort((a, b) => f.vector[a]! - f.vector[b]!);
          expect(expected[kind]).toContainEqual(sorted);
        }
      });

      it('TestSpectralOrdering::test_three_nodes: weights (1,2)=1, (1,3)=2, (2,3)=1 -> 1 and 3 adjacent in the order', () => {
        const g = fromEdgeList([['1', '2', 1], ['1', '3', 2], ['2', '3', 1]]);
        const f = fiedler(g, options);
        const sorted = [0, 1, 2].sort((a, b) => f.vector[a]! - f.vector[b]!).map((v) => g.ids[v]);
        // {1, 3} adjacent in a 3-node order: node 2 sits at one end.
        expect(sorted[1]).not.toBe('2');
      });
    });
  }

  it('test_two_nodes_multigraph: a negative (summed) edge weight is a ModelError, not a spectrum', () => {
    const g = createGraph({ n: 2, edges: [[0, 1, 1], [0, 1, -2]], allowNegative: true });
    expect(() => fiedler(g)).toThrow(ModelError);
  });

  it('test_spectral_bisection: barbell_graph(3, 0) -> {0, 1, 2} | {3, 4, 5}, also relabelled "badfec"', async () => {
    const barbell: [number, number][] = [[0, 1], [0, 2], [1, 2], [2, 3], [3, 4], [3, 5], [4, 5]];
    for (const laplacianKind of ['combinatorial', 'normalized'] as const) {
      const g = fromEdgeList(barbell.map(([u, v]) => [u, v, 1] as const));
      const b = spectralBisection(g, { laplacian: laplacianKind });
      const a = [0, 1, 2, 3, 4, 5].filter((v) => b.side[v] === b.side[0]);
      expect(a).toEqual([0, 1, 2]);
      const label = 'badfec';
      const h = fromEdgeList(barbell.map(([u, v]) => [label[u]!, label[v]!, 1] as const));
      const c = spectralBisection(h, { laplacian: laplacianKind });
      const side = h.ids.filter((_, v) => c.side[v] === c.side[h.ids.indexOf('b')]).sort();
      expect(side).toEqual(['a', 'b', 'd']);
    }
    const r = await solve(fromEdgeList(barbell.map(([u, v]) => [u, v, 1] as const)), { method: 'partition:spectral', k: 2 });
    expect(r.status === 'optimal' || r.status === 'feasible').toBe(true);
  });

  it('the registry\'s fiedler family answers test_path\'s lambda2', async () => {
    const r = await solve(pathGraph(8), { method: 'fiedler' });
    expect(Math.abs(r.objective! - (2 - Math.sqrt(2 + Math.sqrt(2))))).toBeLessThan(1e-7);
  });
});

describe('extra instances with networkx\'s answers', () => {
  it('60 random weighted graphs (some disconnected): lambda2 of networkx\'s Laplacian and normalized Laplacian, dense and LOBPCG', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-networkx-random-spectral.json', import.meta.url), 'utf8')) as {
      instances: [number, [number, number, number][], number, number | null, boolean][];
    };
    for (const [i, [n, edges, combinatorial, normalized, connected]] of doc.instances.entries()) {
      const g = createGraph({ n, edges });
      for (const method of ['dense', 'lobpcg'] as const) {
        const f = fiedler(g, { method });
        expect([i, method, f.connected]).toEqual([i, method, connected]);
        expect(Math.abs(f.lambda2 - combinatorial)).toBeLessThan(1e-8);
        if (normalized !== null) expect(Math.abs(fiedler(g, { method, laplacian: 'normalized' }).lambda2 - normalized)).toBeLessThan(1e-8);
      }
    }
  });
});

describe('networkx algorithms/tests/test_cuts.py cases (undirected), through cutQuality / conductanceOf', () => {
  const barbell3: [number, number, number][] = [[0, 1, 1], [0, 2, 1], [1, 2, 1], [2, 3, 1], [3, 4, 1], [3, 5, 1], [4, 5, 1]];
  const sideOf = (n: number, s: readonly number[]): Uint8Array => {
    const side = new Uint8Array(n);
    for (const v of s) side[v] = 1;
    return side;
  };

  it('TestCutSize::test_symmetric / test_single_edge: barbell_graph(3, 0), S = {0, 1, 4} -> 4, S = {0, 1, 2} -> 1', () => {
    const g = createGraph({ n: 6, edges: barbell3 });
    expect(cutQuality(laplacian(g), sideOf(6, [0, 1, 4])).cutWeight).toBe(4);
    expect(cutQuality(laplacian(g), sideOf(6, [2, 3, 5])).cutWeight).toBe(4);
    expect(cutQuality(laplacian(g), sideOf(6, [0, 1, 2])).cutWeight).toBe(1);
  });

  it('TestCutSize::test_multigraph: two parallel a-b edges -> 2', () => {
    const g = fromEdgeList([['a', 'b', 1], ['a', 'b', 1]]);
    expect(cutQuality(laplacian(g), sideOf(2, [0])).cutWeight).toBe(2);
  });

  it('TestVolume: cycle_graph(4) {0, 1} -> 4; doubled cycle -> 8; barbell_graph(3, 0) halves -> 7 and 7', () => {
    const cycle: [number, number, number][] = [[0, 1, 1], [1, 2, 1], [2, 3, 1], [3, 0, 1]];
    expect(cutQuality(laplacian(createGraph({ n: 4, edges: cycle })), sideOf(4, [0, 1])).volumes[0]).toBe(4);
    expect(cutQuality(laplacian(createGraph({ n: 4, edges: [...cycle, ...cycle] })), sideOf(4, [0, 1])).volumes[0]).toBe(8);
    expect(cutQuality(laplacian(createGraph({ n: 6, edges: barbell3 })), sideOf(6, [0, 1, 2])).volumes).toEqual([7, 7]);
  });

  it('TestNormalizedCutSize::test_graph: path_graph(4), S = {1, 2} -> 2 (1/4 + 1/2)', () => {
    const q = cutQuality(laplacian(pathGraph(4)), sideOf(4, [1, 2]));
    expect(q.cutWeight / q.volumes[0] + q.cutWeight / q.volumes[1]).toBe(2 * (1 / 4 + 1 / 2));
  });

  it('TestConductance::test_graph: barbell_graph(3, 0), S = {0, 1, 2} -> 1/7', () => {
    const g = createGraph({ n: 6, edges: barbell3 });
    expect(conductanceOf(g, sideOf(6, [0, 1, 2]))).toBe(1 / 7);
    expect(cutQuality(laplacian(g), sideOf(6, [0, 1, 2])).conductance).toBe(1 / 7);
  });
});

