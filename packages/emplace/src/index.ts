/**
 * emplace: every solver family in one import.
 *
 * The shared model (`@emplace/core`) is re-exported at the top level; each family is a
 * namespace so names never collide: `facility.solveUfl`, `kcenter.gonzalez`,
 * `steiner.solveSteiner`, ... Importing this package registers every family's methods
 * with the core registry, so `solve(model, { method: 'ufl' })` works at once.
 */
export * from '@emplace/core';
export * as lp from '@emplace/lp';
export * as io from '@emplace/io';
export * as graph from '@emplace/graph';
export * as facility from '@emplace/facility';
export * as kcenter from '@emplace/kcenter';
export * as assignment from '@emplace/assignment';
export * as steiner from '@emplace/steiner';
export * as spectral from '@emplace/spectral';
export * as mechanism from '@emplace/mechanism';
export * as pareto from '@emplace/pareto';
