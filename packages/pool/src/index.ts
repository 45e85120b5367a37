export { createSolverPool, DEFAULT_SOLVER_MODULES, type SolverPool, type SolverPoolOptions, type PoolSolveOptions } from './pool.js';
export { sharedAbortSignal } from './shared-signal.js';
export type { TransferMode } from './transfer.js';
