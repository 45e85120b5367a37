/**
 * @emplace/facility: uncapacitated and capacitated facility location (split and single
 * source) and p-median on the shared PlacementModel of @emplace/core.
 */
export {
  solveUfl,
  solveCfl,
  solveSscfl,
  solvePMedian,
  UFL_METHODS,
  CFL_METHODS,
  SSCFL_METHODS,
  PMEDIAN_METHODS,
  type FacilityOptions,
  type PMedianOptions,
  type UflMethod,
  type CflMethod,
  type SscflMethod,
  type PMedianMethod,
} from './solvers.js';
export { checkSolution, type FacilitySolution, type FlowShare, type SolutionCheck } from './solution.js';
export type { FacilityVariant } from './problem.js';
import './register.js';
