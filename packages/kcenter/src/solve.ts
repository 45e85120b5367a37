import type { PlacementModel, Result } from '@emplace/core';
import type { CoverageSolution, DispersionSolution, LscpOptions, MclpOptions, PDispersionOptions, SurvivableOptions, SurvivableSolution } from './coverage-types.js';
import type { IncrementalOptions } from './incremental.js';
import { KCENTER_TABLE, LSCP_TABLE, MCLP_TABLE, PDISPERSION_TABLE, SURVIVABLE_TABLE } from './methods.js';
import type { KCenterSolution } from './types.js';

/** The method names of the tables (methods.ts). */
export type KCenterMethod = (typeof KCENTER_TABLE.names)[number];
export type CoverageMethod = (typeof LSCP_TABLE.names)[number];

/** Options of a uniform entry: the method's options plus the method's name (default `auto`). */
export type WithMethod<O, M extends string> = O & { method?: M | undefined };

/** k-center: open `k` sites minimising the largest (weighted) client distance. */
export function solveKCenter(model: PlacementModel, options: WithMethod<IncrementalOptions, KCenterMethod>): Promise<Result<KCenterSolution>> {
  return KCENTER_TABLE.solve(model, options);
}

/** Location set covering: the fewest open sites covering every client within `radius`. */
export function solveLscp(model: PlacementModel, options: WithMethod<LscpOptions, CoverageMethod>): Promise<Result<CoverageSolution>> {
  return LSCP_TABLE.solve(model, options);
}

/** Maximal covering: `k` open sites covering the most demand within `radius`. */
export function solveMclp(model: PlacementModel, options: WithMethod<MclpOptions, CoverageMethod>): Promise<Result<CoverageSolution>> {
  return MCLP_TABLE.solve(model, options);
}

/** p-dispersion: `k` sites with the largest smallest pairwise distance. */
export function solvePDispersion(model: PlacementModel, options: WithMethod<PDispersionOptions, CoverageMethod>): Promise<Result<DispersionSolution>> {
  return PDISPERSION_TABLE.solve(model, options);
}

/** Survivable (N-1) placement: every client keeps `level - 1` open sites within `radius` after failures. */
export function solveSurvivable(model: PlacementModel, options: WithMethod<SurvivableOptions, CoverageMethod>): Promise<Result<SurvivableSolution>> {
  return SURVIVABLE_TABLE.solve(model, options);
}
