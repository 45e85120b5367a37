import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createGraph, runSteps, type Graph } from '@emplace/core';
import { abortAtRead } from '../../core/test/support/steps.js';
import { laplacian, laplacianComponents, solveFiedler, type LaplacianComponents, type SparseLaplacian } from '../src/index.js';
import { fixSign } from '../src/eigensolver.js';
import { nullSpaceBasisSteps } from '../src/null-space.js';
import type { Checkpoints } from '../src/chunks.js';
import { deflate, normalize } from '../src/vectors.js';

/** The single-pass `disconnectedPairs` basis as it was before issue 13 chunked it (the reference). */
function singlePassBasis(lap: SparseLaplacian, k: number, comps: LaplacianComponents): { vectors: Float64Array[]; residuals: Float64Array } {
  const n = lap.n;
  const c = comps.count;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = lap.kind === 'normalized' ? (lap.degrees[i]! > 0 ? Math.sqrt(lap.degrees[i]!) : 1) : 1;
  const basis: Float64Array[] = [];
  const whole = Float64Array.from(s);
  normalize(whole);
  basis.push(whole);
  for (let comp = 0; basis.length < k && comp < c; comp++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) if (comps.component[i] === comp) v[i] = s[i]!;
    for (let pass = 0; pass < 2; pass++) deflate(v, basis);
    if (normalize(v) > 1e-12) {
      fixSign(v);
      basis.push(v);
    }
  }
  const residuals = new Float64Array(k);
  const work = new Float64Array(n);
  for (let j = 0; j < k; j++) residuals[j] = lap.residualNorm(basis[j]!, 0, work);
  return { vectors: basis, residuals };
}

const bits = (a: Float64Array) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** Checkpoints that always ask for a yield and stop at the `stopAt`-th stop test (never when undefined); counts both. */
function counting(stopAt?: number): Checkpoints & { yields: number; tests: number } {
  const cp = {
    yields: 0,
    tests: 0,
    needsYield: () => {
      cp.yields++;
      return true;
    },
    shouldStop: () => ++cp.tests === stopAt,
  };
  return cp;
}

/** A random graph with at least two components: edges inside groups of a random partition, some nodes isolated. */
const disconnectedGraph = fc
  .record({
    n: fc.integer({ min: 2, max: 60 }),
    groups: fc.integer({ min: 2, max: 6 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    density: fc.double({ min: 0, max: 3, noNaN: true }),
  })
  .map(({ n, groups, seed, density }) => {
    let state = seed;
    const rand = () => ((state = (state * 48271) % 2147483647) / 2147483647);
    const group = Array.from({ length: n }, () => Math.floor(rand() * groups));
    const edges: [number, number, number][] = [];
    for (let t = 0; t < Math.floor(density * n); t++) {
      const a = Math.floor(rand() * n);
      const b = Math.floor(rand() * n);
      if (a !== b && group[a] === group[b]) edges.push([a, b, 0.1 + 10 * rand()]);
    }
    return createGraph({ n, edges: { u: Int32Array.from(edges, (e) => e[0]), v: Int32Array.from(edges, (e) => e[1]), w: Float64Array.from(edges, (e) => e[2]) } });
  })
  .filter((g: Graph) => laplacianComponents(laplacian(g)).count > 1);

describe('null-space basis of a disconnected graph in chunks (issue 13)', () => {
  it('is bit-identical to the single-pass code, for any chunk size', () => {
    fc.assert(
      fc.property(disconnectedGraph, fc.constantFrom('combinatorial' as const, 'normalized' as const), fc.integer({ min: 1, max: 9 }), fc.nat(), (g, kind, chunk, kSeed) => {
        const lap = laplacian(g, kind);
        const comps = laplacianComponents(lap);
        const k = 1 + (kSeed % comps.count);
        const want = singlePassBasis(lap, k, comps);
        const got = runSteps(nullSpaceBasisSteps(lap, k, comps, counting(), chunk))!;
        expect(got.vectors.length).toBe(want.vectors.length);
        for (let j = 0; j < want.vectors.length; j++) expect(bits(got.vectors[j]!)).toEqual(bits(want.vectors[j]!));
        expect(bits(got.residuals)).toEqual(bits(want.residuals));
      }),
      { numRuns: 200 },
    );
  });

  it('a stop at any of its checkpoints returns undefined at once', () => {
    const g = createGraph({ n: 40, edges: { u: Int32Array.from([0, 1, 2, 10, 11]), v: Int32Array.from([1, 2, 3, 11, 12]) } });
    const lap = laplacian(g);
    const comps = laplacianComponents(lap);
    const full = counting();
    expect(runSteps(nullSpaceBasisSteps(lap, 3, comps, full, 4))).toBeDefined();
    expect(full.tests).toBeGreaterThan(30);
    for (let at = 1; at <= full.tests; at++) {
      const cp = counting(at);
      expect(runSteps(nullSpaceBasisSteps(lap, 3, comps, cp, 4))).toBeUndefined();
      // No work and no further checkpoint after the one that said stop.
      expect(cp.tests).toBe(at);
      expect(cp.yields).toBe(at);
    }
  });

  it('solveFiedler aborted inside the null-space phase of a large disconnected graph answers no-solution', async () => {
    // 100,000 nodes, a path over the first 1,000, the rest isolated: several chunks per vector pass.
    const n = 100_000;
    const u = Int32Array.from({ length: 999 }, (_, i) => i);
    const g = createGraph({ n, edges: { u, v: u.map((x) => x + 1) } });
    // A frozen clock: the run never wants a yield, so the signal is read only at the
    // checkpoints and every solve reads it equally often. (With a running clock, each yield
    // adds a read, and a faster later run could end before `total - back` reads: a fresh-clone
    // CI run failed that way.)
    const clock = vi.spyOn(performance, 'now').mockReturnValue(0);
    try {
      const counter = abortAtRead(Infinity);
      const whole = await solveFiedler(g, { signal: counter.signal });
      expect(whole.status).toBe('optimal');
      const total = counter.reads();
      // The last reads are the null-space checkpoints (the phase after the components).
      for (const back of [1, 3, 10, 25]) {
        const late = abortAtRead(total - back);
        const r = await solveFiedler(g, { signal: late.signal });
        expect(r.stoppedBy).toBe('aborted');
        expect(r.status).toBe('no-solution');
        expect(late.reads()).toBeLessThanOrEqual(total - back + 2);
      }
    } finally {
      clock.mockRestore();
    }
  });
});
