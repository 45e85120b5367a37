import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createGraph, type Graph } from '@emplace/core';
import { abortAtRead } from '../../core/test/support/steps.js';
import { laplacian, solveFiedler, SparseLaplacian, symmetricEigen } from '../src/index.js';
import { fixSign } from '../src/eigensolver.js';
import { twoNodeVectors } from '../src/two-node-start.js';
import { dot, randomConnected } from './graphs.js';

/**
 * Issue 13 (CLI exit within 100 ms of SIGINT): a stopped Fiedler solve answers at once. It
 * computes no residual after the stop (NaN, said in a warning, unless LOBPCG had formed it for
 * the returned vector), takes LOBPCG's Ritz value as the objective, and a stop before any Ritz
 * value answers with two-node vectors whose quotient costs a few matrix entries.
 */

function grid(side: number): Graph {
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const a = i * side + j;
    if (j + 1 < side) u.push(a), v.push(a + 1);
    if (i + 1 < side) u.push(a), v.push(a + side);
  }
  return createGraph({ n: side * side, edges: { u: Int32Array.from(u), v: Int32Array.from(v) } });
}

/** ||L x - value x||_2, by a plain product. */
function trueResidual(g: Graph, x: Float64Array, value: number): number {
  const lap = laplacian(g);
  const y = new Float64Array(g.n);
  lap.multiply(x, y);
  let s = 0;
  for (let i = 0; i < g.n; i++) s += (y[i]! - value * x[i]!) ** 2;
  return Math.sqrt(s);
}

describe('a stopped fiedler solve answers without a pass for the residual (issue 13)', () => {
  it('at every checkpoint: the objective is the vector Rayleigh quotient, the residual known or NaN with a warning, no residual pass after the stop', async () => {
    // 22,500 nodes: the large-graph path (breadth-first order, multilevel, products in chunks).
    const g = grid(150);
    const lap = laplacian(g);
    const residualPass = vi.spyOn(SparseLaplacian.prototype, 'rayleighResidual');
    const edgePass = vi.spyOn(SparseLaplacian.prototype, 'quadraticForm');
    let known = 0;
    let unknown = 0;
    try {
      for (const after of [1, 3, 6, 10, 16, 25, 40, 60, 90, 130, 180, 250]) {
        const a = abortAtRead(after);
        residualPass.mockClear();
        edgePass.mockClear();
        const r = await solveFiedler(g, { method: 'lobpcg', signal: a.signal });
        expect(r.stoppedBy).toBe('aborted');
        // Every residual or quotient pass over the edges happens before the stop, never after.
        expect(residualPass).not.toHaveBeenCalled();
        expect(edgePass).not.toHaveBeenCalled();
        if (r.status === 'no-solution') continue;
        expect(r.status).toBe('feasible');
        const s = r.solution!;
        expect(Math.abs(dot(s.vector, s.vector) - 1)).toBeLessThan(1e-12);
        expect(Math.abs(s.vector.reduce((t, x) => t + x, 0))).toBeLessThan(1e-9);
        const quotient = lap.quadraticForm(s.vector);
        expect(Math.abs(r.objective! - quotient)).toBeLessThanOrEqual(1e-9 * quotient);
        if (Number.isNaN(s.residual)) {
          unknown++;
          expect(s.relativeResidual).toBeNaN();
          expect(r.stats['residual']).toBeUndefined();
          expect(r.warnings?.join(' ')).toMatch(/residual not computed/);
        } else {
          known++;
          expect(s.residual).toBeCloseTo(trueResidual(g, s.vector, s.lambda2), 8);
          expect(r.stats['residual']).toBe(s.residual);
        }
      }
    } finally {
      residualPass.mockRestore();
      edgePass.mockRestore();
    }
    // The checkpoints cover both kinds of stop.
    expect(known).toBeGreaterThan(0);
    expect(unknown).toBeGreaterThan(0);
  });

  it('a run that is not stopped still recomputes the residual of its vector', async () => {
    const g = grid(40);
    const residualPass = vi.spyOn(SparseLaplacian.prototype, 'rayleighResidual');
    const r = await solveFiedler(g, { method: 'lobpcg' });
    expect(residualPass).toHaveBeenCalled();
    residualPass.mockRestore();
    expect(r.stoppedBy).toBe('converged');
    expect(r.solution!.residual).toBeCloseTo(trueResidual(g, r.solution!.vector, r.solution!.lambda2), 12);
  });
});

describe('twoNodeVectors: the answer of a run stopped before any Ritz value', () => {
  it('unit, orthogonal to the null vector and to each other; values are the exact Rayleigh quotients (dense check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 30 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom('combinatorial', 'normalized'), fc.integer({ min: 1, max: 3 }), (n, extra, seed, kind, count) => {
        const g = randomConnected(n, extra, seed);
        const lap = laplacian(g, kind);
        const out = twoNodeVectors(lap, count)!;
        expect(out.vectors.length).toBe(count);
        const dense = lap.toDense();
        const q = lap.nullVector;
        for (let j = 0; j < count; j++) {
          const v = out.vectors[j]!;
          expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-12);
          // Final as returned: fixSign leaves it as it is.
          const signed = v.slice();
          fixSign(signed);
          expect(signed).toEqual(v);
          expect(Math.abs(dot(v, q))).toBeLessThan(1e-12);
          for (let t = 0; t < j; t++) expect(dot(v, out.vectors[t]!)).toBe(0);
          let quotient = 0;
          for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) quotient += v[a]! * dense[a * n + b]! * v[b]!;
          expect(out.values[j]!).toBeCloseTo(quotient, 12);
          // An upper bound of lambda2 (Courant-Fischer: v is orthogonal to the null vector).
          expect(out.values[j]!).toBeGreaterThanOrEqual(symmetricEigen(dense.slice(), n).values[1]! - 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('uses the two nodes of smallest diagonal entry', () => {
    // A star with a pendant path: the leaves of degree 1 are the smallest.
    const g = createGraph({ n: 6, edges: [[0, 1], [0, 2], [0, 3], [3, 4], [4, 5]] });
    const lap = laplacian(g);
    const out = twoNodeVectors(lap, 1)!;
    const support = [...out.vectors[0]!.keys()].filter((i) => out.vectors[0]![i] !== 0);
    expect(support.every((i) => lap.diagonal[i] === 1)).toBe(true);
    expect(out.values[0]).toBeCloseTo(1, 12); // (1 + 1) / 2: two non-adjacent leaves
  });

  it('undefined when the graph has fewer nodes than the vectors need', () => {
    expect(twoNodeVectors(laplacian(createGraph({ n: 3, edges: [[0, 1], [1, 2]] })), 2)).toBeUndefined();
  });
});
