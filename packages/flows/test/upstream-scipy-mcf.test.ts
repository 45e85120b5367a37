/**
 * Multi-commodity flow against an independent LP (no upstream library ships an MCF suite):
 * random small instances whose arc LPs were solved by scipy's linprog (HiGHS), min-cost
 * routing and maximum concurrent flow. Checks mcf:lp and mcf:concurrent-lp for equal
 * optima (and infeasible where the LP is), and that Garg-Koenemann's ratio never exceeds
 * the LP optimum while its proven bound never falls below it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGraph } from '@emplace/core';
import { createMcfProblem, solveMcf } from '@emplace/flows';

type Instance = [number, [number, number, number][], number[], [number, number, number, number][], number | 'infeasible', number];

const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-scipy-mcf.json', import.meta.url), 'utf8')) as { instances: Instance[] };

describe('mcf against scipy linprog (HiGHS)', () => {
  it('60 random instances: mcf:lp cost / infeasible, mcf:concurrent-lp lambda, garg-konemann within the LP optimum', async () => {
    let infeasible = 0;
    for (const [i, [n, edges, cost, commodities, minCost, lambda]] of doc.instances.entries()) {
      const graph = createGraph({ n, edges });
      const p = createMcfProblem({ graph, cost, commodities: commodities.map(([source, sink, demand, weight]) => ({ source, sink, demand, weight })) });
      const r = await solveMcf(p, { method: 'lp' });
      if (minCost === 'infeasible') {
        expect([i, r.status]).toEqual([i, 'infeasible']);
        infeasible++;
      } else {
        expect([i, r.status]).toEqual([i, 'optimal']);
        expect(Math.abs(r.objective! - minCost)).toBeLessThan(1e-6 * Math.max(1, minCost));
      }
      const c = await solveMcf(p, { method: 'concurrent-lp' });
      expect([i, c.status]).toEqual([i, 'optimal']);
      expect(Math.abs(c.solution!.lambda - lambda)).toBeLessThan(1e-6 * Math.max(1, lambda));
      const gk = await solveMcf(p, { method: 'garg-konemann' });
      expect(gk.solution!.lambda).toBeLessThanOrEqual(lambda * (1 + 1e-9));
      if (gk.bound !== undefined) expect(gk.bound).toBeGreaterThanOrEqual(lambda * (1 - 1e-9));
    }
    expect(infeasible).toBe(18);
  });
});
