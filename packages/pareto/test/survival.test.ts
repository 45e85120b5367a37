import { Rng } from '@emplace/core';
import { dasDennis, dominates, evolve, RankAndCrowdingSurvival, ReferenceDirectionSurvival, zdt1, type Survival } from '@emplace/pareto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const rows = (flat: number[], m: number): number[][] => Array.from({ length: flat.length / m }, (_, i) => flat.slice(i * m, i * m + m));

/** Candidates no survivor dominates are never dropped while a dominated one survives (checked by brute force). */
function checkElitist(survival: Survival, objs: number[], m: number, size: number): number[] {
  const n = objs.length / m;
  const chosen = survival.select(Float64Array.from(objs), new Float64Array(n), n, m, size, new Rng(1));
  expect(new Set(chosen).size).toBe(size);
  for (const i of chosen) expect(i >= 0 && i < n).toBe(true);
  const pts = rows(objs, m);
  const kept = new Set(chosen);
  // Every dropped point is dominated by nothing a survivor is not: if a survivor is dominated
  // by a dropped point, the dropped point would have been in an earlier front.
  for (let d = 0; d < n; d++) {
    if (kept.has(d)) continue;
    for (const s of chosen) expect(dominates(pts[d]!, pts[s]!), `dropped ${d} dominates survivor ${s}`).toBe(false);
  }
  return chosen;
}

const pointsArb = (m: number) => fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 6 * m, maxLength: 24 * m }).map((a) => a.slice(0, a.length - (a.length % m)));

describe('survival strategies', () => {
  it('rank and crowding (NSGA-II) keeps whole fronts first, then the extremes of the cut front', () => {
    fc.assert(
      fc.property(pointsArb(2), fc.integer({ min: 1, max: 5 }), (objs, cut) => {
        const n = objs.length / 2;
        checkElitist(new RankAndCrowdingSurvival(), objs, 2, Math.max(1, n - cut));
      }),
    );
    // One front of 5 points on a line, keep 2: the two extremes (infinite crowding distance).
    const line = [0, 4, 1, 3, 2, 2, 3, 1, 4, 0];
    expect(new RankAndCrowdingSurvival().select(Float64Array.from(line), new Float64Array(5), 5, 2, 2, new Rng(1)).sort()).toEqual([0, 4]);
  });

  it('reference directions (NSGA-III) keep whole fronts first and spread the cut front over the niches', () => {
    fc.assert(
      fc.property(pointsArb(3), fc.integer({ min: 1, max: 5 }), (objs, cut) => {
        const n = objs.length / 3;
        checkElitist(new ReferenceDirectionSurvival(dasDennis(3, 4).values, 3), objs, 3, Math.max(1, n - cut));
      }),
    );
  });

  it('infeasible candidates survive only after every feasible one, least violation first', () => {
    const objs = Float64Array.from([0, 0, 1, 1, 5, 5, 6, 6]);
    const viol = Float64Array.from([0, 3, 1, 0]);
    for (const s of [new RankAndCrowdingSurvival(), ReferenceDirectionSurvival.fromOptions(2, { divisions: 4 })]) {
      expect(s.select(objs, viol, 4, 2, 3, new Rng(1)).sort()).toEqual([0, 2, 3]);
    }
  });

  it('fromOptions checks the given directions against the objectives', () => {
    expect(() => ReferenceDirectionSurvival.fromOptions(3, { referenceDirections: [[0.5, 0.5]] })).toThrow(/referenceDirections\[0\]/);
    expect(() => ReferenceDirectionSurvival.fromOptions(3, { referenceDirections: [] })).toThrow(/must not be empty/);
    expect(ReferenceDirectionSurvival.fromOptions(3, {}).nDirections).toBe(91);
  });

  it('evolve runs with any Survival object', async () => {
    const r = await evolve(zdt1(10), { seed: 2, maxEvaluations: 1000, populationSize: 20 }, new RankAndCrowdingSurvival(), 'test:custom');
    expect(r.status).toBe('feasible');
    expect(r.solution?.points.length).toBeGreaterThan(0);
  });
});
