/** @emplace/kube: Kubernetes federation objects (Karmada, OCM, Kueue) in, placement decisions out. */
export { parseQuantity, quantityValue, quantityMilliValue, quantityToNumber, formatQuantity, QuantityError } from './quantity.js';
export { KubeObjectError, KubeDocumentError, objectLabel, type ObjectRef, type ObjectSource } from './errors.js';
export { readObjects, refOf, type KubeObject, type ObjectMeta } from './objects.js';
export {
  readLabelSelector,
  selectorMatches,
  requirementMatches,
  fieldSelectorMatches,
  tolerates,
  untoleratedTaint,
  type LabelSelector,
  type Requirement,
  type SelectorOperator,
  type Taint,
  type Toleration,
} from './selector.js';
export { ANNOTATIONS, SCHEDULER_NAME } from './annotations.js';
export {
  readCluster,
  readPolicy,
  readBinding,
  readPlacement,
  type KarmadaCluster,
  type KarmadaPolicy,
  type KarmadaBinding,
  type KarmadaPlacement,
  type ClusterAffinity,
  type AffinityTerm,
  type SpreadConstraint,
  type ReplicaScheduling,
  type FailureDomain,
  type ResourceSelector,
} from './karmada.js';
export { estimateReplicas, allowedPods, freeCapacity } from './capacity.js';
export { clusterMatches, filterClusters } from './karmada-filter.js';
export { scheduleKarmada, type KarmadaOutcome } from './karmada-strategy.js';
export { buildReplicaInput, replicaPrice } from './optimal.js';
export { readKarmadaWorld, scheduleKarmadaWorld, placementOf, type Strategy, type KarmadaWorld } from './karmada-schedule.js';
export { decisionRecord, placed, type Decision, type DecisionStatus, type ClusterShare, type ObjectPatch } from './decision.js';
export { reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile.js';
export { pendingPatches } from './up-to-date.js';
export { runController, backoffMs, WATCHED, type ControllerOptions } from './controller.js';
export { readOcmWorld, scheduleOcmWorld, eligibleClusters, selectClusters, placementDecisions, placementScores, MAX_DECISIONS_PER_OBJECT, PLACEMENT_LABEL, type OcmWorld, type OcmPlacement, type ManagedCluster } from './ocm.js';
export { readKueueWorld, scheduleKueueWorld, type KueueWorld, type KueueWorkload, type KueueWorker } from './kueue.js';
export { formatYaml } from './format.js';
