import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affinityUnits, createPlacementModel, ModelError } from '@emplace/core';
import { exactPlacementFront, placementProblem } from '@emplace/pareto';

describe('placementProblem affinity units', () => {
  it('keeps overlapping groups {0,1} and {1,2} on one site (was: client 2 split off, nothing reported)', () => {
    // Clients 0 and 1 are cheapest at site 0, client 2 at site 1: first-come grouping put
    // {0,1} on site 0 and {2} alone on site 1, breaking affinity[1] with unserved = 0.
    const model = createPlacementModel({
      sites: 2,
      clients: 3,
      cost: [
        [1, 1, 9],
        [9, 9, 1],
      ],
      affinity: [[0, 1], [1, 2]],
    });
    const plan = placementProblem(model, { objectives: ['cost'] }).plan([1, 1]);
    const a = Array.from(plan.assignment);
    expect(a[0]).toBe(a[1]);
    expect(a[1]).toBe(a[2]);
    expect(a[0]).toBe(0);
    expect(plan.unserved).toBe(0);
    expect(plan.cost).toBe(11);
  });

  it('never splits an affinity unit, whatever the groups and open sites', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 2, maxLength: 4 }), { maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (n, groupsIn, costs, openIn) => {
          const groups = groupsIn.map((g) => g.map((j) => j % n));
          const model = createPlacementModel({ sites: 3, clients: n, cost: costs.slice(0, 3 * n), affinity: groups });
          const open = openIn.some(Boolean) ? openIn.map(Number) : [1, 0, 0];
          const plan = placementProblem(model, { objectives: ['cost'] }).plan(open);
          for (const unit of affinityUnits(model).units) for (const j of unit) expect(plan.assignment[j]).toBe(plan.assignment[unit[0]!]);
        },
      ),
    );
  });
});

describe('placement fronts: declared model features', () => {
  it('the exact front refuses affinity; both fronts refuse replica counts (ModelError naming the field)', async () => {
    const withAffinity = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4], affinity: [[0, 1]] });
    await expect(exactPlacementFront(withAffinity)).rejects.toThrow(ModelError);
    await expect(exactPlacementFront(withAffinity)).rejects.toMatchObject({ field: 'model.affinity' });
    const replicated = createPlacementModel({ sites: 2, clients: [{ replicas: 2 }, {}], cost: [1, 2, 3, 4] });
    expect(() => placementProblem(replicated)).toThrow(/model\.replicas/);
  });
});
