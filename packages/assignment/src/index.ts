import './register.js';
export { GAP_TABLE, SCHEDULE_TABLE, REPLICAS_TABLE, methodTables, solveGap, solveSchedule } from './methods.js';
export { toGapInstance, gapEvidentInfeasibility, gapObjective, type GapInstance, type GapSolution } from './gap-instance.js';
export {
  gapMthg,
  gapLagrangian,
  gapTabuSearch,
  gapEjectionChain,
  gapBranchAndBoundSolve,
  gapAuto,
  gapLagrangianAsync,
  gapTabuSearchAsync,
  gapBranchAndBoundAsync,
  gapAutoAsync,
  GAP_DEFAULT_TIME_LIMIT_MS,
  type GapOptions,
} from './gap.js';
export { KnapsackSolver } from './knapsack.js';
export { generateGap, type ChuBeasleyType } from './generate-gap.js';
export { createScheduleModel, withoutSite, type ScheduleModel, type ScheduleInput } from './schedule-model.js';
export { scheduleCost, scheduleViolations, type ScheduleSolution, type ScheduleCost } from './schedule-evaluate.js';
export { scheduleGreedy, scheduleGreedyAsync, scheduleLocalSearch, scheduleLocalSearchAsync, scheduleMip, scheduleAuto, SCHEDULE_DEFAULT_TIME_LIMIT_MS, type ScheduleOptions } from './schedule.js';
export { generateSchedule, type ScheduleGeneratorOptions } from './generate-schedule.js';
export { readScheduleJson, writeScheduleJson } from './schedule-json.js';
export { gapMip, buildGapMip } from './gap-mip.js';
export * from './replicas/index.js';
export * from './replicas/karmada/index.js';
export { GAP_FEATURES, SCHEDULE_FEATURES } from './features.js';
