import { createPlacementModel, euclideanMatrix, hasSolution, type PlacementModel } from '@emplace/core';
import { survivableExact, survivableGreedy } from '@emplace/kcenter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** N-1 survivable placement against enumeration of every site subset. */
interface Case {
  model: PlacementModel;
  radius: number;
  level: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    nC: fc.integer({ min: 1, max: 8 }),
    nS: fc.integer({ min: 2, max: 7 }),
    pts: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 30, maxLength: 30 }),
    f: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
    byCount: fc.boolean(),
    must: fc.integer({ min: -1, max: 6 }),
    forbidden: fc.integer({ min: -1, max: 6 }),
    rIdx: fc.nat(),
    level: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ nC, nS, pts, f, byCount, must, forbidden, rIdx, level }) => {
    const cost = euclideanMatrix(Float64Array.from(pts.slice(0, 2 * nS)), Float64Array.from(pts.slice(14, 14 + 2 * nC)), 2);
    const sorted = Float64Array.from(cost).sort();
    // Radii from the upper half of the distances, so that most cases are feasible.
    const radius = sorted[Math.floor(sorted.length / 2) + (rIdx % Math.ceil(sorted.length / 2))]!;
    const sites = Array.from({ length: nS }, (_, s) => ({
      openingCost: byCount ? 0 : f[s]!,
      mustOpen: s === must,
      forbidden: s === forbidden && s !== must,
    }));
    return { model: createPlacementModel({ sites, clients: nC, cost }), radius, level };
  });

/** Optimum by enumeration: Infinity when no subset gives every client `level` sites within the radius. */
function brute(m: PlacementModel, radius: number, level: number, serving: boolean): number {
  let byCount = true;
  for (let s = 0; s < m.nSites; s++) if (!m.forbidden[s] && m.openingCost[s]! > 0) byCount = false;
  let best = Infinity;
  for (let mask = 0; mask < 1 << m.nSites; mask++) {
    let ok = true;
    let cost = 0;
    for (let s = 0; s < m.nSites; s++) {
      const open = (mask >> s) & 1;
      if ((open && m.forbidden[s]) || (!open && m.mustOpen[s])) ok = false;
      if (open) cost += byCount ? 1 : m.openingCost[s]!;
    }
    if (!ok) continue;
    for (let j = 0; j < m.nClients && ok; j++) {
      let within = 0;
      let nearest = Infinity;
      for (let s = 0; s < m.nSites; s++) {
        if (!((mask >> s) & 1)) continue;
        const c = m.cost[s * m.nClients + j]!;
        if (c <= radius) within++;
        nearest = Math.min(nearest, c);
      }
      if (within < level) ok = false;
      if (serving) cost += nearest;
    }
    if (ok) best = Math.min(best, cost);
  }
  return best;
}

describe('survivable placement', () => {
  it('exact equals enumeration (opening cost, and with serving cost); greedy is feasible and never better', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.boolean(), async ({ model, radius, level }, servingCost) => {
        const opt = brute(model, radius, level, servingCost);
        const ex = await survivableExact(model, { radius, level, servingCost });
        const gr = survivableGreedy(model, { radius, level, servingCost });
        if (opt === Infinity) {
          expect(ex.status).toBe('infeasible');
          expect(gr.status).toBe('infeasible');
          return;
        }
        if (!hasSolution(ex) || !hasSolution(gr)) throw new Error(`${ex.status} / ${gr.status}`);
        expect(ex.status).toBe('optimal');
        expect(ex.objective).toBeCloseTo(opt, 6);
        expect(gr.objective).toBeGreaterThanOrEqual(opt - 1e-6);
        for (const r of [ex, gr]) {
          const open = Array.from(r.solution.open);
          // Independent check: after the failure of any one open site, each client still
          // has level - 1 open sites within the radius.
          for (const failed of open) {
            for (let j = 0; j < model.nClients; j++) {
              const left = open.filter((s) => s !== failed && model.cost[s * model.nClients + j]! <= radius).length;
              expect(left).toBeGreaterThanOrEqual(level - 1);
            }
          }
          for (let s = 0; s < model.nSites; s++) if (model.mustOpen[s]) expect(open).toContain(s);
          for (const s of open) expect(model.forbidden[s]).toBe(0);
          for (let j = 0; j < model.nClients; j++) {
            if (level >= 2) {
              const b = r.solution.backup[j]!;
              expect(b).toBeGreaterThanOrEqual(0);
              expect(b).not.toBe(r.solution.primary[j]);
              expect(model.cost[b * model.nClients + j]!).toBeLessThanOrEqual(radius);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('certifies infeasibility by naming a client with too few sites within the bound', async () => {
    const model = createPlacementModel({ sites: 3, clients: 2, cost: [[1, 9], [2, 9], [9, 1]] });
    const r = await survivableExact(model, { radius: 5 });
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') expect(r.certificate?.fields).toEqual(['clients[1]']);
    expect(() => survivableGreedy(model, { radius: 5, level: 0 })).toThrow(/options\.level/);
  });
});
