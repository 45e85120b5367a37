export { toGapInstance, gapEvidentInfeasibility, gapObjective, type GapInstance, type GapSolution } from './gap-instance.js';
export { gapMthg, gapLagrangian, gapTabuSearch, gapBranchAndBoundSolve, gapAuto, GAP_DEFAULT_TIME_LIMIT_MS, type GapOptions } from './gap.js';
export { KnapsackSolver } from './knapsack.js';
export { generateGap, type ChuBeasleyType } from './generate-gap.js';
