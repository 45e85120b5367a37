import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import { auto } from './auto.js';
import { capacitatedGreedy } from './capacitated.js';
import type { CoverageSolution, DispersionSolution, LscpOptions, MclpOptions, PDispersionOptions, SurvivableOptions, SurvivableSolution } from './coverage-types.js';
import { exact } from './exact.js';
import { gonzalez } from './gonzalez.js';
import { hochbaumShmoys } from './hochbaum-shmoys.js';
import { incrementalKCenter, type IncrementalOptions } from './incremental.js';
import { localSearch } from './local-search.js';
import { lscpExact, lscpGreedy } from './lscp.js';
import { mclpExact, mclpGreedy } from './mclp.js';
import { outliersGreedy } from './outliers.js';
import { pDispersionExact, pDispersionGreedy } from './p-dispersion.js';
import { survivableExact, survivableGreedy } from './survivable.js';
import type { KCenterSolution } from './types.js';

/** One method of a family, in the shape every uniform entry and the registry dispatch to. */
export type MethodSolve<O, S> = (model: PlacementModel, options: O) => Promise<Result<S>>;

/**
 * The methods of k-center (keyed by their registry names). The constructive methods run
 * synchronously inside; the async wrapper turns their validation errors into rejections, as
 * for the MIP-based ones.
 */
export const KCENTER_METHODS = {
  auto,
  exact,
  gonzalez: async (model, options) => gonzalez(model, options),
  'hochbaum-shmoys': async (model, options) => hochbaumShmoys(model, options),
  local: async (model, options) => localSearch(model, options),
  outliers: async (model, options) => outliersGreedy(model, options),
  capacitated: async (model, options) => capacitatedGreedy(model, options),
  incremental: async (model, options) => incrementalKCenter(model, options),
} as const satisfies Record<string, MethodSolve<IncrementalOptions, KCenterSolution>>;

/** LSCP, MCLP, p-dispersion and survivable placement: `auto` is each family's exact MIP. */
export const LSCP_METHODS = {
  auto: lscpExact,
  exact: lscpExact,
  greedy: async (model, options) => lscpGreedy(model, options),
} as const satisfies Record<string, MethodSolve<LscpOptions, CoverageSolution>>;

export const MCLP_METHODS = {
  auto: mclpExact,
  exact: mclpExact,
  greedy: async (model, options) => mclpGreedy(model, options),
} as const satisfies Record<string, MethodSolve<MclpOptions, CoverageSolution>>;

export const PDISPERSION_METHODS = {
  auto: pDispersionExact,
  exact: pDispersionExact,
  greedy: async (model, options) => pDispersionGreedy(model, options),
} as const satisfies Record<string, MethodSolve<PDispersionOptions, DispersionSolution>>;

export const SURVIVABLE_METHODS = {
  auto: survivableExact,
  exact: survivableExact,
  greedy: async (model, options) => survivableGreedy(model, options),
} as const satisfies Record<string, MethodSolve<SurvivableOptions, SurvivableSolution>>;

export type KCenterMethod = keyof typeof KCENTER_METHODS;
export type CoverageMethod = keyof typeof LSCP_METHODS;

/** Options of a uniform entry: the method's options plus the method's name (default `auto`). */
export type WithMethod<O, M extends string> = O & { method?: M | undefined };

/** Runs `options.method` (default `auto`) from `table`, naming the methods when it is unknown. */
function dispatch<O, S, M extends string>(family: string, table: Readonly<Record<M, MethodSolve<O, S>>>, model: PlacementModel, options: WithMethod<O, M>): Promise<Result<S>> {
  const method = options.method ?? 'auto';
  const solve = Object.hasOwn(table, method) ? table[method as M] : undefined;
  if (solve === undefined) {
    return Promise.reject(new ModelError('options.method', `must be one of ${Object.keys(table).join(', ')} for ${family}, got ${JSON.stringify(method)}`));
  }
  return solve(model, options);
}

/** k-center: open `k` sites minimising the largest (weighted) client distance. */
export function solveKCenter(model: PlacementModel, options: WithMethod<IncrementalOptions, KCenterMethod>): Promise<Result<KCenterSolution>> {
  return dispatch('kcenter', KCENTER_METHODS, model, options);
}

/** Location set covering: the fewest open sites covering every client within `radius`. */
export function solveLscp(model: PlacementModel, options: WithMethod<LscpOptions, CoverageMethod>): Promise<Result<CoverageSolution>> {
  return dispatch('lscp', LSCP_METHODS, model, options);
}

/** Maximal covering: `k` open sites covering the most demand within `radius`. */
export function solveMclp(model: PlacementModel, options: WithMethod<MclpOptions, CoverageMethod>): Promise<Result<CoverageSolution>> {
  return dispatch('mclp', MCLP_METHODS, model, options);
}

/** p-dispersion: `k` sites with the largest smallest pairwise distance. */
export function solvePDispersion(model: PlacementModel, options: WithMethod<PDispersionOptions, CoverageMethod>): Promise<Result<DispersionSolution>> {
  return dispatch('pdispersion', PDISPERSION_METHODS, model, options);
}

/** Survivable (N-1) placement: every client keeps `level - 1` open sites within `radius` after failures. */
export function solveSurvivable(model: PlacementModel, options: WithMethod<SurvivableOptions, CoverageMethod>): Promise<Result<SurvivableSolution>> {
  return dispatch('survivable', SURVIVABLE_METHODS, model, options);
}
