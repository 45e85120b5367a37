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
