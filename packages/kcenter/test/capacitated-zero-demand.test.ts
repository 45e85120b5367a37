import { createPlacementModel, listSolvers, solve, type PlacementModel } from '@emplace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { solved } from './helpers.js';

/**
 * A zero-demand client loads no site but is still a client: its weighted distance to an open
 * site counts in the radius, with capacities as without them (capacities only restrict, so
 * the capacitated optimum is never below the uncapacitated one). Found by the status audit
 * (statuses.ts --seed 6203 --only kcenter --cases 60, case 14): every method answered
 * `optimal` 0.019 where the optimum is 0.023, leaving client 1 (demand 0) unassigned.
 */
describe('capacitated k-center with zero-demand clients', () => {
  const methods = listSolvers('kcenter').map((e) => e.method).filter((m) => m !== 'incremental');

  // The audit's case, scaled by 1000: k = 2 opens every site, client 1 may only use site 1 (23).
  const opensAll = createPlacementModel({
    sites: [{ id: 's0', capacity: 6 }, { id: 's1', capacity: 10, mustOpen: true }],
    clients: [4, 0, 3, 2, 0, 1].map((demand, j) => ({ id: `c${j}`, demand })),
    cost: [
      [8, 21, 21, 4, 17, 19],
      [1, 23, 19, 2, 28, 17],
    ],
    allowed: [
      [1, 0, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1],
    ],
  });

  it.each(methods)('kcenter:%s serves the zero-demand client (radius 23, not 19)', async (method) => {
    const r = solved(await solve(opensAll, { method: `kcenter:${method}`, k: 2 }));
    expect(r.objective).toBe(23);
    expect(Array.from((r.solution as { assignment: Int32Array }).assignment)).not.toContain(-1);
  });

  // Sites A, B, C of capacity 1, k = 2. Clients 0 and 1 (demand 1) sit next to A and B; client 2
  // (demand 0) is near C only. {A, B} leaves client 2 at 10; {A, C} and {B, C} give 9: optimum 9.
  const needsC = createPlacementModel({
    sites: [{ id: 'A', capacity: 1 }, { id: 'B', capacity: 1 }, { id: 'C', capacity: 1 }],
    clients: [1, 1, 0].map((demand, j) => ({ id: `c${j}`, demand })),
    cost: [
      [1, 5, 10],
      [5, 1, 10],
      [9, 9, 2],
    ],
  });

  it.each(['exact', 'auto'])('kcenter:%s finds the optimum 9 (the search and its MIP cover the zero-demand client)', async (method) => {
    const r = solved(await solve(needsC, { method: `kcenter:${method}`, k: 2 }));
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(9);
  });

  it('kcenter:capacitated answers a plan whose every client is within its radius, never below 9', async () => {
    const r = solved(await solve(needsC, { method: 'kcenter:capacitated', k: 2 }));
    expect(r.objective).toBeGreaterThanOrEqual(9);
    expect(r.bound!).toBeLessThanOrEqual(9);
    expect(radiusOf(needsC, (r.solution as { assignment: Int32Array }).assignment)).toBe(r.objective);
  });

  it('on random instances with zero demands, the capacitated optimum is never below the uncapacitated one and every client is served', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (m, n, costs, demands, caps, k) => {
          const cost = Array.from({ length: m }, (_, i) => costs.slice(i * 6, i * 6 + n));
          const base = { clients: demands.slice(0, n).map((demand, j) => ({ id: `c${j}`, demand })), cost };
          const capacitated = createPlacementModel({ ...base, sites: caps.slice(0, m).map((capacity, i) => ({ id: `s${i}`, capacity })) });
          const free = createPlacementModel({ ...base, sites: m });
          const kk = Math.min(k, m);
          const c = await solve(capacitated, { method: 'kcenter:exact', k: kk });
          if (c.status !== 'optimal') return;
          const u = solved(await solve(free, { method: 'kcenter:exact', k: kk }));
          expect(c.objective).toBeGreaterThanOrEqual(u.objective);
          const assignment = (c.solution as { assignment: Int32Array }).assignment;
          expect(Array.from(assignment)).not.toContain(-1);
          expect(radiusOf(capacitated, assignment)).toBeLessThanOrEqual(c.objective);
        },
      ),
      { numRuns: 60, seed: 6203 },
    );
  });
});

/** Largest cost over the clients' assigned sites (unit weights), recomputed from the model. */
function radiusOf(model: PlacementModel, assignment: Int32Array): number {
  let r = 0;
  for (let j = 0; j < model.nClients; j++) r = Math.max(r, assignment[j]! < 0 ? Infinity : model.cost[assignment[j]! * model.nClients + j]!);
  return r;
}
