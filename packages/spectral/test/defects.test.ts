import { describe, expect, it } from 'vitest';
import { createGraph, ModelError, solve } from '@emplace/core';
import { solveFiedler, solvePartition } from '../src/solvers.js';
import '../src/register.js';

describe('spectral with extreme weights (issue 13)', () => {
  const huge = createGraph({ n: 4, edges: [[0, 1, 1e308], [1, 2, 1], [2, 3, 1], [3, 0, 1]] });

  it('fiedler with a 1e308 edge returns a result (was a TypeError) and does not claim optimal', async () => {
    const r = await solve(huge, { method: 'fiedler' });
    expect(r.status).toBe('feasible');
    expect(Number.isFinite(r.objective)).toBe(true);
    expect(r.warnings?.join(' ')).toMatch(/not proven/);
  });

  it('partition with a 1e308 edge has a finite conductance (0.5: the two unit edges over volume 4)', async () => {
    const r = await solve(huge, { method: 'partition' });
    expect(r.status).toBe('feasible');
    expect(r.objective).toBeCloseTo(0.5, 12);
  });

  it('uniformly huge weights are rescaled exactly: lambda2 scales with them', async () => {
    const unit = createGraph({ n: 4, edges: [[0, 1, 1], [1, 2, 1], [2, 3, 1], [3, 0, 1]] });
    const big = createGraph({ n: 4, edges: [[0, 1, 1e300], [1, 2, 1e300], [2, 3, 1e300], [3, 0, 1e300]] });
    const a = await solve(unit, { method: 'fiedler' });
    const b = await solve(big, { method: 'fiedler' });
    expect(b.status).toBe('optimal');
    expect(b.objective! / 1e300).toBeCloseTo(a.objective!, 10);
  });

  it('a subnormal weight next to ordinary ones gives a finite lambda2, not NaN (fuzz finding F9)', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 1e-320], [1, 2, 11]] });
    for (const method of ['fiedler:auto', 'fiedler:dense', 'fiedler:lobpcg']) {
      const r = await solve(g, { method });
      expect(r.status, method).toBe('feasible');
      // The truth is about 1e-320; anything within the tolerance x ||L|| (about 2e-9) is right.
      expect(r.objective!, method).toBeGreaterThanOrEqual(0);
      expect(r.objective!, method).toBeLessThan(1e-9);
      expect(r.warnings?.join(' ')).toMatch(/not proven/);
    }
  });

  it('all-subnormal weights are rescaled in two exact halves (2^1083 alone overflows): lambda2 = w on a unit path', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 1e-320], [1, 2, 1e-320]] });
    const r = await solve(g, { method: 'fiedler' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1e-320);
  });

  it('solveFiedler and solvePartition called directly name the malformed field (fuzz finding F5)', async () => {
    const broken = JSON.parse('{"kind":"graph","n":2}');
    await expect(solveFiedler(broken)).rejects.toThrowError(ModelError);
    await expect(solvePartition(broken)).rejects.toThrowError(ModelError);
  });
});

describe('weight range warning (issue 17)', () => {
  it('names the factor of a weight range that overflows float64 (was "factor Infinity")', async () => {
    const g = createGraph({ n: 3, edges: [[0, 1, 1e-320], [1, 2, 1e308]] });
    const r = await solveFiedler(g);
    const text = r.warnings?.join(' ') ?? '';
    expect(text).toMatch(/span a factor 1\.0e\+628 /);
    expect(text).not.toMatch(/Infinity/);
  });
});
