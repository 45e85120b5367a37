/** @emplace/flows: network flows on the shared Graph model. */
export {
  createFlowNetwork,
  validateFlowNetwork,
  flowNetworkFromGraph,
  isIntegral,
  type FlowNetwork,
  type FlowNetworkInput,
  type ArcInput,
  type FromGraphOptions,
} from './network.js';
export { networkSimplex, type NetworkSimplexOptions, type NetworkSimplexOutput } from './network-simplex.js';
export {
  solveMinCostFlow,
  flowCost,
  flowViolation,
  dualValue,
  infeasibilityCut,
  type MinCostFlowOptions,
  type MinCostFlowSolution,
  type CutCertificate,
} from './min-cost-flow.js';
export {
  gomoryHuTree,
  minCut,
  subtreeSide,
  allPairsMinCut,
  treeEdges,
  weakestCuts,
  solveGomoryHu,
  type GomoryHuTree,
  type GomoryHuEdge,
  type WeakCut,
  type GomoryHuOptions,
  type GomoryHuSolveOptions,
  type GomoryHuSolution,
} from './gomory-hu.js';
