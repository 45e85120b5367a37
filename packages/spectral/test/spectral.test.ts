import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, Rng, createGraph, solve, type Graph } from '@emplace/core';
import {
  addLinksForConnectivity,
  averagingBounds,
  fiedler,
  laplacian,
  largestEigenpair,
  recursivePartition,
  smallestEigenpairs,
  solveFiedler,
  solvePartition,
  spectralBisection,
  spectralEmbedding,
  symmetricEigen,
} from '@emplace/spectral';

function graph(n: number, edges: [number, number, number?][]): Graph {
  return createGraph({ n, edges });
}
const path = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
const cycle = (n: number) => graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));
const star = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number]));
function complete(n: number): Graph {
  const e: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e.push([i, j]);
  return graph(n, e);
}
function hypercube(d: number): Graph {
  const n = 1 << d;
  const e: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let b = 0; b < d; b++) if (!(i & (1 << b))) e.push([i, i | (1 << b)]);
  return graph(n, e);
}
/** A random connected weighted graph: a random tree plus extra edges. */
function randomConnected(n: number, extra: number, seed: number, weighted = true): Graph {
  const rng = new Rng(seed);
  const e: [number, number, number][] = [];
  for (let i = 1; i < n; i++) e.push([rng.int(i), i, weighted ? 0.1 + rng.next() * 2 : 1]);
  for (let t = 0; t < extra; t++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a !== b) e.push([a, b, weighted ? 0.1 + rng.next() * 2 : 1]);
  }
  return graph(n, e);
}
function denseLambda2(g: Graph, kind: 'combinatorial' | 'normalized' = 'combinatorial'): number {
  return symmetricEigen(laplacian(g, kind).toDense(), g.n).values[1]!;
}
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('Laplacian', () => {
  it('merges parallel edges (weights add up) and multiplies without allocating new output', () => {
    const g = graph(3, [[0, 1, 2], [1, 0, 3], [1, 2, 1]]);
    const L = laplacian(g);
    expect(Array.from(L.toDense())).toEqual([5, -5, 0, -5, 6, -1, 0, -1, 1]);
    const y = new Float64Array(3);
    L.multiply(Float64Array.of(1, 2, 3), y);
    expect(Array.from(y)).toEqual([5 - 10, -5 + 12 - 3, -2 + 3]);
    expect(L.quadraticForm(Float64Array.of(1, 2, 3))).toBeCloseTo(dot(Float64Array.of(1, 2, 3), y), 12);
  });
  it('normalized Laplacian is I - D^-1/2 W D^-1/2', () => {
    const g = graph(3, [[0, 1, 1], [1, 2, 3]]);
    const N = laplacian(g, 'normalized').toDense();
    expect(N[0]).toBe(1);
    expect(N[1]).toBeCloseTo(-1 / Math.sqrt(1 * 4), 14);
    expect(N[5]).toBeCloseTo(-3 / Math.sqrt(4 * 3), 14);
  });
});

describe('lambda2 closed forms (dense and LOBPCG)', () => {
  const cases: [string, Graph, number][] = [
    ['path 200', path(200), 2 * (1 - Math.cos(Math.PI / 200))],
    ['cycle 150', cycle(150), 2 * (1 - Math.cos((2 * Math.PI) / 150))],
    ['complete 60', complete(60), 60],
    ['star 100', star(100), 1],
    ['hypercube 7', hypercube(7), 2],
    ['path 12', path(12), 2 * (1 - Math.cos(Math.PI / 12))],
    // lambda2 = 2.5e-6 is tiny next to ||L|| = 4: needs the relative (value) tolerance too.
    ['path 2000', path(2000), 2 * (1 - Math.cos(Math.PI / 2000))],
  ];
  for (const [name, g, exact] of cases) {
    for (const method of ['lobpcg', 'dense'] as const) {
      if (method === 'dense' && g.n > 500) continue;
      it(`${name} by ${method}`, () => {
        const f = fiedler(g, { method });
        expect(Math.abs(f.lambda2 - exact) / exact).toBeLessThan(1e-9);
        expect(f.relativeResidual).toBeLessThan(1e-8);
        expect(Math.abs(dot(f.vector, f.vector) - 1)).toBeLessThan(1e-12);
        expect(Math.abs(f.vector.reduce((s, x) => s + x, 0))).toBeLessThan(1e-10);
      });
    }
  }
});

describe('Fiedler properties on random graphs', () => {
  it('LOBPCG matches the dense oracle; unit vector orthogonal to 1; Rayleigh quotient = lambda2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 90 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (n, extra, seed, normalized) => {
        const g = randomConnected(n, extra, seed);
        const kind = normalized ? 'normalized' : 'combinatorial';
        const f = fiedler(g, { method: 'lobpcg', laplacian: kind, seed });
        const exact = denseLambda2(g, kind);
        expect(Math.abs(f.lambda2 - exact)).toBeLessThanOrEqual(1e-8 * exact);
        expect(f.relativeResidual).toBeLessThanOrEqual(1e-8);
        expect(Math.abs(Math.sqrt(dot(f.vector, f.vector)) - 1)).toBeLessThan(1e-12);
        const L = laplacian(g, kind);
        expect(Math.abs(dot(f.vector, L.nullVector))).toBeLessThan(1e-10);
        const y = new Float64Array(n);
        L.multiply(f.vector, y);
        expect(Math.abs(dot(f.vector, y) - f.lambda2)).toBeLessThan(1e-10 * Math.max(1, f.normL));
      }),
      { numRuns: 40 },
    );
  });
  it('lambda2 is monotone under edge addition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 60 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (n, seed, pick) => {
        const g = randomConnected(n, n, seed);
        const a = pick % n;
        const b = (a + 1 + (pick % (n - 1))) % n;
        const g2 = createGraph({ n, edges: { u: [...g.edgeU, a], v: [...g.edgeV, b], w: [...g.edgeW, 0.5] } });
        expect(fiedler(g2, { method: 'lobpcg' }).lambda2).toBeGreaterThanOrEqual(fiedler(g, { method: 'lobpcg' }).lambda2 * (1 - 1e-9));
      }),
      { numRuns: 25 },
    );
  });
  it('is deterministic per seed and does not mutate its input', () => {
    const g = randomConnected(300, 600, 5);
    const before = [Float64Array.from(g.edgeW), Int32Array.from(g.adjNode)];
    const a = fiedler(g, { seed: 3 });
    const b = fiedler(g, { seed: 3 });
    expect(Array.from(a.vector)).toEqual(Array.from(b.vector));
    expect(Array.from(g.edgeW)).toEqual(Array.from(before[0]!));
    expect(Array.from(g.adjNode)).toEqual(Array.from(before[1]!));
  });
  it('the k smallest pairs and the largest eigenvalue match the dense spectrum', () => {
    const g = randomConnected(150, 300, 11);
    const dense = symmetricEigen(laplacian(g).toDense(), g.n).values;
    const p = smallestEigenpairs(g, 5, { method: 'lobpcg' });
    for (let j = 0; j < 5; j++) expect(p.values[j]!).toBeCloseTo(dense[j]!, 9);
    const top = largestEigenpair(g);
    expect(Math.abs(top.value - dense[g.n - 1]!) / dense[g.n - 1]!).toBeLessThan(1e-9);
    const emb = spectralEmbedding(g, 2);
    expect(emb.coordinates.length).toBe(300);
  });
});

describe('disconnected graphs', () => {
  it('lambda2 = 0 exactly, with the components and an exact null vector', async () => {
    const g = graph(7, [[0, 1], [1, 2], [3, 4], [4, 5], [5, 3]]);
    const f = fiedler(g);
    expect(f.lambda2).toBe(0);
    expect(f.connected).toBe(false);
    expect(f.components.count).toBe(3);
    expect(f.residual).toBeLessThan(1e-14);
    expect(Math.abs(f.vector.reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
    const r = await solveFiedler(g);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(0);
  });
});

describe('bad input', () => {
  it('names the field', () => {
    expect(() => fiedler(createGraph({ n: 0, edges: [] }))).toThrow(/graph\.n/);
    expect(() => fiedler(createGraph({ n: 1, edges: [] }))).toThrow(/graph\.n/);
    expect(() => fiedler(createGraph({ n: 2, edges: [[0, 1, -1]], allowNegative: true }))).toThrow(/edgeW\[0\].*negative/);
    const g = path(3);
    const nan = { ...g, edgeW: Float64Array.of(1, NaN), adjWeight: Float64Array.of(1, 1, NaN, NaN) };
    expect(() => fiedler(nan)).toThrow(/edgeW\[1\] is NaN/);
    expect(() => fiedler({ ...g, directed: true } as Graph)).toThrow(ModelError);
    expect(() => fiedler({ kind: 'placement' } as unknown as Graph)).toThrow(/graph/);
    expect(() => fiedler(g, { method: 'magic' as 'dense' })).toThrow(/options\.method/);
  });
});

describe('partitioning', () => {
  function sbm(blocks: number, size: number, pin: number, pout: number, seed: number): { g: Graph; truth: Int32Array } {
    const rng = new Rng(seed);
    const n = blocks * size;
    const e: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < (Math.floor(i / size) === Math.floor(j / size) ? pin : pout)) e.push([i, j]);
    return { g: graph(n, e), truth: Int32Array.from({ length: n }, (_, i) => Math.floor(i / size)) };
  }
  function accuracy(part: Int32Array, truth: Int32Array, k: number): number {
    // Best matching of labels by brute force over permutations (k <= 4).
    const perms = (a: number[]): number[][] => (a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p])));
    let best = 0;
    for (const p of perms([...Array(k).keys()])) {
      let ok = 0;
      for (let i = 0; i < part.length; i++) if (p[part[i]!] === truth[i]) ok++;
      best = Math.max(best, ok / part.length);
    }
    return best;
  }
  it('recovers planted bisection and 4-way stochastic block models', () => {
    const two = sbm(2, 60, 0.3, 0.02, 7);
    const b = spectralBisection(two.g);
    expect(accuracy(Int32Array.from(b.side), two.truth, 2)).toBeGreaterThanOrEqual(0.98);
    expect(b.conductance).toBeLessThanOrEqual(b.cheeger!.upper);
    expect(b.cheeger!.lower).toBeLessThanOrEqual(b.conductance);
    const four = sbm(4, 40, 0.35, 0.01, 9);
    const p = recursivePartition(four.g, { k: 4 });
    expect(p.parts).toBe(4);
    expect(accuracy(p.part, four.truth, 4)).toBeGreaterThanOrEqual(0.95);
  });
  it('the registry dispatches fiedler and partition', async () => {
    const r = await solve(cycle(30), { method: 'fiedler' });
    expect(r.objective).toBeCloseTo(2 * (1 - Math.cos((2 * Math.PI) / 30)), 10);
    const p = await solve(path(40), { method: 'partition', k: 2 });
    expect(p.status === 'feasible' || p.status === 'optimal').toBe(true);
  });
});

describe('gossip and link addition', () => {
  it('averaging bounds of K_n: optimal step 1/n, rate 0', () => {
    const b = averagingBounds(complete(20));
    expect(b.optimalStep).toBeCloseTo(1 / 20, 10);
    expect(b.optimalRate).toBeLessThan(1e-9);
    const c = averagingBounds(cycle(60));
    expect(c.optimalRate).toBeGreaterThan(0.9);
    expect(c.optimalRate).toBeLessThan(c.maxDegreeRate + 1e-12);
  });
  it('greedy link addition raises lambda2 and verifies it by recomputation', () => {
    const g = path(30);
    const r = addLinksForConnectivity(g, 3);
    expect(r.links[0]!.u).toBe(0);
    expect(r.links[0]!.v).toBe(29);
    expect(r.verified).toBe(true);
    expect(r.lambda2Final).toBeGreaterThan(r.lambda2Initial);
    for (const l of r.links) expect(l.lambda2After).toBeGreaterThanOrEqual(l.lambda2Before - 1e-12);
    expect(Math.abs(r.lambda2Final - denseLambda2(r.graph))).toBeLessThan(1e-9);
  });
});

describe('limits', () => {
  it('a time limit returns the current vector, not an exception', async () => {
    const g = randomConnected(150, 300, 3);
    const r = await solveFiedler(g, { method: 'lobpcg', timeLimitMs: 0 });
    expect(r.status).toBe('feasible');
    expect(r.stoppedBy).toBe('time-limit');
    expect(r.solution!.vector.length).toBe(150);
    // Whatever the iterate, its Rayleigh quotient is an upper bound of lambda2.
    expect(r.objective!).toBeGreaterThanOrEqual(denseLambda2(g) * (1 - 1e-12));
  });
  it('an iteration limit is reported', async () => {
    const g = randomConnected(400, 800, 4);
    const r = await solveFiedler(g, { method: 'lobpcg', maxIterations: 1, preconditioner: 'none' });
    expect(r.stoppedBy).toBe('iteration-limit');
    expect(r.warnings?.[0]).toMatch(/not converged/);
  });
});

describe('large graphs (breadth-first reordering path)', () => {
  it('a 200 x 100 grid with shuffled ids matches the closed form, vector mapped back to the input order', () => {
    const a = 200;
    const b = 100;
    const perm = new Rng(5).permutation(a * b);
    const e: [number, number][] = [];
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) {
      if (j + 1 < b) e.push([perm[i * b + j]!, perm[i * b + j + 1]!]);
      if (i + 1 < a) e.push([perm[i * b + j]!, perm[(i + 1) * b + j]!]);
    }
    const g = graph(a * b, e);
    const f = fiedler(g, { method: 'lobpcg' });
    const exact = 2 * (1 - Math.cos(Math.PI / a));
    expect(Math.abs(f.lambda2 - exact) / exact).toBeLessThan(1e-8);
    expect(f.relativeResidual).toBeLessThan(1e-8);
    // The Fiedler vector of a grid varies along its long side only: cos(pi (i + 1/2) / a).
    const v0 = f.vector[perm[0]!]!;
    const vLast = f.vector[perm[(a - 1) * b]!]!;
    expect(Math.abs(v0 + vLast)).toBeLessThan(1e-6);
    expect(Math.abs(f.vector[perm[5]!]! - v0)).toBeLessThan(1e-6);
  });
});

describe('envelope bad input', () => {
  it('solveFiedler and solvePartition refuse graphs of fewer than two nodes', async () => {
    await expect(solveFiedler(createGraph({ n: 1, edges: [] }))).rejects.toThrow(/graph\.n/);
    await expect(solveFiedler(createGraph({ n: 0, edges: [] }))).rejects.toThrow(/graph\.n/);
    await expect(solvePartition(createGraph({ n: 1, edges: [] }))).rejects.toThrow(/graph\.n|nodes/);
  });
});
