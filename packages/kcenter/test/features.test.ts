import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { auto, capacitatedGreedy, exact, gonzalez, hochbaumShmoys, localSearch, outliersGreedy } from '@emplace/kcenter';

// Clients 0 and 1 sit at site 0, anti-affine and with a second resource dimension that site 0 lacks.
const model = createPlacementModel({
  sites: [{ capacity: { cpu: 10, mem: 1 } }, { capacity: { cpu: 10, mem: 1 } }],
  clients: [{ demand: { cpu: 1, mem: 1 } }, { demand: { cpu: 1, mem: 1 } }, { demand: { cpu: 1, mem: 0 } }],
  dimensions: ['cpu', 'mem'],
  cost: [
    [0, 0, 5],
    [5, 5, 0],
  ],
  affinity: [[1, 2]],
  antiAffinity: [{ clients: [0, 1] }],
});

describe('kcenter: model features it does not honour are reported', () => {
  it('every method warns about affinity, anti-affinity and extra dimensions (was: silently ignored)', async () => {
    const results = [
      // Capacity-blind methods refuse capacities unless told to drop them (capacitated: false).
      gonzalez(model, { k: 1, capacitated: false }),
      hochbaumShmoys(model, { k: 1, capacitated: false }),
      localSearch(model, { k: 1, capacitated: false }),
      outliersGreedy(model, { k: 1, outliers: 1, capacitated: false }),
      capacitatedGreedy(model, { k: 1 }),
      await exact(model, { k: 1, capacitated: false }),
      await auto(model, { k: 1 }),
    ];
    for (const r of results) {
      const w = r.warnings ?? [];
      expect(w.some((x) => x.includes('ignores model.affinity'))).toBe(true);
      expect(w.some((x) => x.includes('ignores model.antiAffinity'))).toBe(true);
      expect(w.some((x) => x.includes('ignores model.dimensions') && x.includes('"mem"'))).toBe(true);
      expect(w.some((x) => x.includes('model.capacity'))).toBe(false);
    }
  });

  it('warns on the trivial path (k at least the number of sites) too', async () => {
    const r = await exact(model, { k: 2, capacitated: false });
    expect(hasSolution(r)).toBe(true);
    expect(r.warnings?.some((x) => x.includes('ignores model.antiAffinity'))).toBe(true);
  });

  it('adds no feature warning to a plain model', () => {
    const plain = createPlacementModel({ sites: 2, clients: 2, cost: [0, 1, 1, 0] });
    expect(gonzalez(plain, { k: 1 }).warnings ?? []).toEqual([]);
  });
});
