import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, SolveRun, createGraph, runSteps, type Graph } from '@emplace/core';
import { fiedler, laplacian, smallestEigenpairs, symmetricEigen } from '../src/index.js';
import { groundingNode } from '../src/shift-invert.js';
import { powerNormLowerBound } from '../src/eigensolver.js';
import { minimumDegreeSymbolicSteps } from '../src/min-degree.js';
import { groundedCholeskySteps } from '../src/cholesky.js';

/** A random connected weighted graph: a random tree plus extra edges. */
function randomConnected(n: number, extra: number, seed: number): Graph {
  const rng = new Rng(seed);
  const e: [number, number, number][] = [];
  for (let i = 1; i < n; i++) e.push([rng.int(i), i, 0.1 + rng.next() * 2]);
  for (let k = 0; k < extra; k++) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a !== b) e.push([a, b, 0.1 + rng.next() * 2]);
  }
  return createGraph({ n, edges: e });
}

const unlimited = { maxNnz: Infinity, maxFlops: Infinity, maxWork: Infinity };

describe('factorization path (minimum degree + grounded Cholesky + shift-invert Lanczos)', () => {
  it('the grounded factor solves L z = x exactly for x orthogonal to the null vector', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 60 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 1e9 }), (n, extra, seed) => {
        const lap = laplacian(randomConnected(n, extra, seed));
        const run = new SolveRun({}, 'test');
        const r = groundingNode(lap);
        const sym = runSteps(minimumDegreeSymbolicSteps(lap, r, unlimited, run))!;
        expect(sym.size).toBe(n - 1);
        // perm is a permutation of every node but the grounded one.
        expect(new Set(sym.perm).size).toBe(n - 1);
        expect(Array.from(sym.perm)).not.toContain(r);
        // Column patterns strictly below the diagonal and ascending (the numeric factor's row lists rely on it).
        for (let k = 0; k < sym.denseStart; k++) {
          for (let p = sym.colStart[k]!; p < sym.colStart[k + 1]!; p++) expect(sym.rows[p]!).toBeGreaterThan(p > sym.colStart[k]! ? sym.rows[p - 1]! : k);
        }
        const factor = runSteps(groundedCholeskySteps(lap, sym, r, run))!;
        const rng = new Rng(seed);
        const x = Float64Array.from({ length: n }, () => rng.normal());
        const mean = x.reduce((a, b) => a + b, 0) / n;
        for (let i = 0; i < n; i++) x[i] = x[i]! - mean;
        const z = new Float64Array(n);
        factor.solve(x, z);
        expect(z[r]).toBe(0);
        const lz = new Float64Array(n);
        lap.multiply(z, lz);
        for (let i = 0; i < n; i++) expect(lz[i]!).toBeCloseTo(x[i]!, 8);
      }),
      { numRuns: 60 },
    );
  });

  it('an ordering that ends on a clique factors it as a dense block, and the solve stays exact', () => {
    // K_15 with a path of 40 nodes hanging off it: the path is eliminated first, then the
    // clique's 14 kept nodes form one element of all nodes left.
    const edges: [number, number][] = [];
    for (let a = 0; a < 15; a++) for (let b = a + 1; b < 15; b++) edges.push([a, b]);
    for (let i = 15; i < 55; i++) edges.push([i - 1, i]);
    const lap = laplacian(createGraph({ n: 55, edges }));
    const run = new SolveRun({}, 'test');
    const r = groundingNode(lap);
    const sym = runSteps(minimumDegreeSymbolicSteps(lap, r, unlimited, run))!;
    expect(sym.size - sym.denseStart).toBeGreaterThanOrEqual(13);
    expect(sym.nnz).toBe(sym.colStart[sym.denseStart]! + ((sym.size - sym.denseStart) * (sym.size - sym.denseStart - 1)) / 2);
    const factor = runSteps(groundedCholeskySteps(lap, sym, r, run))!;
    const x = Float64Array.from({ length: 55 }, (_, i) => Math.sin(i + 1));
    const mean = x.reduce((a, b) => a + b, 0) / 55;
    for (let i = 0; i < 55; i++) x[i] = x[i]! - mean;
    const z = new Float64Array(55);
    factor.solve(x, z);
    const lz = new Float64Array(55);
    lap.multiply(z, lz);
    for (let i = 0; i < 55; i++) expect(lz[i]!).toBeCloseTo(x[i]!, 10);
  });

  it('a pair the residual bound calls converged is confirmed by its recomputed residual (fixed: 5.8e-10 returned for 1e-10)', () => {
    // Found by the property below: the bound held, the returned vector's residual did not.
    const g = randomConnected(68, 247, 542011317);
    const si = fiedler(g, { factorization: 'always', laplacian: 'normalized' });
    const dense = fiedler(g, { method: 'dense', laplacian: 'normalized' });
    expect(si.method).toBe('shift-invert');
    expect(si.converged).toBe(true);
    expect(si.relativeResidual).toBeLessThanOrEqual(1e-10 * 1.0001);
    expect(Math.abs(si.lambda2 - dense.lambda2)).toBeLessThanOrEqual(1e-9 * dense.normL);
  });

  it('lambda2 equals the dense oracle, for both Laplacians', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 160 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom('combinatorial', 'normalized' as const), (n, extra, seed, kind) => {
        const g = randomConnected(n, extra, seed);
        const si = fiedler(g, { factorization: 'always', laplacian: kind });
        const dense = fiedler(g, { method: 'dense', laplacian: kind });
        expect(si.method).toBe('shift-invert');
        expect(si.converged).toBe(true);
        expect(Math.abs(si.lambda2 - dense.lambda2)).toBeLessThanOrEqual(1e-9 * dense.normL);
        expect(si.relativeResidual).toBeLessThanOrEqual(1e-10 * 1.0001);
      }),
      { numRuns: 25 },
    );
  });

  it('partial reorthogonalisation: long runs on near-trees (clustered small eigenvalues) match the dense spectrum with orthonormal vectors', () => {
    for (const seed of [3, 11, 29]) {
      // A random recursive tree plus a few chords: many Lanczos steps, where a basis that
      // lost orthogonality would show ghost copies of lambda2 among the pairs.
      const rng = new Rng(seed);
      const u: number[] = [];
      const v: number[] = [];
      for (let i = 1; i < 400; i++) {
        u.push(rng.int(i));
        v.push(i);
      }
      for (let e = 0; e < 4; e++) {
        u.push(rng.int(200));
        v.push(200 + rng.int(200));
      }
      const g = createGraph({ n: 400, edges: { u, v }, duplicates: 'min' });
      const pairs = smallestEigenpairs(g, 6, { factorization: 'always', seed });
      expect(pairs.method).toBe('shift-invert');
      expect(pairs.converged).toBe(true);
      const dense = symmetricEigen(laplacian(g).toDense(), g.n);
      for (let j = 1; j < 6; j++) expect(Math.abs(pairs.values[j]! - dense.values[j]!)).toBeLessThanOrEqual(1e-9 * dense.values[g.n - 1]!);
      for (let a = 0; a < 6; a++) {
        for (let b = 0; b <= a; b++) {
          let d = 0;
          for (let i = 0; i < g.n; i++) d += pairs.vectors[a]![i]! * pairs.vectors[b]![i]!;
          expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('k smallest pairs agree with the dense spectrum', () => {
    const g = randomConnected(120, 200, 7);
    const pairs = smallestEigenpairs(g, 4, { factorization: 'always' });
    expect(pairs.method).toBe('shift-invert');
    const dense = symmetricEigen(laplacian(g).toDense(), g.n);
    for (let j = 1; j < 4; j++) expect(pairs.values[j]!).toBeCloseTo(dense.values[j]!, 8);
  });

  it('the power-step norm estimate is a lower bound of lambda_max, at least d_max + 1 on unweighted graphs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 80 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom('combinatorial', 'normalized' as const), (n, extra, seed, kind) => {
        const g = randomConnected(n, extra, seed);
        const lap = laplacian(g, kind);
        const top = symmetricEigen(lap.toDense(), n).values[n - 1]!;
        const bound = powerNormLowerBound(lap);
        expect(bound).toBeLessThanOrEqual(top * (1 + 1e-12));
        expect(bound).toBeGreaterThanOrEqual(Math.max(...lap.diagonal) * (1 - 1e-12));
        if (kind === 'combinatorial') {
          const unit = laplacian(createGraph({ n, edges: Array.from({ length: g.m }, (_, e) => [g.edgeU[e]!, g.edgeV[e]!] as [number, number]) }));
          let dmax = 0;
          for (let i = 0; i < n; i++) dmax = Math.max(dmax, unit.diagonal[i]!);
          expect(powerNormLowerBound(unit)).toBeGreaterThanOrEqual(dmax + 1 - 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('auto takes the factorization on a sparse-factor graph and LOBPCG when asked for never', () => {
    const g = randomConnected(400, 100, 3);
    expect(fiedler(g).method).toBe('shift-invert');
    const lob = fiedler(g, { factorization: 'never' });
    expect(lob.method).toBe('lobpcg');
    expect(fiedler(g).lambda2).toBeCloseTo(lob.lambda2, 8);
  });

  it('a budget too small for the factor makes the ordering give up (undefined)', () => {
    const lap = laplacian(randomConnected(200, 2000, 5));
    const run = new SolveRun({}, 'test');
    expect(runSteps(minimumDegreeSymbolicSteps(lap, groundingNode(lap), { maxNnz: 10, maxFlops: Infinity, maxWork: Infinity }, run))).toBeUndefined();
  });

  it('is deterministic for a seed and returns its start vector when stopped at once', () => {
    const g = randomConnected(300, 300, 11);
    expect(fiedler(g, { seed: 3 }).vector).toEqual(fiedler(g, { seed: 3 }).vector);
    const stopped = fiedler(g, { factorization: 'always', timeLimitMs: 0 });
    expect(stopped.vector.length).toBe(300);
    expect(Number.isFinite(stopped.lambda2)).toBe(true);
  });
});
