import { describe, expect, it } from 'vitest';
import { ModelError } from '@emplace/core';
import { fromEdgeList, fromGraphology } from '@emplace/graph';

describe('adapters', () => {
  it('fromEdgeList takes tuples, objects and string ids', () => {
    const g = fromEdgeList([{ source: 'x', target: 'y', weight: 2 }, ['y', 'z']]);
    expect(g.ids).toEqual(['x', 'y', 'z']);
    expect(Array.from(g.edgeW)).toEqual([2, 1]);
    expect(fromEdgeList([[0, 4, 1]]).n).toBe(5);
    expect(() => fromEdgeList([[0, 1, -1]])).toThrow(/weight/);
  });

  it('fromGraphology reads a graphology-shaped object', () => {
    const nodes = ['a', 'b', 'c'];
    const edges: [string, string, Record<string, unknown>][] = [['a', 'b', { weight: 2 }], ['b', 'a', { weight: 1 }], ['b', 'c', {}], ['c', 'c', {}]];
    const fake = {
      forEachNode: (cb: (k: string, a: Record<string, unknown>) => void) => nodes.forEach((k) => cb(k, {})),
      forEachEdge: (cb: (e: string, a: Record<string, unknown>, s: string, t: string) => void) => edges.forEach(([s, t, a], i) => cb(String(i), a, s, t)),
    };
    const g = fromGraphology(fake);
    expect(g.n).toBe(3);
    expect(g.m).toBe(2);
    expect(Array.from(g.edgeW).sort()).toEqual([1, 1]);
    expect(() => fromGraphology({} as never)).toThrow(ModelError);
  });
});
