import { describe, expect, it } from 'vitest';
import { createPlacementModel, isAllowed, ModelError } from '@emplace/core';

/** Defects found by the status audit (scripts/audit/statuses.ts), each with its reproduction. */
describe('audit findings: createPlacementModel', () => {
  it('reads allowed rows of a one-client model as rows (a row [0] used to count as allowed)', () => {
    // Before: allowed [[0], [0], [0]] (3 sites, 1 client) was read as a flat array of three
    // truthy entries, so every UFL method answered `optimal` on an infeasible instance.
    const m = createPlacementModel({ sites: 3, clients: 1, cost: [[1], [2], [1]], allowed: [[0], [1], [0]] });
    expect([0, 1, 2].map((i) => isAllowed(m, i, 0))).toEqual([false, true, false]);
    const one = createPlacementModel({ sites: 1, clients: 1, cost: [[7]], allowed: [[0]] });
    expect(isAllowed(one, 0, 0)).toBe(false);
  });

  it('still reads a flat allowed array, and names a non-flag entry', () => {
    const m = createPlacementModel({ sites: 2, clients: 1, cost: [3, 4], allowed: [1, 0] });
    expect([isAllowed(m, 0, 0), isAllowed(m, 1, 0)]).toEqual([true, false]);
    expect(() => createPlacementModel({ sites: 1, clients: 2, cost: [3, 4], allowed: [[1], 0] as never })).toThrow(ModelError);
    expect(() => createPlacementModel({ sites: 1, clients: 2, cost: [3, 4], allowed: [[1], 0] as never })).toThrow(/allowed\[0\]/);
  });
});
