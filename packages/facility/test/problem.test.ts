import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, ModelError } from '@emplace/core';
import { solveCfl, solvePMedian, solveSscfl, solveUfl } from '@emplace/facility';
import { build, FIXED_SPEC } from './helpers.js';

describe('prepareProblem: validation and evident infeasibility', () => {
  it('p larger than the number of sites is a ModelError naming options.p', async () => {
    const m = createPlacementModel({ sites: 2, clients: 3, cost: [1, 2, 3, 4, 5, 6] });
    await expect(solvePMedian(m, { p: 3 })).rejects.toThrow(ModelError);
    await expect(solvePMedian(m, { p: 3 })).rejects.toThrow(/options\.p/);
  });

  it('NaN and negative costs are ModelErrors naming the entry', async () => {
    const m = build(FIXED_SPEC);
    const nan = { ...m, cost: Float64Array.from(m.cost, (v, k) => (k === 13 ? NaN : v)) };
    // Core's shape check (at every entry since fuzz F5) names the flat entry, model.cost[13].
    await expect(solveUfl(nan)).rejects.toThrow(/cost(\[0\])?\[13\] is NaN/);
    const neg = createPlacementModel({ sites: 2, clients: 2, cost: [1, -2, 3, 4], allowNegativeCost: true });
    await expect(solveCfl(neg)).rejects.toThrow(/cost\[0\]\[1\] is negative/);
    await expect(solveUfl(m, { method: 'nope' })).rejects.toThrow(/options\.method/);
  });

  it('a client with no allowed site is infeasible with a certificate naming it', async () => {
    const m = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4], allowed: [1, 0, 1, 0] });
    for (const r of [await solveUfl(m), await solveCfl(m), await solveSscfl(m), await solvePMedian(m, { p: 1 })]) {
      expect(r.status).toBe('infeasible');
      expect(r.status === 'infeasible' ? r.certificate?.fields : []).toContain('clients[1]');
    }
  });

  it('mustOpen and forbidden sites are honoured', async () => {
    const m = build({ ...FIXED_SPEC, mustOpen: FIXED_SPEC.mustOpen.map((_, i) => i === 3), forbidden: FIXED_SPEC.forbidden.map((_, i) => i === 0 || i === 5) });
    for (const r of [await solveUfl(m), await solveCfl(m), await solveSscfl(m), await solvePMedian(m, { p: 3 })]) {
      expect(hasSolution(r)).toBe(true);
      const open = Array.from(r.solution!.openSites);
      expect(open).toContain(3);
      expect(open).not.toContain(0);
      expect(open).not.toContain(5);
    }
  });
});
