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
export * as flows from '@emplace/flows';

// The planner facade.
export { plan, type PlanOptions } from './plan.js';
export type { World, Region, Population, Tenant, Network } from './world.js';
export { validateWorld } from './world.js';
export type { Goals, PlanPhase } from './goals.js';
export { validateGoals, PLAN_PHASES } from './goals.js';
export type {
  PlanResult,
  PlanProgress,
  ChosenPlacement,
  PlacementObjectives,
  ServedPopulation,
  ParetoView,
  ParetoAlternative,
  WorstCaseView,
  BackboneView,
  BackboneLink,
  ConnectivityView,
  SharesView,
  TenantShare,
} from './result.js';
export { buildInstance, type PlanInstance } from './instance.js';
export { evaluatePlacement } from './evaluate.js';
export { regionNetwork } from './backbone-phase.js';
export * as data from './data/index.js';
