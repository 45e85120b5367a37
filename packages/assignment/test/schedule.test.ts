import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, ModelError, solve } from '@emplace/core';
import {
  createScheduleModel,
  generateSchedule,
  readScheduleJson,
  scheduleAuto,
  scheduleCost,
  scheduleGreedy,
  scheduleLocalSearch,
  scheduleMip,
  scheduleViolations,
  withoutSite,
  writeScheduleJson,
} from '@emplace/assignment';
import { bruteForce, smallSchedule } from './schedule-brute-force.js';

describe('scheduling: exact and heuristic methods', () => {
  it('MIP equals brute force; local search and greedy are feasible, recomputed and never below it', async () => {
    await fc.assert(
      fc.asyncProperty(smallSchedule, async (model) => {
        const opt = bruteForce(model);
        const mip = await scheduleMip(model, { warmStart: false });
        if (opt === undefined) {
          expect(mip.status === 'infeasible' || mip.status === 'no-solution').toBe(true);
          return;
        }
        expect(mip.status).toBe('optimal');
        expect(mip.objective!).toBeCloseTo(opt, 6);
        if (mip.bound !== undefined) expect(mip.bound).toBeLessThanOrEqual(opt + 1e-6);
        for (const r of [scheduleLocalSearch(model, { maxRoundsWithoutImprovement: 5 }), scheduleGreedy(model)]) {
          if (r.status !== 'feasible' && r.status !== 'optimal') continue; // heuristics may miss tight plans
          expect(scheduleViolations(model, r.solution.assignment)).toEqual([]);
          expect(r.objective).toBeCloseTo(scheduleCost(model, r.solution.assignment).total, 9);
          expect(r.objective).toBeGreaterThanOrEqual(opt - 1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('respects every constraint on a generated instance and is deterministic per seed', () => {
    const model = generateSchedule({ workloads: 300, clusters: 12, seed: 4 });
    const a = scheduleLocalSearch(model, { seed: 9, maxRoundsWithoutImprovement: 5 });
    const b = scheduleLocalSearch(model, { seed: 9, maxRoundsWithoutImprovement: 5 });
    expect(a.status).toBe('feasible');
    expect(scheduleViolations(model, a.solution!.assignment)).toEqual([]);
    expect(a.objective).toBeCloseTo(scheduleCost(model, a.solution!.assignment).total, 6);
    expect(Array.from(a.solution!.assignment)).toEqual(Array.from(b.solution!.assignment));
    const g = scheduleGreedy(model);
    expect(a.objective!).toBeLessThanOrEqual(g.objective!);
  });

  it('does not mutate its input', () => {
    const model = generateSchedule({ workloads: 60, clusters: 5, seed: 2 });
    const cost = Array.from(model.placement.cost);
    const cap = Array.from(model.placement.capacity);
    scheduleLocalSearch(model, { maxRoundsWithoutImprovement: 3 });
    expect(Array.from(model.placement.cost)).toEqual(cost);
    expect(Array.from(model.placement.capacity)).toEqual(cap);
  });
});

describe('re-planning after a cluster is removed', () => {
  it('moves only the workloads that must move when migration is expensive, and never pays more than staying', () => {
    const model = generateSchedule({ workloads: 400, clusters: 10, seed: 11, utilisation: 0.7 });
    const plan = scheduleLocalSearch(model, { maxRoundsWithoutImprovement: 5 });
    expect(plan.status).toBe('feasible');
    const current = plan.solution!.assignment;
    const removed = 3;
    const mustMove = Array.from(current).filter((s) => s === removed).length;
    expect(mustMove).toBeGreaterThan(0);

    const expensive = withoutSite({ ...model, migrationCost: new Float64Array(400).fill(1e6) }, removed, current);
    const r = scheduleLocalSearch(expensive, { maxRoundsWithoutImprovement: 5 });
    expect(r.status).toBe('feasible');
    expect(scheduleViolations(expensive, r.solution!.assignment)).toEqual([]);
    expect(r.solution!.moved).toBe(mustMove);
    for (let j = 0; j < 400; j++) if (current[j] !== removed) expect(r.solution!.assignment[j]).toBe(current[j]);

    // With a moderate migration cost, voluntary moves happen only when they pay: the plan
    // costs no more (migration included) than the one that relocates only the stranded.
    const moderate = withoutSite({ ...model, migrationCost: new Float64Array(400).fill(20) }, removed, current);
    const m = scheduleLocalSearch(moderate, { maxRoundsWithoutImprovement: 5 });
    const onlyStranded = Int32Array.from(r.solution!.assignment);
    expect(m.objective!).toBeLessThanOrEqual(scheduleCost(moderate, onlyStranded).total + 1e-6);
    expect(m.solution!.moved).toBeGreaterThanOrEqual(mustMove);
  });
});

describe('scheduling: infeasibility certificates and bad input', () => {
  const base = (extra: Partial<Parameters<typeof createPlacementModel>[0]> = {}) =>
    createPlacementModel({ sites: [{ id: 'a', labels: { zone: 'z1' } }, { id: 'b', labels: { zone: 'z1' } }], clients: 3, cost: [1, 1, 1, 1, 1, 1], capacity: [10, 10], demand: [1, 1, 1], ...extra });

  it('affinity between workloads with disjoint allowed sets', () => {
    const m = createScheduleModel({ placement: base({ allowed: [1, 0, 1, 0, 1, 1], affinity: [[0, 1]] }) });
    const r = scheduleLocalSearch(m);
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') {
      expect(r.certificate?.fields).toContain('affinity[0]');
      expect(r.certificate?.reason).toMatch(/do not intersect/);
    }
  });

  it('anti-affinity wider than the number of clusters or domains', () => {
    const wide = createScheduleModel({ placement: base({ antiAffinity: [{ clients: [0, 1, 2] }] }) });
    const r = scheduleGreedy(wide);
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') expect(r.certificate?.fields).toEqual(['antiAffinity[0]']);
    const zones = createScheduleModel({ placement: base({ antiAffinity: [{ clients: [0, 1], domain: 'zone' }] }) });
    const z = scheduleGreedy(zones);
    expect(z.status).toBe('infeasible');
  });

  it('a workload that fits nowhere, and total demand above capacity', () => {
    const big = createScheduleModel({ placement: base({ demand: [1, 11, 1] }) });
    const r = scheduleGreedy(big);
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') expect(r.certificate?.fields).toContain('clients[1]');
    const total = createScheduleModel({ placement: base({ demand: [7, 7, 7] }) });
    const t = scheduleGreedy(total);
    expect(t.status).toBe('infeasible');
    if (t.status === 'infeasible') expect(t.certificate?.reason).toMatch(/total/);
  });

  it('names the bad field', () => {
    expect(() => createScheduleModel({ placement: base(), traffic: [{ a: 0, b: 1, volume: 1 }] })).toThrow(/networkCost/);
    expect(() => createScheduleModel({ placement: base(), traffic: [{ a: 'x', b: 1, volume: 1 }], networkCost: [0, 1, 1, 0] })).toThrow(ModelError);
    expect(() => createScheduleModel({ placement: base(), traffic: [{ a: 0, b: 1, volume: -1 }], networkCost: [0, 1, 1, 0] })).toThrow(/traffic\[0\]\.volume/);
    expect(() => createScheduleModel({ placement: base(), networkCost: [0, 1, 1] })).toThrow(/networkCost/);
  });
});

describe('scheduling JSON and registry', () => {
  it('round-trips through JSON and solves through the registry', async () => {
    const model = generateSchedule({ workloads: 30, clusters: 4, seed: 3 });
    const [back] = readScheduleJson(writeScheduleJson(model, 'x'));
    const a = scheduleCost(model, new Int32Array(30).fill(1)).total;
    const b = scheduleCost(back!.model, new Int32Array(30).fill(1)).total;
    expect(b).toBeCloseTo(a, 9);
    const r = await solve(back!.model, { method: 'schedule', timeLimitMs: 500 });
    expect(r.status === 'optimal' || r.status === 'feasible').toBe(true);
    const auto = await scheduleAuto(model, { timeLimitMs: 500 });
    expect(auto.status === 'optimal' || auto.status === 'feasible').toBe(true);
  });
});
