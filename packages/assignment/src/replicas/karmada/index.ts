/**
 * A faithful reproduction of Karmada's replica scheduling (karmada-io/karmada, `pkg/scheduler/core`,
 * `pkg/util/helper` dispenser and Webster method, `pkg/estimator/client/general.go`): the same
 * clusters and replica counts, the same rounding and tie-breaking, the same errors.
 */
export { karmadaAssignReplicas, karmadaClusterMatches } from './assign.js';
export { KarmadaSchedulingError } from './errors.js';
export {
  dispenseByWeight as karmadaDispenseByWeight,
  spreadReplicasByTargetClusters as karmadaSpreadReplicasByTargetClusters,
  karmadaTieBreaker,
  karmadaUidOrdersNamesDescending,
  fnv1a32,
  type KarmadaTargetCluster,
  type KarmadaClusterWeight,
} from './dispenser.js';
export { allocateWebsterSeats, type WebsterParty, type WebsterTieBreaker } from './webster.js';
export type {
  KarmadaCluster,
  KarmadaClusterAffinity,
  KarmadaDivisionInput,
  KarmadaReplicaStrategy,
  KarmadaStaticClusterWeight,
} from './types.js';
export {
  karmadaAvailableReplicas,
  karmadaEstimatedReplicas,
  type KarmadaResourceList,
  type KarmadaResourceSummary,
  type KarmadaResourceModel,
  type KarmadaEstimatorCluster,
  type KarmadaEstimatorOptions,
  type KarmadaEstimationSpec,
} from './estimator.js';
export { quantityToNano as karmadaQuantityToNano, type KarmadaQuantity } from './quantity.js';
export {
  karmadaScheduleWithAffinities,
  karmadaTryAffinityTerms,
  karmadaAffinityStartIndex,
  type KarmadaAffinityTerm,
  type KarmadaAffinitiesOptions,
  type KarmadaAffinitiesResult,
} from './affinities.js';
export {
  karmadaSelectClusters,
  karmadaSortCandidates,
  karmadaSelectBestClustersByRegion,
  karmadaGroupScore,
  type KarmadaRegionInfo,
  type KarmadaSelectableCluster,
  type KarmadaSpreadConstraint,
  type KarmadaSelectionInput,
} from './spread.js';
export { karmadaSelectGroups, type KarmadaGroup } from './select-groups.js';
