import { describe, expect, it } from 'vitest';
import { fiedler, solveFiedler } from '@emplace/spectral';
import { graph } from './graphs.js';

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
