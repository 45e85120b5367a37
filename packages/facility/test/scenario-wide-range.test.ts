import { createPlacementModel, solve } from '@emplace/core';
import { createScenarioSet, type ScenarioInput } from '@emplace/facility';
import { describe, expect, it } from 'vitest';

/**
 * Costs spanning more than FORMULATION_RANGE_LIMIT (a 2^40 opening cost or penalty next to unit
 * costs): HiGHS's absolute tolerances lost the small costs and the extensive form / epigraph MIP
 * claimed `optimal` for a worse set (issue 13 status audit, scripts/audit/uncertainty-cases.ts).
 * Few free sites are now enumerated exactly; more are solved without a proof.
 */
function set(spec: { f: number[]; c: number[][]; d: number[]; cap?: number[]; allowed?: boolean[][]; mustOpen?: boolean[]; forbidden?: boolean[]; penalty?: number; capacitated: boolean; scenarios: ScenarioInput[] }) {
  const model = createPlacementModel({
    sites: spec.f.map((f, i) => ({ openingCost: f, ...(spec.cap ? { capacity: spec.cap[i]! } : {}), mustOpen: spec.mustOpen?.[i] ?? false, forbidden: spec.forbidden?.[i] ?? false })),
    clients: spec.d.map((d) => ({ demand: d })),
    cost: spec.c,
    ...(spec.allowed ? { allowed: (i: number, j: number) => spec.allowed![i]![j]! } : {}),
  });
  return createScenarioSet(model, spec.scenarios, { ...(spec.penalty !== undefined ? { penalty: spec.penalty } : {}), capacitated: spec.capacitated });
}

describe('scenario formulations with costs far apart', () => {
  it('stochastic:extensive with a 2^41 penalty next to unit costs is optimal at the true optimum (was optimal 72, optimum 41)', async () => {
    const s = set({
      f: [1, 2, 14, 34],
      c: [[39, 19, 19, 6], [16, 2, 9, 29], [17, 16, 27, 15], [32, 28, 24, 18]],
      d: [0, 1, 0, 2],
      allowed: [[true, true, false, true], [true, false, false, false], [true, true, true, true], [true, true, true, true]],
      penalty: 2 ** 41,
      capacitated: false,
      scenarios: [{ demand: [0, 0, 1, 0], failed: [0] }],
    });
    const r = await solve(s, { method: 'stochastic:extensive' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(41);
  });

  it.each(['stochastic:extensive', 'stochastic:auto'])('%s with a 2^41 opening cost on a capacitated set finds the optimum 1 (was optimal 3)', async (method) => {
    const s = set({
      f: [3298534883328, 2, 1, 0],
      c: [[2, 2, 1, 2], [2, 2, 1, 2], [2, 1, 2, 1], [2, 2, 1, 2]],
      d: [0, 1, 1, 1],
      cap: [3, Infinity, 6, 3],
      allowed: [[true, true, true, true], [true, true, false, true], [true, true, true, true], [false, false, false, true]],
      mustOpen: [false, false, true, false],
      penalty: 0,
      capacitated: true,
      scenarios: [
        { demand: [1, 1, 0, 0], failed: [2], cost: [[2, 1, 2, 2], [1, 2, 2, 1], [1, 2, 2, 2], [2, 2, 1, 1]] },
        { demand: [1, 1, 1, 2], failed: [0], costScale: 3 },
      ],
    });
    const r = await solve(s, { method });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1);
  });

  it.each(['robust:mip', 'robust:local-search', 'robust:auto'])('%s min-max regret of one scenario is 0 (the scenario optimum was wrong: local-search reported regret -51)', async (method) => {
    const s = set({
      f: [57, 1099511627776, 0],
      c: [[11, 28], [2, 20], [14, 10]],
      d: [1, 2],
      cap: [3, 3, Infinity],
      allowed: [[true, true], [false, true], [true, true]],
      capacitated: true,
      scenarios: [{ demand: [2, 0] }],
    });
    const r = await solve(s, { method, criterion: 'min-max-regret' });
    expect(r.status === 'optimal' || r.status === 'feasible').toBe(true);
    expect(r.objective).toBe(0);
  });

  it('too many free sites to enumerate: the MIP plan is returned without a proof or a bound', async () => {
    const n = 22;
    const s = set({
      f: Array.from({ length: n }, (_, i) => (i === 0 ? 2 ** 40 : 1 + (i % 3))),
      c: Array.from({ length: n }, (_, i) => [1 + ((i * 7) % 5), 1 + ((i * 3) % 4)]),
      d: [1, 1],
      capacitated: false,
      scenarios: [{ demand: [1, 1] }, { demand: [2, 0.5] }],
    });
    const r = await solve(s, { method: 'stochastic:extensive' });
    expect(r.status).toBe('feasible');
    expect(r.bound).toBeUndefined();
    expect(r.warnings?.join(' ')).toMatch(/span a ratio/);
  });
});
