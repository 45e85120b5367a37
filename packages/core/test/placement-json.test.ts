import { describe, expect, it } from 'vitest';
import { createPlacementModel, placementInputFromJson } from '@emplace/core';

describe('placementInputFromJson', () => {
  it('reads null capacities as Infinity (site, array entry, record entry, column) and drops the envelope', () => {
    const input = placementInputFromJson({
      kind: 'placement',
      name: 'x',
      dimensions: ['cpu', 'mem'],
      sites: [{ capacity: null }, { capacity: [4, null] }, { capacity: { cpu: null, mem: 2 } }],
      clients: 1,
      cost: [1, 2, 3],
    });
    expect('kind' in input || 'name' in input).toBe(false);
    const m = createPlacementModel(input);
    expect(Array.from(m.capacity)).toEqual([Infinity, Infinity, 4, Infinity, Infinity, 2]);
    const col = createPlacementModel(placementInputFromJson({ sites: 2, clients: 1, cost: [1, 2], capacity: [null, 3] }));
    expect(Array.from(col.capacity)).toEqual([Infinity, 3]);
  });

  it('does not mutate its argument', () => {
    const doc = { sites: [{ capacity: null }], clients: 1, cost: [1] };
    placementInputFromJson(doc);
    expect(doc.sites[0]!.capacity).toBeNull();
  });
});
