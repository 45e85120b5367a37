import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveMcfApprox, solveMcfLp } from '@emplace/flows';
import { referenceLp, arbMcf, checkFlows } from './mcf-fixtures.js';

describe('Garg-Koenemann max concurrent flow', () => {
  it('max-concurrent LP equals the reference; Garg-Koenemann is within (1 - eps)^3 and its bound is valid', async () => {
    await fc.assert(
      fc.asyncProperty(arbMcf, async (p) => {
        const r = await solveMcfLp(p, { objective: 'max-concurrent' });
        const ref = await referenceLp(p, 'max-concurrent');
        expect(r.status).toBe('optimal');
        const lam = ref.objective!;
        expect(r.objective!).toBeCloseTo(lam, 6);
        checkFlows(p, r.solution!, r.objective!);
        const eps = 0.1;
        const gk = await solveMcfApprox(p, { epsilon: eps });
        expect(gk.status === 'optimal' || gk.status === 'feasible').toBe(true);
        expect(gk.objective!).toBeLessThanOrEqual(lam * (1 + 1e-9) + 1e-9);
        expect(gk.objective!).toBeGreaterThanOrEqual((1 - eps) ** 3 * lam - 1e-9);
        expect(gk.bound!).toBeGreaterThanOrEqual(lam * (1 - 1e-9) - 1e-9);
        checkFlows(p, gk.solution!, gk.objective!);
      }),
      { numRuns: 40 },
    );
  });
});
