import fc from 'fast-check';
import { createGraph, type Graph } from '@emplace/core';

/** Small random multigraphs (no self-loops) with integer weights, possibly disconnected. */
export const smallGraph = (maxN = 8, maxM = 20, maxW = 20): fc.Arbitrary<Graph> =>
  fc
    .integer({ min: 1, max: maxN })
    .chain((n) =>
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: maxW })), { maxLength: maxM })
        .map((edges) => createGraph({ n, edges: edges.filter(([u, v]) => u !== v) })),
    );
