import { createPlacementModel, runSteps, solve } from '@emplace/core';
import { createScheduleModel, scheduleViolations, type ScheduleModel, type ScheduleSolution } from '@emplace/assignment';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchedule } from '../src/schedule-compile.js';
import { ScheduleSearch } from '../src/schedule-search.js';
import { bruteForce, smallSchedule } from './schedule-brute-force.js';

/**
 * The greedy construction of the schedule heuristics falls back on an exhaustive search when
 * its insertion fails (issue 13 status audit, scripts/audit/schedule-cases.ts): greedy and
 * local-search answered `no-solution` with stoppedBy `converged` both on instances with a plan
 * and on instances with none.
 */
function keptOnCurrentSite(): ScheduleModel {
  // w1 runs on k0; w0 must be on k0 (locality: k1 is 6 away, at most 3 allowed) and apart from
  // w1. Keeping w1 on k0 left w0 nowhere; the only plan is w0 on k0, w1 on k1 (29 + 7 + 9 to move w1).
  const placement = createPlacementModel({
    sites: [{ id: 'k0', capacity: 6 }, { id: 'k1', capacity: 4 }],
    clients: [{ id: 'w0', demand: 1 }, { id: 'w1', demand: 3 }],
    cost: [[29, 6], [26, 7]],
    antiAffinity: [{ clients: [1, 0] }],
  });
  return createScheduleModel({ placement, networkCost: [[5, 9], [6, 5]], lambdaNetwork: 0, locality: [{ client: 0, site: 0, maxLatency: 3 }], current: [null, 0], migrationCost: [1, 9] });
}

function noPlan(): ScheduleModel {
  // Bin packing with room on paper (6 units of demand, 6 of capacity) but no plan: a site of
  // capacity 3 takes one workload of 2.
  const placement = createPlacementModel({
    sites: [{ id: 'k0', capacity: 3 }, { id: 'k1', capacity: 3 }, { id: 'k2', forbidden: true }],
    clients: [{ demand: 2 }, { demand: 2 }, { demand: 2 }],
    cost: [[1, 1, 1], [2, 2, 2], [3, 3, 3]],
  });
  return createScheduleModel({ placement, current: [1, 0, 1], migrationCost: 4 });
}

describe('schedule construction: exhaustive fallback', () => {
  it.each(['greedy', 'local-search'])('schedule:%s finds the plan the greedy insertion misses (was no-solution, converged)', async (method) => {
    const r = await solve(keptOnCurrentSite(), { method: `schedule:${method}` });
    expect(r.status).toBe('feasible');
    expect(r.objective).toBe(45);
    expect(Array.from((r.solution as ScheduleSolution).assignment)).toEqual([0, 1]);
  });

  it.each(['greedy', 'local-search', 'mip', 'auto'])('schedule:%s proves an instance without a plan infeasible (was no-solution, converged)', async (method) => {
    const r = await solve(noPlan(), { method: `schedule:${method}` });
    expect(r.status).toBe('infeasible');
    expect(r.stoppedBy).toBe('converged');
  });

  it('a construction out of its node budget says so (no claim of infeasibility)', () => {
    const c = compileSchedule(noPlan());
    if (c.kind !== 'ok') throw new Error('compiles');
    const ls = new ScheduleSearch(c.problem);
    expect(runSteps(ls.exhaustiveSteps(() => false, 1))).toBe(false);
    expect(ls.noPlan).toBe('budget');
    expect(runSteps(ls.exhaustiveSteps(() => false))).toBe(false);
    expect(ls.noPlan).toBe('infeasible');
  });

  it('the heuristics are infeasible exactly when no assignment is valid, and their plans are valid otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(smallSchedule, async (model) => {
        const optimum = bruteForce(model);
        for (const method of ['greedy', 'local-search']) {
          const r = await solve(model, { method: `schedule:${method}` });
          expect(r.status, method).toBe(optimum === undefined ? 'infeasible' : 'feasible');
          if (r.status === 'feasible') {
            expect(scheduleViolations(model, (r.solution as ScheduleSolution).assignment)).toEqual([]);
            expect(r.objective).toBeGreaterThanOrEqual(optimum! - 1e-9 * Math.max(1, optimum!));
          }
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});
