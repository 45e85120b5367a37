import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, createPlacementModel, hasSolution, type PlacementModel } from '@emplace/core';
import { incrementalKCenter, measureIncrementalKCenter } from '@emplace/kcenter';

/** Vertex k-center on random points of the plane (Euclidean: a metric, a site at every client). */
function planar(points: readonly [number, number][]): PlacementModel {
  const n = points.length;
  const cost = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cost[a * n + b] = Math.hypot(points[a]![0] - points[b]![0], points[a]![1] - points[b]![1]);
  return createPlacementModel({ sites: n, clients: n, cost });
}

/** Brute-force k-center optimum of the clients in `subset` (centres anywhere among the sites). */
function bruteRadius(m: PlacementModel, k: number, subset: readonly number[]): number {
  const nS = m.nSites;
  const nC = m.nClients;
  let best = Infinity;
  const pick: number[] = [];
  const rec = (from: number): void => {
    if (pick.length > 0) {
      let r = 0;
      for (const j of subset) {
        let near = Infinity;
        for (const s of pick) near = Math.min(near, m.cost[s * nC + j]!);
        r = Math.max(r, near);
      }
      best = Math.min(best, r);
    }
    if (pick.length === k) return;
    for (let s = from; s < nS; s++) {
      pick.push(s);
      rec(s + 1);
      pick.pop();
    }
  };
  rec(0);
  return best;
}

const pointsArb = (min: number, max: number) => fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: min, maxLength: max });

describe('incremental (doubling) k-center', () => {
  it('after every arrival, the radius over the clients seen is <= 8 x their brute-force optimum, with at most k centres', () => {
    fc.assert(
      fc.property(pointsArb(1, 9), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1000 }), (pts, kWanted, seed) => {
        const m = planar(pts as [number, number][]);
        const n = m.nClients;
        const k = Math.min(kWanted, n);
        const full = incrementalKCenter(m, { k, order: 'random', seed });
        expect(hasSolution(full)).toBe(true);
        if (!hasSolution(full)) return;
        const order = Array.from(full.solution.order);
        // Replaying the prefixes with the same order gives the state after each arrival.
        for (let t = 1; t <= n; t++) {
          const prefix = order.slice(0, t);
          const sub = createPlacementModel({ sites: n, clients: t, cost: Array.from({ length: n }, (_, s) => prefix.map((j) => m.cost[s * n + j]!)) });
          const r = incrementalKCenter(sub, { k });
          expect(hasSolution(r)).toBe(true);
          if (!hasSolution(r)) continue;
          expect(r.solution.open.length).toBeLessThanOrEqual(k);
          const opt = bruteRadius(m, k, prefix);
          expect(r.objective).toBeLessThanOrEqual(8 * opt + 1e-9);
          expect(r.objective).toBeGreaterThanOrEqual(opt - 1e-9);
          expect(r.objective).toBeLessThanOrEqual(4 * r.solution.scale + 1e-9);
        }
        // The objective is the recomputed radius of the open set.
        let radius = 0;
        for (let j = 0; j < n; j++) {
          let near = Infinity;
          for (const s of full.solution.open) near = Math.min(near, m.cost[s * n + j]!);
          radius = Math.max(radius, near);
        }
        expect(full.objective).toBeCloseTo(radius, 9);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('the evaluator measures ratios against the exact k-center and never exceeds 8', async () => {
    const rng = (s: number) => () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const r = rng(42);
    const pts = Array.from({ length: 30 }, () => [Math.round(100 * r()), Math.round(100 * r())] as [number, number]);
    const m = planar(pts);
    const report = await measureIncrementalKCenter(m, { k: 4, runs: 10, seed: 1 });
    expect(report.offlineProven).toBe(true);
    expect(report.offline).toBeCloseTo(bruteRadius(m, 4, Array.from({ length: 30 }, (_, j) => j)), 9);
    expect(report.runs.length).toBe(10);
    expect(report.maxRatio).toBeLessThanOrEqual(8);
    expect(report.minRatio).toBeGreaterThanOrEqual(1 - 1e-12);
  });

  it('is deterministic per order and refuses inputs outside its guarantee', () => {
    const m = planar([[0, 0], [1, 0], [5, 5], [9, 1]]);
    const a = incrementalKCenter(m, { k: 2, order: [3, 1, 0, 2] });
    const b = incrementalKCenter(m, { k: 2, order: [3, 1, 0, 2] });
    expect(a.objective).toBe(b.objective);
    expect(() => incrementalKCenter(m, { k: 2, order: [0, 0, 1, 2] })).toThrow(/options\.order\[1\]/);
    const weighted = createPlacementModel({ sites: 2, clients: [{ weight: 2 }, {}], cost: [[0, 1], [1, 0]] });
    expect(() => incrementalKCenter(weighted, { k: 1 })).toThrow(/model\.weight/);
    const supplier = createPlacementModel({ sites: 1, clients: 2, cost: [[1, 2]] });
    expect(() => incrementalKCenter(supplier, { k: 1 })).toThrow(ModelError);
  });

  it('the replays take a bounded number of runs and stop at the time limit and the signal (fuzz finding F10)', async () => {
    const m = planar([[0, 0], [1, 0], [5, 5], [9, 1], [3, 7], [8, 8]]);
    for (const runs of [1e308, 10_001, 0, 2.5]) {
      await expect(measureIncrementalKCenter(m, { k: 2, runs })).rejects.toThrow(/options\.runs/);
    }
    // A zero limit on the replays (the offline search has none): one replay, then the limit.
    const limited = await measureIncrementalKCenter(m, { k: 2, runs: 10_000, timeLimitMs: 0 });
    expect(limited.runs.length).toBe(1);
    expect(limited.stoppedBy).toBe('time-limit');
    expect(limited.maxRatio).toBeLessThanOrEqual(8);
    // An abort fired by a timer during the replays is seen (the loop yields).
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 20);
    const aborted = await measureIncrementalKCenter(m, { k: 2, runs: 10_000, signal: ctrl.signal });
    expect(aborted.stoppedBy === 'aborted' || aborted.runs.length === 10_000).toBe(true);
    const full = await measureIncrementalKCenter(m, { k: 2, runs: 5 });
    expect(full.stoppedBy).toBe('converged');
    expect(full.runs.length).toBe(5);
  });
});
