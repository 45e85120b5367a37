// The disjoint-set structure lives in @emplace/core, which derives the model's affinity units
// with it (core cannot import graph); graph re-exports it for its own callers (Kruskal, components).
export { UnionFind } from '@emplace/core';
