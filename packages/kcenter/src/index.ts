import './register.js';
export { KCENTER_TABLE, LSCP_TABLE, MCLP_TABLE, PDISPERSION_TABLE, SURVIVABLE_TABLE, methodTables } from './methods.js';

export type { KCenterOptions, KCenterShare, KCenterSolution } from './types.js';
export type { KCenterResult } from './common.js';
export { gonzalez } from './gonzalez.js';
export { hochbaumShmoys } from './hochbaum-shmoys.js';
export { localSearch } from './local-search.js';
export { exact } from './exact.js';
export { outliersGreedy } from './outliers.js';
export { capacitatedGreedy } from './capacitated.js';
export { auto } from './auto.js';
export { kcenterRadius } from './radius.js';
export type { CoverageOptions, LscpOptions, MclpOptions, PDispersionOptions, SurvivableOptions, CoverageSolution, DispersionSolution, SurvivableSolution } from './coverage-types.js';
export { lscpGreedy, lscpExact, type LscpResult } from './lscp.js';
export { mclpGreedy, mclpExact, type MclpResult } from './mclp.js';
export { pDispersionGreedy, pDispersionExact, type PDispersionResult } from './p-dispersion.js';
export { survivableGreedy, survivableExact, type SurvivableResult } from './survivable.js';
export { incrementalKCenter, measureIncrementalKCenter, type IncrementalOptions, type IncrementalSolution, type IncrementalReport } from './incremental.js';
export { KCENTER_FEATURES } from './features.js';
export {
  solveKCenter,
  solveLscp,
  solveMclp,
  solvePDispersion,
  solveSurvivable,
  type KCenterMethod,
  type CoverageMethod,
  type WithMethod,
} from './solve.js';
