import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { affinityUnits, createPlacementModel, UnionFind } from '@emplace/core';

/** Connected components of the groups by plain graph search (the reference, no union-find). */
function components(n: number, groups: readonly (readonly number[])[]): number[][] {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const g of groups) for (let t = 1; t < g.length; t++) { adj[g[0]!]!.push(g[t]!); adj[g[t]!]!.push(g[0]!); }
  const seen = new Array<boolean>(n).fill(false);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const comp: number[] = [];
    const stack = [s];
    seen[s] = true;
    while (stack.length > 0) {
      const v = stack.pop()!;
      comp.push(v);
      for (const w of adj[v]!) if (!seen[w]) { seen[w] = true; stack.push(w); }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

describe('affinityUnits', () => {
  it('joins overlapping groups transitively: {0,1} and {1,2} are one unit', () => {
    const model = createPlacementModel({ sites: 2, clients: 4, cost: new Array(8).fill(1), affinity: [[0, 1], [1, 2]] });
    const u = affinityUnits(model);
    expect(u.count).toBe(2);
    expect(Array.from(u.unitOf)).toEqual([0, 0, 0, 1]);
    expect(u.units.map((m) => Array.from(m))).toEqual([[0, 1, 2], [3]]);
    expect(Array.from(u.start)).toEqual([0, 3, 4]);
  });

  it('gives every client its own unit when there is no affinity', () => {
    const u = affinityUnits({ nClients: 3, affinity: [] });
    expect(u.count).toBe(3);
    expect(u.units.map((m) => Array.from(m))).toEqual([[0], [1], [2]]);
  });

  it('equals the connected components of the groups, numbered by smallest client', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }).chain((n) =>
          fc.tuple(fc.constant(n), n === 0 ? fc.constant([]) : fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 5 }), { maxLength: 8 })),
        ),
        ([n, groups]) => {
          const u = affinityUnits({ nClients: n, affinity: groups.map((g) => Int32Array.from(g)) });
          const expected = components(n, groups);
          expect(u.units.map((m) => Array.from(m))).toEqual(expected);
          expect(u.count).toBe(expected.length);
          for (let j = 0; j < n; j++) expect(Array.from(u.units[u.unitOf[j]!]!)).toContain(j);
        },
      ),
    );
  });
});

describe('UnionFind', () => {
  it('counts sets and sizes', () => {
    const s = new UnionFind(5);
    expect(s.union(0, 1)).toBe(true);
    expect(s.union(1, 0)).toBe(false);
    s.union(3, 4);
    expect(s.count).toBe(3);
    expect(s.setSize(4)).toBe(2);
    expect(s.connected(0, 4)).toBe(false);
    s.reset();
    expect(s.count).toBe(5);
  });
});
