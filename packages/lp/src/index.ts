export { LinearModel, type VarType, type ObjectiveSense, type VariableSpec, type CompiledModel, type ReserveSize } from './linear-model.js';
export type { CompileJob } from './compile-job.js';
export { solveLp, backendCapabilities, BACKEND_NAMES } from './solve.js';
export { resetHighsRuntime, SMALL_LP_NONZEROS } from './backends/highs.js';
export { warmHighsWorker, closeHighsWorkers } from './backends/highs-offload.js';
export { configureHighs, HIGHS_VERSION, type HighsLocation } from './backends/highs-config.js';
export type { BackendName, BackendCapabilities, LpOffload, LpOptions, LpResult, LpSolution, LpStats, LpStatus, LpProgress } from './types.js';
