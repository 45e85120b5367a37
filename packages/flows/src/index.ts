/** @emplace/flows: network flows on the shared Graph model. */
export {
  createFlowNetwork,
  validateFlowNetwork,
  flowNetworkFromGraph,
  flowNetworkFromArcList,
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
export {
  createMcfProblem,
  groupCommodities,
  type Commodity,
  type McfInput,
  type McfProblem,
  type McfPath,
  type CommodityGroups,
} from './traffic.js';
export {
  solveMcfLp,
  buildMcfLp,
  type BuiltMcfLp,
  summarize as summarizeMcfFlows,
  capacityExcess,
  checkLpSize,
  type McfObjective,
  type McfLpOptions,
  type McfSolution,
  type CapacityColumns,
} from './mcf-lp.js';
export { solveMcfApprox, type GargKonemannOptions } from './garg-konemann.js';
export { solveMcf, MCF_METHODS, type McfMethod, type McfOptions } from './mcf.js';
export { solveLinkUpgrade, type LinkUpgradeOptions, type LinkUpgrade, type LinkUpgradeSolution } from './upgrade.js';
export { trafficFromDocument, type TrafficDocument, type TrafficSpec } from './traffic-json.js';
import './register.js';
export { MINCOSTFLOW_TABLE, GOMORYHU_TABLE, MCF_TABLE, LINK_UPGRADE_TABLE, methodTables } from './methods.js';
