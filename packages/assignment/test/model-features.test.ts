import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, ModelError } from '@emplace/core';
import { createScheduleModel, gapMthg, scheduleGreedy, scheduleLocalSearch, scheduleMip } from '@emplace/assignment';

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelError) return e.field;
    throw e;
  }
  return undefined;
}

describe('assignment: declared model features', () => {
  it('GAP refuses affinity, anti-affinity and replica counts with a ModelError naming the field', () => {
    const base = { sites: [{ capacity: 5 }, { capacity: 5 }], cost: [1, 2, 3, 4] };
    expect(fieldOf(() => gapMthg(createPlacementModel({ ...base, clients: 2, affinity: [[0, 1]] })))).toBe('model.affinity');
    expect(fieldOf(() => gapMthg(createPlacementModel({ ...base, clients: 2, antiAffinity: [{ clients: [0, 1] }] })))).toBe('model.antiAffinity');
    expect(fieldOf(() => gapMthg(createPlacementModel({ ...base, clients: [{ replicas: 3 }, {}] })))).toBe('model.replicas');
  });

  it('schedule refuses replica counts (it would place each workload once)', () => {
    const model = createScheduleModel({ placement: { sites: 2, clients: [{ replicas: 3 }, {}], cost: [1, 2, 3, 4] } });
    expect(fieldOf(() => scheduleGreedy(model))).toBe('model.replicas');
  });

  it('schedule keeps overlapping affinity groups {0,1} and {1,2} on one site, every method', async () => {
    const model = createScheduleModel({
      placement: {
        sites: [{ capacity: 10 }, { capacity: 10 }],
        clients: 3,
        cost: [
          [1, 1, 9],
          [9, 9, 1],
        ],
        affinity: [[0, 1], [1, 2]],
      },
    });
    for (const r of [scheduleGreedy(model), await scheduleLocalSearch(model), await scheduleMip(model)]) {
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      const a = Array.from(r.solution.assignment);
      expect(a[1]).toBe(a[0]);
      expect(a[2]).toBe(a[0]);
    }
  });
});
