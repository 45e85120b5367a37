import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, ModelError } from '@emplace/core';
import { createScenarioSet, onlineFacilityLocation, solveCfl, solvePMedian, solveSscfl, solveUfl } from '@emplace/facility';

// Two clients both cheapest at site 0, anti-affine: the textbook variants put them together.
const antiAffine = createPlacementModel({
  sites: [{ openingCost: 1, capacity: 10 }, { openingCost: 1, capacity: 10 }],
  clients: 2,
  cost: [
    [1, 1],
    [5, 5],
  ],
  antiAffinity: [{ clients: [0, 1] }],
});

describe('facility: model features it does not honour are reported', () => {
  it('ufl puts two anti-affine clients on one site and says so (was: feasible, no warning)', async () => {
    for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'auto'] as const) {
      const r = await solveUfl(antiAffine, { method });
      expect(hasSolution(r)).toBe(true);
      expect(r.warnings?.some((w) => w.includes(`ufl:${method} ignores model.antiAffinity`))).toBe(true);
    }
  });

  it('split-demand cfl warns about affinity; cfl, sscfl and p-median about extra resource dimensions', async () => {
    const m = createPlacementModel({
      sites: [{ openingCost: 1, capacity: { cpu: 10, mem: 1 } }, { openingCost: 1, capacity: { cpu: 10, mem: 1 } }],
      clients: [{ demand: { cpu: 1, mem: 1 } }, { demand: { cpu: 1, mem: 1 } }],
      dimensions: ['cpu', 'mem'],
      cost: [
        [1, 5],
        [5, 1],
      ],
      affinity: [[0, 1]],
    });
    for (const r of [await solveCfl(m), await solveSscfl(m), await solvePMedian(m, { p: 1, method: 'greedy' })]) {
      // sscfl and p-median honour affinity (solved over affinity units, see affinity.test.ts).
      expect(r.warnings?.some((w) => w.includes('ignores model.affinity'))).toBe(r.stats.method.startsWith('cfl'));
      expect(r.warnings?.some((w) => w.includes('ignores model.dimensions') && w.includes('"mem"'))).toBe(true);
    }
  });

  it('capacitated variants honour capacity; uncapacitated ones say they ignore it', async () => {
    const cfl = await solveCfl(antiAffine);
    expect(cfl.warnings?.some((w) => w.includes('model.capacity')) ?? false).toBe(false);
    const ufl = await solveUfl(antiAffine);
    expect(ufl.warnings?.some((w) => w.includes('ignores model.capacity'))).toBe(true);
  });

  it('adds no warning to a plain model', async () => {
    const plain = createPlacementModel({ sites: [{ openingCost: 1 }, { openingCost: 1 }], clients: 2, cost: [1, 2, 3, 4], allowed: [1, 1, 0, 1] });
    expect((await solveUfl(plain)).warnings).toBeUndefined();
  });

  it('warns on an infeasible result too', async () => {
    const none = createPlacementModel({ sites: 1, clients: 2, cost: [1, 1], allowed: [1, 0], antiAffinity: [{ clients: [0, 1] }] });
    const r = await solveUfl(none);
    expect(r.status).toBe('infeasible');
    expect(r.warnings?.some((w) => w.includes('antiAffinity'))).toBe(true);
  });
});

describe('facility scenario methods: declared model features', () => {
  it('refuse anti-affinity with a ModelError naming the field, and warn about extra dimensions', () => {
    expect(() => createScenarioSet(antiAffine, [{}])).toThrow(ModelError);
    expect(() => createScenarioSet(antiAffine, [{}])).toThrow(/model\.antiAffinity/);
    const twoDims = createPlacementModel({
      sites: [{ capacity: { cpu: 4, mem: 4 } }, { capacity: { cpu: 4, mem: 4 } }],
      clients: [{ demand: { cpu: 1, mem: 1 } }],
      dimensions: ['cpu', 'mem'],
      cost: [1, 2],
    });
    expect(createScenarioSet(twoDims, [{}]).warnings.some((w) => w.includes('ignores model.dimensions'))).toBe(true);
  });
});

describe('online facility location: declared model features', () => {
  it('refuses anti-affinity and warns that it ignores capacities', () => {
    expect(() => onlineFacilityLocation(antiAffine)).toThrow(/model\.antiAffinity/);
    const capped = createPlacementModel({ sites: [{ openingCost: 1, capacity: 1 }, { openingCost: 1 }], clients: 2, cost: [0, 1, 1, 0] });
    expect(onlineFacilityLocation(capped).warnings?.some((w) => w.includes('online facility location ignores model.capacity'))).toBe(true);
  });
});
