import { affinityUnits, createPlacementModel, hasSolution, ModelError } from '@emplace/core';
import { exactPlacementFront, solvePlacementFront } from '@emplace/pareto';
import { describe, expect, it } from 'vitest';

// Clients 0 and 1 are cheapest at site 0, client 2 at site 1; affinity {0,1} and {1,2}
// make {0,1,2} one unit (the case of issue 20).
const overlapping = createPlacementModel({
  sites: [{ openingCost: 1 }, { openingCost: 1 }],
  clients: 3,
  cost: [
    [1, 1, 9],
    [9, 9, 1],
  ],
  affinity: [
    [0, 1],
    [1, 2],
  ],
});

describe('solvePlacementFront', () => {
  it('runs the method named in options; exact equals exactPlacementFront', async () => {
    const model = createPlacementModel({ sites: 3, clients: 3, cost: [1, 4, 6, 4, 1, 4, 6, 4, 1] });
    const a = await solvePlacementFront(model, { method: 'exact' });
    const b = await exactPlacementFront(model);
    expect(hasSolution(a) && hasSolution(b)).toBe(true);
    expect(a.solution?.points.map((p) => p.objectives)).toEqual(b.solution?.points.map((p) => p.objectives));
    const auto = await solvePlacementFront(model, { objectives: ['cost', 'latency'] });
    expect(auto.solution?.complete).toBe(true);
    const evo = await solvePlacementFront(model, { method: 'evolutionary', objectives: ['cost', 'latency'], maxEvaluations: 400, populationSize: 20, seed: 1 });
    expect(evo.solution?.complete).toBe(false);
  });

  it('rejects an unknown method with a ModelError naming options.method', async () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4] });
    await expect(solvePlacementFront(model, { method: 'nope' as never })).rejects.toMatchObject({ field: 'options.method' });
  });

  it('affinity {0,1} and {1,2}: the evolutionary front (and auto) keeps the unit whole; exact refuses it', async () => {
    const unit = affinityUnits(overlapping).units.find((u) => u.length === 3);
    expect(unit).toBeDefined();
    for (const method of ['evolutionary', 'auto'] as const) {
      const r = await solvePlacementFront(overlapping, { method, objectives: ['cost', 'latency'], maxEvaluations: 400, populationSize: 20, seed: 1 });
      expect(hasSolution(r), method).toBe(true);
      for (const p of r.solution?.points ?? []) {
        const a = p.plan.assignment;
        expect(a[0], method).toBe(a[1]);
        expect(a[1], method).toBe(a[2]);
        expect(p.plan.unserved).toBe(0);
      }
    }
    await expect(solvePlacementFront(overlapping, { method: 'exact' })).rejects.toThrow(ModelError);
  });
});

describe('memory guards (issue 13)', () => {
  it('the exact front refuses a model whose MIPs exceed the budget, naming the size and the limit', async () => {
    const model = createPlacementModel({ sites: 30, clients: 30, cost: Array.from({ length: 900 }, (_, t) => 1 + (t % 7)) });
    await expect(solvePlacementFront(model, { method: 'exact', maxMemoryBytes: 1e6 })).rejects.toThrow(/30 x 30.*memory limit of 977 KiB/);
  });

  it('the evolutionary front refuses a population over the budget', async () => {
    const model = createPlacementModel({ sites: 30, clients: 30, cost: Array.from({ length: 900 }, (_, t) => 1 + (t % 7)) });
    await expect(solvePlacementFront(model, { method: 'evolutionary', populationSize: 1000, maxMemoryBytes: 1e5 })).rejects.toThrow(/population of 1000.*memory limit/);
    const ok = await solvePlacementFront(model, { method: 'evolutionary', populationSize: 20, maxEvaluations: 100, maxMemoryBytes: 1e7 });
    expect(hasSolution(ok)).toBe(true);
  });
});
