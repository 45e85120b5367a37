import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '@emplace/core';
import { additiveEpsilon, hypervolume, hypervolumeInclusionExclusion, igd, igdPlus, spread } from '@emplace/pareto';

const pts = (m: number, maxN: number) =>
  fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: maxN });
const grid = (m: number, maxN: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 4 }).map((v) => v / 4), { minLength: m, maxLength: m }), { minLength: 1, maxLength: maxN });

describe('hypervolume', () => {
  for (const m of [2, 3, 4, 5]) {
    it(`equals inclusion-exclusion on small sets (${m}D, with ties)`, () => {
      fc.assert(
        fc.property(fc.oneof(pts(m, 9), grid(m, 9)), (p) => {
          const ref = new Array(m).fill(1.25);
          expect(hypervolume(p, ref)).toBeCloseTo(hypervolumeInclusionExclusion(p, ref), 10);
        }),
        { numRuns: m >= 4 ? 60 : 120 },
      );
    });

    it(`is monotone and order-invariant (${m}D)`, () => {
      fc.assert(
        fc.property(pts(m, 30), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: m, maxLength: m }), (p, extra) => {
          const ref = new Array(m).fill(1.1);
          const base = hypervolume(p, ref);
          expect(hypervolume([...p, extra], ref)).toBeGreaterThanOrEqual(base - 1e-12);
          expect(hypervolume([...p].reverse(), ref)).toBeCloseTo(base, 12);
        }),
        { numRuns: m >= 4 ? 40 : 100 },
      );
    });
  }

  it('knows simple volumes', () => {
    expect(hypervolume([[0, 0]], [1, 2])).toBe(2);
    expect(hypervolume([[0.5, 0, 0], [0, 0.5, 0]], [1, 1, 1])).toBeCloseTo(0.75);
    expect(hypervolume([], [1, 1])).toBe(0);
  });

  it('rejects a reference point that does not bound the front, naming it', () => {
    expect(() => hypervolume([[0, 2]], [1, 1])).toThrow(ModelError);
    expect(() => hypervolume([[0, 2]], [1, 1])).toThrow(/reference/);
    expect(hypervolume([[0, 2], [0, 0]], [1, 1], { outside: 'ignore' })).toBe(1);
  });

  it('rejects NaN and mismatched objective counts, naming the point', () => {
    expect(() => hypervolume([[0, NaN]], [1, 1])).toThrow(/points\[0\]\[1\]/);
    expect(() => hypervolume([[0, 0], [1]], [1, 1])).toThrow(/points\[1\]/);
    expect(() => hypervolume([[0, 0]], [1, 1, 1])).toThrow(/reference/);
  });
});

describe('indicators', () => {
  const front = [[0, 1], [0.5, 0.5], [1, 0]];
  it('IGD, IGD+ and epsilon are zero on the reference front itself', () => {
    expect(igd(front, front)).toBe(0);
    expect(igdPlus(front, front)).toBe(0);
    expect(additiveEpsilon(front, front)).toBe(0);
  });
  it('IGD+ ignores the parts where the approximation is better', () => {
    const better = front.map(([a, b]) => [a! - 0.1, b! - 0.1]);
    expect(igdPlus(better, front)).toBe(0);
    expect(igd(better, front)).toBeGreaterThan(0);
    expect(additiveEpsilon(better, front)).toBeCloseTo(-0.1);
    const worse = front.map(([a, b]) => [a! + 0.2, b!]);
    expect(additiveEpsilon(worse, front)).toBeCloseTo(0.2);
  });
  it('spread is 0 for an evenly spaced front covering the extremes', () => {
    const even = Array.from({ length: 11 }, (_, i) => [i / 10, 1 - i / 10]);
    expect(spread(even, even)).toBeCloseTo(0, 10);
    expect(spread([[0, 1], [0.1, 0.9], [1, 0]], even)).toBeGreaterThan(0.3);
  });
  it('names mismatched objective counts', () => {
    expect(() => igd([[0, 1, 2]], front)).toThrow(/approximation/);
  });
});
