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
export { FACILITY_FEATURES, SCENARIO_FEATURES } from './features.js';
// Placement under uncertainty and over time (issue 19).
export {
  createScenarioSet,
  generateScenarios,
  scenarioSampler,
  ScenarioEvaluator,
  type ScenarioInput,
  type Scenario,
  type ScenarioSet,
  type ScenarioSetOptions,
  type ScenarioSampler,
  type ScenarioGeneratorSpec,
  type ScenarioEvaluation,
} from './scenarios.js';
export { readScenarioJson, type ScenarioFile } from './scenario-file.js';
export { solveStochastic, STOCHASTIC_METHODS, type StochasticOptions, type StochasticMethod, type ScenarioSolution } from './stochastic.js';
export { solveSaa, type SaaOptions, type SaaSolution, type SaaStatistics, type ScenarioSource } from './saa.js';
export { solveRobust, ROBUST_METHODS, type RobustOptions, type RobustMethod, type RobustCriterion, type RobustSolution } from './robust.js';
export { onlineFacilityLocation, onlineGuarantee, type OnlineOptions, type OnlineFacilitySolution } from './online-meyerson.js';
export { measureOnlineFacility, summarise as summariseCompetitive, type CompetitiveReport, type CompetitiveRun, type MeasureOptions } from './competitive.js';
export { studentTQuantile } from './student-t.js';
import './register.js';
export { UFL_TABLE, CFL_TABLE, SSCFL_TABLE, PMEDIAN_TABLE, STOCHASTIC_TABLE, ROBUST_TABLE, ONLINE_UFL_TABLE, methodTables } from './methods.js';
