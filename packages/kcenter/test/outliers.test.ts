import { exact, outliersGreedy } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForce, radiusFromAssignment, smallInstance, solved } from './helpers.js';

describe('outliers', () => {
  it('ignore exactly z clients; the radius is over the rest; exact equals brute force; greedy within 3x', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ colocated: true }), fc.integer({ min: 1, max: 3 }), async ({ model, k }, zRaw) => {
        const z = Math.min(zRaw, model.nClients - 1);
        if (z < 1) return;
        const opt = bruteForce(model, k, { outliers: z });
        const e = solved(await exact(model, { k, outliers: z }));
        const g = solved(outliersGreedy(model, { k, outliers: z }));
        for (const r of [e, g]) {
          expect(r.solution.outliers.length).toBe(z);
          let served = 0;
          for (let j = 0; j < model.nClients; j++) if (r.solution.assignment[j]! >= 0) served++;
          expect(served).toBe(model.nClients - z);
          expect(r.objective).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + 1e-9);
        }
        expect(e.status).toBe('optimal');
        expect(e.objective).toBeCloseTo(opt, 9);
        expect(g.objective).toBeLessThanOrEqual(3 * opt + 1e-9);
      }),
      { numRuns: 30 },
    );
  });
});
