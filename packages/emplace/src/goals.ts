import { ModelError, describe } from '@emplace/core';
import type { World } from './world.js';

/**
 * What `plan()` optimises and the constraints it must respect.
 *
 * The cost of a placement is `sum of region costs + latencyPrice x sum over populations
 * of users x latency to their region`: running a region costs money, and so does every
 * millisecond a user waits. `latencyPrice` converts one into the other.
 */
export interface Goals {
  /**
   * What the chosen placement minimises: `cost` (default: total cost, facility location,
   * proven optimal when the solver finishes) or `latency` (the worst latency with the
   * number of regions of the cost-optimal plan, k-center).
   */
  optimise?: 'cost' | 'latency';
  /** Cost of one user (in `Population.users` units) waiting one ms. Default 1. */
  latencyPrice?: number;
  /** No population may be served from a region further than this, in ms. */
  maxLatencyMs?: number;
  /** Number of regions to open: at least `min`, at most `max` (availability asks for min >= 2). */
  regions?: { min?: number; max?: number };
  /**
   * Data residency: population jurisdiction -> region jurisdictions allowed to serve it,
   * e.g. `{ EU: ['EU'] }`. A population whose jurisdiction is not a key is unrestricted.
   */
  residency?: Readonly<Record<string, readonly string[]>>;
  /** Links to suggest adding to the backbone to raise its algebraic connectivity (default 1). */
  reinforceLinks?: number;
  /** Exact Shapley up to this many tenants (2^n coalition solves), sampling beyond. Default 12. */
  exactShapleyMaxTenants?: number;
  /** Skip phases that are not needed (all run by default). */
  skip?: readonly PlanPhase[];
}

/** The phases of `plan()`, in the order they run. */
export type PlanPhase = 'placement' | 'pareto' | 'worst-case' | 'backbone' | 'connectivity' | 'shares';

export const PLAN_PHASES: readonly PlanPhase[] = ['placement', 'pareto', 'worst-case', 'backbone', 'connectivity', 'shares'];

/** Validates goals against the world, naming the field (e.g. `goals.regions.min`). */
export function validateGoals(goals: Goals, world: World): void {
  if (goals === null || typeof goals !== 'object') throw new ModelError('goals', `must be an object, got ${describe(goals)}`);
  if (goals.optimise !== undefined && goals.optimise !== 'cost' && goals.optimise !== 'latency') {
    throw new ModelError('goals.optimise', `must be 'cost' or 'latency', got ${describe(goals.optimise)}`);
  }
  if (goals.latencyPrice !== undefined && !(goals.latencyPrice >= 0 && Number.isFinite(goals.latencyPrice))) {
    throw new ModelError('goals.latencyPrice', `must be a finite non-negative number, got ${describe(goals.latencyPrice)}`);
  }
  if (goals.maxLatencyMs !== undefined && !(goals.maxLatencyMs > 0)) {
    throw new ModelError('goals.maxLatencyMs', `must be a positive number, got ${describe(goals.maxLatencyMs)}`);
  }
  const n = world.regions.length;
  const r = goals.regions;
  if (r !== undefined) {
    if (r === null || typeof r !== 'object') throw new ModelError('goals.regions', `must be { min?, max? }, got ${describe(r)}`);
    if (r.min !== undefined && !(Number.isInteger(r.min) && r.min >= 1 && r.min <= n)) {
      throw new ModelError('goals.regions.min', `must be an integer in [1, ${n}], got ${describe(r.min)}`);
    }
    if (r.max !== undefined && !(Number.isInteger(r.max) && r.max >= 1 && r.max <= n)) {
      throw new ModelError('goals.regions.max', `must be an integer in [1, ${n}], got ${describe(r.max)}`);
    }
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) throw new ModelError('goals.regions', `min ${r.min} exceeds max ${r.max}`);
  }
  if (goals.residency !== undefined) {
    if (goals.residency === null || typeof goals.residency !== 'object') throw new ModelError('goals.residency', `must be a record, got ${describe(goals.residency)}`);
    for (const [key, list] of Object.entries(goals.residency)) {
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
        throw new ModelError(`goals.residency.${key}`, `must be an array of jurisdiction names, got ${describe(list)}`);
      }
    }
  }
  if (goals.reinforceLinks !== undefined && !(Number.isInteger(goals.reinforceLinks) && goals.reinforceLinks >= 0)) {
    throw new ModelError('goals.reinforceLinks', `must be a non-negative integer, got ${describe(goals.reinforceLinks)}`);
  }
  if (goals.exactShapleyMaxTenants !== undefined && !(Number.isInteger(goals.exactShapleyMaxTenants) && goals.exactShapleyMaxTenants >= 0 && goals.exactShapleyMaxTenants <= 20)) {
    throw new ModelError('goals.exactShapleyMaxTenants', `must be an integer in [0, 20], got ${describe(goals.exactShapleyMaxTenants)}`);
  }
  goals.skip?.forEach((p, k) => {
    if (!PLAN_PHASES.includes(p)) throw new ModelError(`goals.skip[${k}]`, `must be one of ${PLAN_PHASES.join(', ')}, got ${describe(p)}`);
  });
}
