import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPlacementModel, mergeAffinityUnits } from '../src/index.js';

/** Small models with random affinity groups (often overlapping), allowed pairs and two dimensions. */
const smallModel = fc
  .record({
    S: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 7 }),
    seed: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 200, maxLength: 200 }),
    groups: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), { maxLength: 4 }),
  })
  .map(({ S, n, seed, groups }) => {
    let t = 0;
    const next = () => seed[t++ % seed.length]!;
    return createPlacementModel({
      sites: S,
      clients: Array.from({ length: n }, () => ({ demand: [1 + (next() % 5), next() % 3] })),
      dimensions: ['cpu', 'memory'],
      cost: Array.from({ length: S * n }, () => next()),
      allowed: Array.from({ length: S * n }, () => (next() % 7 === 0 ? 0 : 1)),
      affinity: groups.map((g) => g.map((c) => c % n)),
      antiAffinity: [{ clients: [0, n - 1] }],
    });
  });

describe('mergeAffinityUnits', () => {
  it('a plan of the units costs, loads and allows exactly what the expanded client plan does', () => {
    fc.assert(
      fc.property(smallModel, fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), (model, pick) => {
        const { model: m, units } = mergeAffinityUnits(model);
        expect(m.nClients).toBe(units.count);
        expect(m.affinity).toHaveLength(0);
        const S = model.nSites;
        const n = model.nClients;
        const unitSite = Array.from({ length: m.nClients }, (_, u) => pick[u]! % S);
        const clientSite = Array.from({ length: n }, (_, j) => unitSite[units.unitOf[j]!]!);
        let unitCost = 0;
        for (let u = 0; u < m.nClients; u++) unitCost += m.cost[unitSite[u]! * m.nClients + u]!;
        let clientCost = 0;
        for (let j = 0; j < n; j++) clientCost += model.cost[clientSite[j]! * n + j]!;
        expect(unitCost).toBe(clientCost);
        for (let d = 0; d < 2; d++) {
          for (let i = 0; i < S; i++) {
            let a = 0;
            let b = 0;
            for (let u = 0; u < m.nClients; u++) if (unitSite[u] === i) a += m.demand[u * 2 + d]!;
            for (let j = 0; j < n; j++) if (clientSite[j] === i) b += model.demand[j * 2 + d]!;
            expect(a).toBe(b);
          }
        }
        for (let u = 0; u < m.nClients; u++) {
          const i = unitSite[u]!;
          const every = Array.from(units.units[u]!).every((j) => model.allowed![i * n + j] === 1);
          expect(m.allowed![i * m.nClients + u] === 1).toBe(every);
        }
      }),
    );
  });

  it('joins {0,1} and {1,2} into one unit and names the anti-affinity group it contradicts', () => {
    const model = createPlacementModel({ sites: 2, clients: 4, cost: [1, 2, 3, 4, 5, 6, 7, 8], affinity: [[0, 1], [1, 2]], antiAffinity: [{ clients: [3, 2] }, { clients: [0, 2] }] });
    const { model: m, units, conflict } = mergeAffinityUnits(model);
    expect(units.count).toBe(2);
    expect(m.clientIds).toEqual(['0+1+2', '3'].map((s) => s.split('+').map((k) => model.clientIds[Number(k)]).join('+')));
    expect(Array.from(m.cost)).toEqual([1 + 2 + 3, 4, 5 + 6 + 7, 8]);
    expect(conflict).toEqual({ group: 1, a: 0, b: 2 });
    expect(Array.from(m.antiAffinity[0]!.clients)).toEqual([1, 0]);
  });
});
