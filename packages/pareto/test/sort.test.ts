import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParetoArchive, compareRows, crowdingDistance, dominates, naiveNonDominatedSort, nonDominatedSort } from '@emplace/pareto';

const pointsArb = (m: number, maxN: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), { minLength: 0, maxLength: maxN });

describe('non-dominated sorting', () => {
  for (const m of [1, 2, 3, 4]) {
    it(`the fast sort equals the O(MN^2) oracle (${m} objectives, ties and duplicates included)`, () => {
      fc.assert(
        fc.property(pointsArb(m, 60), (pts) => {
          const flat = Float64Array.from(pts.flat());
          expect(Array.from(nonDominatedSort(flat, pts.length, m))).toEqual(Array.from(naiveNonDominatedSort(flat, pts.length, m)));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('ranks satisfy the definition: nothing in a front dominates a point of the same or a better front', () => {
    fc.assert(
      fc.property(pointsArb(3, 40), (pts) => {
        const flat = Float64Array.from(pts.flat());
        const rank = nonDominatedSort(flat, pts.length, 3);
        for (let i = 0; i < pts.length; i++) {
          for (let j = 0; j < pts.length; j++) if (compareRows(flat, 3, i, j) === 1) expect(rank[i]).toBeLessThan(rank[j]!);
          if (rank[i]! > 0) expect(pts.some((_, j) => rank[j] === rank[i]! - 1 && compareRows(flat, 3, j, i) === 1)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('sorts 2,000 random 3D points the same way as the oracle', () => {
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 2000;
    const flat = Float64Array.from({ length: n * 3 }, rnd);
    expect(Array.from(nonDominatedSort(flat, n, 3))).toEqual(Array.from(naiveNonDominatedSort(flat, n, 3)));
  });

  it('does not mutate its input', () => {
    const flat = Float64Array.from([3, 1, 1, 3, 2, 2, 0, 5]);
    const copy = flat.slice();
    nonDominatedSort(flat, 4, 2);
    expect(flat).toEqual(copy);
  });
});

describe('crowding distance and archive', () => {
  it('gives the extremes Infinity and inner points the normalised neighbour gap', () => {
    const flat = Float64Array.from([0, 4, 1, 3, 3, 1, 4, 0]);
    const out = new Float64Array(4);
    crowdingDistance(flat, 2, [0, 1, 2, 3], out);
    expect(out[0]).toBe(Infinity);
    expect(out[3]).toBe(Infinity);
    expect(out[1]).toBeCloseTo(3 / 4 + 3 / 4);
    expect(out[2]).toBeCloseTo(3 / 4 + 3 / 4);
  });

  it('keeps exactly the non-dominated points, each objective vector once', () => {
    fc.assert(
      fc.property(pointsArb(3, 50), (pts) => {
        const a = new ParetoArchive<number>(3);
        pts.forEach((p, i) => a.add(p, i));
        const kept = a.objectives();
        for (const p of kept) for (const q of kept) expect(dominates(p, q)).toBe(false);
        for (const p of pts) expect(kept.some((q) => dominates(q, p) || q.every((v, k) => v === p[k]))).toBe(true);
        expect(new Set(kept.map((p) => p.join())).size).toBe(kept.length);
      }),
      { numRuns: 100 },
    );
  });

  it('names the field on bad input', () => {
    const a = new ParetoArchive<number>(2);
    expect(() => a.add([1, NaN], 0)).toThrow(/objectives\[1\]/);
    expect(() => a.add([1, 2, 3], 0)).toThrow(/objectives/);
  });
});
