/** The reproduction of Go's sort.Sort (used where Karmada sorts clusters with ties). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { goSortSort } from '../src/replicas/karmada/go-sort.js';

describe('goSortSort', () => {
  it('sorts (by replicas descending, as TargetClustersList)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300 }), (xs) => {
        const items = xs.map((r, i) => ({ r, i }));
        const got = goSortSort(items.slice(), (a, b) => a.r > b.r).map((x) => x.r);
        expect(got).toEqual(xs.slice().sort((a, b) => b - a));
      }),
    );
  });
  it('keeps ties in input order up to 12 elements (Go uses insertion sort there)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }), (xs) => {
        const items = xs.map((r, i) => ({ r, i }));
        const got = goSortSort(items.slice(), (a, b) => a.r > b.r);
        const stable = items.slice().sort((a, b) => b.r - a.r || a.i - b.i);
        expect(got).toEqual(stable);
      }),
    );
  });
  it('is a permutation and deterministic on long inputs with many ties', () => {
    const xs = Array.from({ length: 200 }, (_, i) => ({ r: (i * 7919) % 5, i }));
    const a = goSortSort(xs.slice(), (p, q) => p.r > q.r);
    const b = goSortSort(xs.slice(), (p, q) => p.r > q.r);
    expect(a).toEqual(b);
    expect(a.map((x) => x.i).sort((p, q) => p - q)).toEqual(xs.map((x) => x.i));
  });
});

describe('goSortSort against Go (fixtures/karmada/go-sort.json)', () => {
  const fx = JSON.parse(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures/karmada/go-sort.json'), 'utf8'),
  ) as { shifts: [number, number, number]; cases: { replicas: number[]; permutation: number[] }[] };
  it('gives the same order of ties as Go 1.19 sort.Sort on every recorded slice', () => {
    for (const c of fx.cases) {
      const items = c.replicas.map((r, i) => ({ r, i }));
      expect(goSortSort(items, (a, b) => a.r > b.r, fx.shifts).map((x) => x.i)).toEqual(c.permutation);
    }
  });
  it('the recorded slices exercise the pattern breaker (the xorshift shifts change some orders)', () => {
    const differs = fx.cases.some((c) => {
      const a = goSortSort(c.replicas.map((r, i) => ({ r, i })), (x, y) => x.r > y.r, [13, 17, 5]).map((x) => x.i);
      const b = goSortSort(c.replicas.map((r, i) => ({ r, i })), (x, y) => x.r > y.r, [13, 7, 17]).map((x) => x.i);
      return JSON.stringify(a) !== JSON.stringify(b);
    });
    expect(differs).toBe(true);
  });
});
