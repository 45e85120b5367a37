/**
 * Cases restated from pymoo's test suite:
 * - tests/indicators/test_hv.py (case_2d, case_3d): every 10th point of ZDT1's and DTLZ1's
 *   Pareto fronts scaled by 1.2 against the reference point 1.5; upstream compares with
 *   moocore.hypervolume. The expected volumes here were computed for these points by an
 *   independent slab-sweep script (not our code), and then points are deleted one by one
 *   as upstream does, each remainder checked against inclusion-exclusion.
 * - tests/misc/test_nds.py (test_non_dominated_sorting_ranks / test_find_non_dominated):
 *   the small named cases with moocore.pareto_rank's ranks (0 = first front; duplicates
 *   share a front).
 * - tests/test_indicators.py (test_performance_indicator_1..9): GD, IGD and IGD+ of small
 *   sets against small reference fronts, to pymoo's 2 decimals.
 * - tests/misc/test_crowding_distance.py::test_crowding_distance_norm_equals_zero.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { additiveEpsilon, crowdingDistance, gd, hypervolume, hypervolumeInclusionExclusion, igd, igdPlus, nonDominatedIndices, nonDominatedSort, toPointSet } from '@emplace/pareto';

// pymoo ZDT1().pareto_front()[::10] * 1.2 (x = linspace(0, 1, 100), f2 = 1 - sqrt(x)).
const ZDT1_CASE: number[][] = [
  [0.0, 1.2], [0.12121212121212122, 0.818614964301763], [0.24242424242424243, 0.6606401100294064],
  [0.36363636363636365, 0.5394217409241836], [0.48484848484848486, 0.43722992860352605], [0.6060606060606061, 0.34719713457755824],
  [0.7272727272727273, 0.2658012670061724], [0.8484848484848486, 0.19095004178097383], [0.9696969696969697, 0.1212802200588126],
  [1.090909090909091, 0.05584489290528918],
];
// pymoo DTLZ1(n_obj=3).pareto_front()[::10] * 1.2 (0.5 x Das-Dennis with 15 partitions).
const DTLZ1_CASE: number[][] = [
  [0.0, 0.0, 0.6], [0.0, 0.39999999999999997, 0.19999999999999998], [0.04, 0.16, 0.39999999999999997], [0.04, 0.5599999999999999, 0.0],
  [0.08, 0.36, 0.16], [0.12, 0.19999999999999998, 0.27999999999999997], [0.16, 0.08, 0.36], [0.19999999999999998, 0.0, 0.39999999999999997],
  [0.19999999999999998, 0.39999999999999997, 0.0], [0.24, 0.36, 0.0], [0.32, 0.0, 0.27999999999999997], [0.36, 0.08, 0.16],
  [0.39999999999999997, 0.19999999999999998, 0.0], [0.52, 0.0, 0.08],
];

describe('pymoo tests/indicators/test_hv.py', () => {
  const cases: [string, number[][], number[], number][] = [
    ['case_2d (ZDT1)', ZDT1_CASE, [1.5, 1.5], 1.6718652217166365],
    ['case_3d (DTLZ1)', DTLZ1_CASE, [1.5, 1.5, 1.5], 3.283],
  ];
  for (const [name, points, ref, expected] of cases) {
    it(`${name}: hypervolume = ${expected}, then the deletion loop`, () => {
      expect(hypervolume(points, ref)).toBeCloseTo(expected, 12);
      // Upstream deletes a random point at a time; a fixed order here (every third index).
      const left = points.slice();
      let k = 0;
      while (left.length > 0) {
        k = (k + 3) % left.length;
        left.splice(k, 1);
        const exact = left.length === 0 ? 0 : hypervolumeInclusionExclusion(left, ref);
        expect(hypervolume(left, ref)).toBeCloseTo(exact, 12);
      }
    });
  }

  it('the order of the points does not matter (upstream permutes them)', () => {
    const shuffled = [...DTLZ1_CASE].reverse();
    expect(hypervolume(shuffled, [1.5, 1.5, 1.5])).toBeCloseTo(3.283, 12);
  });
});

describe('pymoo tests/misc/test_nds.py', () => {
  const cases: [string, number[][], number[]][] = [
    ['single', [[1, 2]], [0]],
    ['duplicates', [[1, 2], [1, 2], [1, 2]], [0, 0, 0]],
    ['all_nd', [[1, 3], [2, 2], [3, 1]], [0, 0, 0]],
    ['all_dom', [[1, 1], [2, 2], [3, 3]], [0, 1, 2]],
    ['mixed', [[1, 3], [2, 2], [2, 2], [3, 1], [4, 4]], [0, 0, 0, 0, 1]],
  ];
  for (const [name, rows, ranks] of cases) {
    it(`${name}: ranks ${ranks.join(',')}; the non-dominated set is rank 0 (duplicates kept)`, () => {
      const ps = toPointSet(rows);
      expect([...nonDominatedSort(ps.values, ps.n, ps.m)]).toEqual(ranks);
      expect([...nonDominatedIndices(ps.values, ps.n, ps.m)].sort()).toEqual(ranks.flatMap((r, i) => (r === 0 ? [i] : [])));
    });
  }
  const random = JSON.parse(readFileSync(new URL('./fixtures/upstream-pymoo-random-nds.json', import.meta.url), 'utf8')) as {
    cases: Record<string, { F: number[][]; ranks: number[]; hv: number }>;
  };
  for (const [name, { F, ranks, hv }] of Object.entries(random.cases)) {
    it(`${name}: moocore-style ranks of RandomState(1).rand(50, d), and the hypervolume against 1.1`, () => {
      const ps = toPointSet(F);
      expect([...nonDominatedSort(ps.values, ps.n, ps.m)]).toEqual(ranks);
      expect(hypervolume(F, new Array<number>(ps.m).fill(1.1))).toBeCloseTo(hv, 12);
    });
  }
  it('empty: no ranks', () => {
    expect(nonDominatedSort(new Float64Array(0), 0, 2).length).toBe(0);
  });
});

describe('pymoo tests/test_indicators.py', () => {
  // [A, pf, gd, igd, igd+] with pymoo's expected values (2 decimals).
  const cases: [string, number[][], number[][], number, number, number][] = [
    ['1 A', [[2, 5]], [[1, 0], [0, 10]], 5.099, 5.242, 3.55],
    ['1 B', [[3, 9]], [[1, 0], [0, 10]], 3.162, 6.191, 6.11],
    ['1 D', [[2, 1]], [[1, 0], [0, 10]], 1.414, 5.32, 1.707],
    ['2 A', [[5, 2]], [[0, 1], [10, 0]], 5.099, 5.242, 3.55],
    ['2 B', [[11, 3]], [[0, 1], [10, 0]], 3.162, 7.171, 7.171],
    ['4 A', [[2, 4], [3, 3], [4, 2]], [[0, 10], [1, 6], [2, 2], [6, 1], [10, 0]], 1.805, 3.707, 1.483],
    ['4 B', [[2, 8], [4, 4], [8, 2]], [[0, 10], [1, 6], [2, 2], [6, 1], [10, 0]], 2.434, 2.591, 2.26],
    ['5 A', [[5, 2]], [[0, 1], [10, 0]], 5.099, 5.242, 3.55],
    ['5 B', [[6, 4], [10, 3]], [[0, 1], [10, 0]], 4.328, 4.854, 4.854],
    ['6 A', [[1, 5]], [[4, 4]], 3.162, 3.162, 1.0],
    ['6 B', [[5, 6]], [[4, 4]], 2.236, 2.236, 2.236],
    ['8 A', [[1, 8], [2, 2], [8, 1]], [[0, 0]], 6.318, 2.828, 2.828],
    ['8 B', [[4, 3]], [[0, 0]], 5.0, 5.0, 5.0],
    ['9 B', [[2, 2]], [[0, 0]], 2.828, 2.828, 2.828],
  ];
  for (const [name, a, pf, g, i, ip] of cases) {
    it(`test_performance_indicator_${name}: GD ${g}, IGD ${i}, IGD+ ${ip}`, () => {
      expect(Math.abs(gd(a, pf) - g)).toBeLessThan(0.005 + 1e-9);
      expect(Math.abs(igd(a, pf) - i)).toBeLessThan(0.005 + 1e-9);
      expect(Math.abs(igdPlus(a, pf) - ip)).toBeLessThan(0.005 + 1e-9);
    });
  }
});

describe('pymoo tests/misc/test_crowding_distance.py', () => {
  it('test_crowding_distance_norm_equals_zero: a constant objective adds nothing; pymoo\'s mean over objectives is 0.75', () => {
    // Ours is the NSGA-II sum over objectives (pymoo divides it by the number of objectives):
    // the same order, so 4 x 0.75 here; the boundary points are Infinity in both.
    const rows = [[1.0, 1.5, 0.5, 1.0], [1.0, 0.5, 1.5, 1.0], [1.0, 0.0, 2.0, 1.5]];
    const ps = toPointSet(rows);
    const out = new Float64Array(3);
    crowdingDistance(ps.values, ps.m, [0, 1, 2], out);
    expect([out[0], out[1]! / ps.m, out[2]]).toEqual([Infinity, 0.75, Infinity]);
  });
});

describe('pymoo tests/indicators/test_igd.py and test_epsilon.py (ZDT1, ZDT2)', () => {
  const doc = JSON.parse(readFileSync(new URL('./fixtures/upstream-pymoo-zdt-noise.json', import.meta.url), 'utf8')) as {
    noise: number[][];
    expected: Record<'ZDT1' | 'ZDT2', [number, number, number]>;
  };
  const fronts: Record<'ZDT1' | 'ZDT2', (x: number) => number> = { ZDT1: (x) => 1 - Math.sqrt(x), ZDT2: (x) => 1 - x * x };
  for (const name of ['ZDT1', 'ZDT2'] as const) {
    it(`${name}: IGD, IGD+ and additive epsilon of the noisy front as moocore computes them`, () => {
      // pymoo's pareto_front(): x = linspace(0, 1, 100).
      const pf = Array.from({ length: 100 }, (_, i) => [i / 99, fronts[name](i / 99)]);
      const F = pf.map((p, i) => [p[0]! + doc.noise[i]![0]!, p[1]! + doc.noise[i]![1]!]);
      const [eIgd, eIgdPlus, eEps] = doc.expected[name];
      expect(igd(F, pf)).toBeCloseTo(eIgd, 12);
      expect(igdPlus(F, pf)).toBeCloseTo(eIgdPlus, 12);
      const shift = (rows: number[][]): number[][] => rows.map((r) => r.map((v) => v + 1));
      expect(additiveEpsilon(shift(F), shift(pf))).toBeCloseTo(eEps, 12);
    });
  }
});

describe('moocore / pymoo hypervolume conventions', () => {
  it('points that do not dominate the reference add nothing: pymoo ignores them, ours refuses them unless outside: ignore', () => {
    const pts = [[1, 2], [2, 1], [3, 0.5], [0.5, 3]];
    // [3, 0.5] and [0.5, 3] are beyond the reference (2.5, 2.5) in one objective.
    expect(hypervolume(pts, [2.5, 2.5], { outside: 'ignore' })).toBeCloseTo(1.5 * 0.5 + 0.5 * 1.5 - 0.5 * 0.5, 12);
    expect(() => hypervolume(pts, [2.5, 2.5])).toThrow(/points?/i);
    expect(hypervolume([], [1, 1])).toBe(0);
  });
});

