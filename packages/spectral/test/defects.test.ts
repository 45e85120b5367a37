import { describe, expect, it } from 'vitest';
import { createGraph, solve } from '@emplace/core';
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
});
