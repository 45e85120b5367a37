import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, createPlacementModel, hasSolution, Rng, type PlacementModel } from '@emplace/core';
import { measureOnlineFacility, onlineFacilityLocation, onlineGuarantee } from '@emplace/facility';

/** Uniform-cost UFL on points of the plane, a site at every client (the setting of the constant ratio). */
function planar(points: readonly [number, number][], f: number): PlacementModel {
  const n = points.length;
  const cost = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cost[a * n + b] = Math.hypot(points[a]![0] - points[b]![0], points[a]![1] - points[b]![1]);
  return createPlacementModel({ sites: Array.from({ length: n }, () => ({ openingCost: f })), clients: n, cost });
}

/** Brute-force UFL optimum (every subset of sites, clients at their nearest open site). */
function bruteUfl(m: PlacementModel): number {
  const { nSites: S, nClients: C } = m;
  let best = Infinity;
  for (let mask = 1; mask < 1 << S; mask++) {
    let v = 0;
    for (let i = 0; i < S; i++) if ((mask >> i) & 1) v += m.openingCost[i]!;
    for (let j = 0; j < C; j++) {
      let near = Infinity;
      for (let i = 0; i < S; i++) if ((mask >> i) & 1) near = Math.min(near, m.cost[i * C + j]!);
      v += near;
    }
    best = Math.min(best, v);
  }
  return best;
}

const pointsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 8 });

describe('Meyerson online facility location', () => {
  it('serves every client at an opened site, recomputes its cost, never beats the offline optimum, and is deterministic per seed', () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10_000 }), (pts, f, seed) => {
        const m = planar(pts as [number, number][], f);
        const r = onlineFacilityLocation(m, { seed, order: 'random' });
        expect(hasSolution(r)).toBe(true);
        if (!hasSolution(r)) return;
        const s = r.solution;
        const opened = new Set(s.openSites);
        let serving = 0;
        for (let j = 0; j < m.nClients; j++) {
          expect(opened.has(s.assignment[j]!)).toBe(true);
          serving += m.cost[s.assignment[j]! * m.nClients + j]!;
        }
        expect(s.servingCost).toBeCloseTo(serving, 9);
        expect(r.objective).toBeCloseTo(f * opened.size + serving, 9);
        expect(s.hindsightServingCost).toBeLessThanOrEqual(s.servingCost + 1e-9);
        expect(r.objective).toBeGreaterThanOrEqual(bruteUfl(m) - 1e-9);
        const again = onlineFacilityLocation(m, { seed, order: 'random' });
        expect(again.objective).toBe(r.objective);
      }),
      { numRuns: 80, seed: 11 },
    );
  });

  it('in the random-order model the mean measured ratio over 40 seeds stays below the guarantee (4) on random planar instances', () => {
    // E[cost] <= 4 OPT (Kaplan-Naori-Raz); the 40-seed mean estimates E[cost] / OPT. Instances
    // are drawn so that OPT opens a few sites (the interesting regime).
    const rng = new Rng(2024);
    for (let t = 0; t < 8; t++) {
      const n = 8;
      const pts = Array.from({ length: n }, () => [rng.int(100), rng.int(100)] as [number, number]);
      const f = 20 + rng.int(80);
      const m = planar(pts, f);
      expect(onlineGuarantee(m).ratio).toBe(4);
      const opt = bruteUfl(m);
      let sum = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const r = onlineFacilityLocation(m, { seed: 1000 * t + seed, order: 'random' });
        if (hasSolution(r)) sum += r.objective / opt;
      }
      expect(sum / 40).toBeLessThanOrEqual(4);
      expect(sum / 40).toBeGreaterThanOrEqual(1);
    }
  });

  it('the evaluator compares against the exact UFL optimum', async () => {
    const rng = new Rng(7);
    const pts = Array.from({ length: 10 }, () => [rng.int(100), rng.int(100)] as [number, number]);
    const m = planar(pts, 60);
    const report = await measureOnlineFacility(m, { runs: 25, seed: 3 });
    expect(report.offlineProven).toBe(true);
    expect(report.offline).toBeCloseTo(bruteUfl(m), 9);
    expect(report.runs.length).toBe(25);
    expect(report.minRatio).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(report.meanRatio).toBeLessThanOrEqual(report.guarantee!);
    expect(report.order).toBe('random');
  });

  it('says when no constant ratio applies, and validates the order', () => {
    const m = createPlacementModel({ sites: [{ openingCost: 1 }, { openingCost: 5 }], clients: 2, cost: [[1, 2], [2, 1]] });
    const r = onlineFacilityLocation(m);
    expect(r.guarantee.kind).toBe('heuristic');
    expect(r.warnings?.join(' ')).toMatch(/O\(log n\)/);
    expect(() => onlineFacilityLocation(m, { order: [1, 1] })).toThrow(/options\.order\[1\]/);
    const aff = createPlacementModel({ sites: 2, clients: 2, cost: [[1, 2], [2, 1]], affinity: [[0, 1]] });
    expect(() => onlineFacilityLocation(aff)).toThrow(ModelError);
  });
});

describe('online limits', () => {
  it('an aborted signal stops before the first arrival and says so', () => {
    const m = planar([[0, 0], [5, 5], [9, 1]], 10);
    const ac = new AbortController();
    ac.abort();
    const r = onlineFacilityLocation(m, { signal: ac.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.warnings?.join(' ')).toMatch(/stopped after 0 of 3 arrivals/);
  });
});
