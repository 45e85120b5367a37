import { FormatError, createGraph, type Graph } from '@emplace/core';
import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs f, expects a FormatError and returns it. */
export function formatError(f: () => unknown): FormatError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(FormatError);
    return err as FormatError;
  }
  throw new Error('expected a FormatError');
}

/** Same for async functions. */
export async function formatErrorAsync(f: () => Promise<unknown>): Promise<FormatError> {
  try {
    await f();
  } catch (err) {
    expect(err).toBeInstanceOf(FormatError);
    return err as FormatError;
  }
  throw new Error('expected a FormatError');
}

/** Edges as sorted "idA idB w" strings (ids compared by name), for order-free comparison. */
export function edgeSet(g: Graph, byIndex = false): string[] {
  const out: string[] = [];
  for (let e = 0; e < g.m; e++) {
    const a = byIndex ? String(g.edgeU[e]) : g.ids[g.edgeU[e]!]!;
    const b = byIndex ? String(g.edgeV[e]) : g.ids[g.edgeV[e]!]!;
    const [x, y] = a < b ? [a, b] : [b, a];
    out.push(`${x} ${y} ${g.edgeW[e]}`);
  }
  return out.sort();
}

/** Random simple graphs (no parallel edges, no self-loops) with named nodes and integer or fractional weights. */
export const arbitraryGraph: fc.Arbitrary<Graph> = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    pairs: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true }))), { maxLength: 40 }),
    prefix: fc.constantFrom('v', 'node-', 'R', ''),
  })
  .map(({ n, pairs, prefix }) => {
    const seen = new Set<string>();
    const edges: [number, number, number][] = [];
    for (const [a, b, w] of pairs) {
      const u = a % n;
      const v = b % n;
      if (u === v) continue;
      const key = u < v ? `${u},${v}` : `${v},${u}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push([u, v, w]);
    }
    return createGraph({ nodes: Array.from({ length: n }, (_, i) => `${prefix}${i}`), edges });
  });
