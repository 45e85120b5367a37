import { checkModelShape, ModelError, type PlacementModel, type Result, type SolveOptions } from '@emplace/core';
import { exactPlacementFront, placementFront, type ExactPlacementOptions, type PlacementEvolutionOptions, type PlacementFrontSolution } from './placement-front.js';

/** Options of every placement-front method: the evolutionary and the exact ones together. */
export type PlacementFrontMethodOptions = PlacementEvolutionOptions & ExactPlacementOptions & SolveOptions;

/** One placement-front method, in the shape the uniform entry and the registry dispatch to. */
export type PlacementFrontMethod = (model: PlacementModel, options: PlacementFrontMethodOptions) => Promise<Result<PlacementFrontSolution>>;

/** Largest site count `auto` gives to the exact epsilon-constraint front. */
export const AUTO_EXACT_MAX_SITES = 40;

/**
 * Exact when the objectives are cost, latency (and domains), the model has at most
 * AUTO_EXACT_MAX_SITES sites and no (anti-)affinity rules (which the exact MIP refuses);
 * evolutionary otherwise.
 */
export function autoPlacementFront(model: PlacementModel, options: PlacementFrontMethodOptions = {}): Promise<Result<PlacementFrontSolution>> {
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel');
  const objectives = options.objectives ?? ['cost', 'latency', 'domains'];
  const exactObjectives = objectives[0] === 'cost' && objectives[1] === 'latency' && (objectives.length === 2 || (objectives.length === 3 && objectives[2] === 'domains'));
  const exact = exactObjectives && model.nSites <= AUTO_EXACT_MAX_SITES && model.affinity.length === 0 && model.antiAffinity.length === 0;
  return exact ? exactPlacementFront(model, { ...options, objectives }) : placementFront(model, options);
}

/** The placement-front methods: `exact` (epsilon-constraint MIPs), `evolutionary` (NSGA-II/III), `auto`. */
export const PLACEMENT_FRONT_METHODS = {
  auto: autoPlacementFront,
  exact: exactPlacementFront,
  evolutionary: placementFront,
} as const satisfies Record<string, PlacementFrontMethod>;

export type PlacementFrontMethodName = keyof typeof PLACEMENT_FRONT_METHODS;

/**
 * The cost / latency (/ domains) front of a placement model by `options.method` (default
 * `auto`).
 */
export function solvePlacementFront(
  model: PlacementModel,
  options: PlacementFrontMethodOptions & { method?: PlacementFrontMethodName | undefined } = {},
): Promise<Result<PlacementFrontSolution>> {
  const method = options.method ?? 'auto';
  const solve = Object.hasOwn(PLACEMENT_FRONT_METHODS, method) ? PLACEMENT_FRONT_METHODS[method] : undefined;
  if (solve === undefined) {
    return Promise.reject(new ModelError('options.method', `must be one of ${Object.keys(PLACEMENT_FRONT_METHODS).join(', ')} for the placement front, got ${JSON.stringify(method)}`));
  }
  try {
    checkModelShape(model);
  } catch (err) {
    return Promise.reject(err);
  }
  return solve(model, options);
}
