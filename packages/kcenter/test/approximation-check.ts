import type { Result } from '@emplace/core';
import { kcenterRadius, type KCenterOptions, type KCenterSolution } from '@emplace/kcenter';
import fc from 'fast-check';
import { expect } from 'vitest';
import { bruteForce, radiusFromAssignment, smallInstance, solved } from './helpers.js';

/**
 * An approximation on small Euclidean instances: it reports the recomputed radius (from the
 * open set and from its own assignment), opens at most k sites, never bounds above the
 * brute-force optimum, and (with `ratio`) stays within its claimed ratio: 2 for vertex
 * k-center, 3 for k-supplier.
 */
export function checkApproximation(name: string, f: (model: Parameters<typeof kcenterRadius>[0], options: KCenterOptions) => Result<KCenterSolution>, ratio: boolean): void {
  fc.assert(
    fc.property(smallInstance(), ({ model, k, colocated }) => {
      const opt = bruteForce(model, k);
      const r = solved(f(model, { k }));
      expect(r.objective, name).toBe(r.solution.radius);
      expect(r.objective, name).toBeCloseTo(kcenterRadius(model, r.solution.open).radius, 9);
      expect(r.objective, name).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
      expect(r.solution.open.length, name).toBeLessThanOrEqual(k);
      if (r.bound !== undefined) expect(r.bound, name).toBeLessThanOrEqual(opt + 1e-9);
      if (!ratio) return;
      const g = r.guarantee;
      if (g.kind === 'exact') {
        // Settled without search (k at least the number of sites).
        expect(r.status).toBe('optimal');
        expect(r.objective).toBeCloseTo(opt, 9);
        return;
      }
      if (g.kind !== 'approximation') throw new Error(`${name} claims no ratio on metric data`);
      // Euclidean data is metric: 2 for vertex k-center, 3 for k-supplier (2 as well when
      // every client happens to sit on a site).
      if (colocated) expect(g.ratio).toBe(2);
      expect(g.ratio).toBeLessThanOrEqual(3);
      expect(r.objective, name).toBeLessThanOrEqual(g.ratio * opt + 1e-9);
    }),
    { numRuns: 60 },
  );
}
