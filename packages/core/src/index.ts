export { EmplaceError, ModelError, FormatError, BackendError, UnknownMethodError } from './errors.js';
export type { SolveOptions, ProgressEvent } from './options.js';
export {
  hasSolution,
  relativeGap,
  better,
  type Sense,
  type Status,
  type StoppedBy,
  type Guarantee,
  type Stats,
  type Certificate,
  type SolvedResult,
  type UnsolvedResult,
  type Result,
} from './result.js';
export { Rng } from './rng.js';
export { SolveRun, validateOptions, YIELD_INTERVAL_MS } from './run.js';
export { yieldToEventLoop } from './yield.js';
export { compileWasmInBackground, instantiateWasmKernel, wasmCompilesSettled, wasmModule, type WasmKernelInstance } from './wasm-modules.js';
export { runSteps, runStepsAsync, runStepsUnlessStopped, stepsUnlessStopped, type Steps } from './steps.js';
export {
  subgradient,
  subgradientAsync,
  subgradientSteps,
  type SubgradientOptions,
  type SubgradientResult,
  type SubgradientStop,
} from './subgradient.js';
export { checkModelShape, checkModelShapeSteps } from './model-shape.js';
export { checkMemory, memoryLimit, setMemoryLimit, DEFAULT_MAX_MEMORY_BYTES } from './size-guard.js';
export {
  requireInteger,
  requireFinite,
  requireNonNegative,
  checkArray,
  toFloat64,
  indexIds,
  describe,
} from './validate.js';
export {
  createPlacementModel,
  isAllowed,
  demandAt,
  totalDemand,
  isUncapacitated,
  type PlacementModel,
  type PlacementInput,
  type SiteInput,
  type ClientInput,
  type AntiAffinityGroup,
} from './placement.js';
export { placementInputFromJson } from './placement-json.js';
export { readJsonDocuments, type JsonDocument } from './json-documents.js';
export { createGraph, graphInputFromJson, degree, weightedDegrees, edgeWeightSum, type Graph, type GraphInput, type DuplicatePolicy, type FlowNetwork } from './graph.js';
export {
  createGame,
  reviveGame,
  weightedVotingGame,
  airportGame,
  votingWeights,
  airportCosts,
  maskMembers,
  membersMask,
  MAX_MASK_PLAYERS,
  type GameModel,
  type GameInput,
  type GameStructure,
  type CharacteristicFunction,
} from './game.js';
export { createMarket, checkMarketShape, marketInputFromJson, type MarketModel, type MarketInput, type Bid, type Ask, type BidLanguage } from './market.js';
export {
  haversineKm,
  haversineMatrix,
  euclideanMatrix,
  latencyFromKm,
  checkMetric,
  symmetrize,
  shortestPathClosure,
  shortestPathClosureSteps,
  EARTH_RADIUS_KM,
  type LatLon,
  type MetricReport,
} from './distance.js';
export { UnionFind } from './union-find.js';
export { argsortStable, argsortStableSteps } from './argsort.js';
export { affinityUnits, type AffinityUnits } from './affinity-units.js';
export { mergeAffinityUnits, type MergedAffinity } from './affinity-merge.js';
export {
  checkModelFeatures,
  usedModelFeatures,
  withWarnings,
  MODEL_FEATURES,
  type ModelFeature,
  type FeatureSupport,
  type FeatureTable,
} from './model-features.js';
export type { Prepared } from './prepared.js';
export { registerSolver, listSolvers, listFamilies, findSolver, solve, type SolverEntry } from './registry.js';
export {
  defineMethods,
  registerMethods,
  kebabCase,
  type MethodTable,
  type MethodTableInfo,
  type MethodTableSpec,
  type MethodSpec,
  type OptionSpec,
  type OptionInfo,
  type OptionType,
} from './method-table.js';
