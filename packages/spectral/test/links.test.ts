import { describe, expect, it } from 'vitest';
import { addLinksForConnectivity, averagingBounds } from '@emplace/spectral';
import { path, cycle, complete, denseLambda2 } from './graphs.js';

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
