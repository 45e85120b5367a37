import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGraph, type Graph } from '@emplace/core';
import { fiedler, laplacian, largestEigenpair, smallestEigenpairs, spectralEmbedding, symmetricEigen } from '@emplace/spectral';
import { path, cycle, star, complete, hypercube, randomConnected, denseLambda2, dot } from './graphs.js';

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
