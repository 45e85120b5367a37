// Replica placement (issue 14): public API of packages/assignment/src/replicas.
export {
  createReplicaModel,
  REPLICAS_MAX_PAIRS,
  availableReplicas,
  clusterKey,
  REPLICA_CRITERIA,
  type ReplicaModel,
  type ReplicaInput,
  type ReplicaClusterInput,
  type ReplicaWorkloadInput,
  type ReplicaSpreadInput,
  type ReplicaWeightsInput,
  type ReplicaObjectiveInput,
  type ReplicaMode,
  type ReplicaCriterion,
  type ReplicaCertificate,
  type CompiledSpread,
  type CompiledSurvivability,
} from './model.js';
export type { ReplicaSolution, ReplicaWorkloadPlan, ReplicaClusterShare, ReplicaMethod, ReplicaOptions } from './solution.js';
export { evaluateReplicaPlacement, type ReplicaEvaluation } from './evaluate.js';
export { REPLICAS_MIP_MAX_PAIRS } from './exact.js';
export { solveReplicas, replicasGreedy, REPLICAS_DEFAULT_TIME_LIMIT_MS, REPLICAS_AUTO_MAX_PAIRS } from './solve.js';
export { replicaCriteria, replicaObjective, worstDomainLoss } from './metrics.js';
export * from './karmada/index.js';
export { generateReplicas, type ReplicaGeneratorOptions } from './generate.js';
export { readReplicaJson, writeReplicaJson } from './json.js';
