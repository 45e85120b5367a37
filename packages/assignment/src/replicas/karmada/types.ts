/**
 * Inputs of the Karmada reproduction, in Karmada's own terms (`ResourceBindingSpec`,
 * `ReplicaSchedulingStrategy`, `ClusterDetailInfo`) with selectors already resolved.
 */
import type { KarmadaTargetCluster } from './dispenser.js';

/**
 * Which clusters a static weight rule (or an affinity) applies to: Karmada's `ClusterAffinity`.
 * `clusterNames` and `exclude` are applied here; label and field selectors are resolved by the
 * caller into `matches` (the Kubernetes adapters do this from the Cluster objects).
 */
export interface KarmadaClusterAffinity {
  readonly clusterNames?: readonly string[];
  readonly exclude?: readonly string[];
  /** The label/field selectors of the affinity, resolved: true when the cluster satisfies them. */
  readonly matches?: (clusterName: string) => boolean;
}

/** One entry of `weightPreference.staticWeightList`. */
export interface KarmadaStaticClusterWeight {
  readonly targetCluster: KarmadaClusterAffinity;
  readonly weight: number;
}

/**
 * `placement.replicaScheduling`. `type` defaults to Duplicated as in Karmada (a placement
 * without `replicaScheduling` duplicates). A Weighted preference with `dynamicWeight` divides by
 * available replicas; otherwise by static weights: `staticWeights` (weight per cluster name,
 * already resolved) or `staticWeightList` (Karmada's rules; a cluster takes the largest weight of
 * the rules it matches), or equal weights when neither is given.
 */
export interface KarmadaReplicaStrategy {
  readonly type: 'Duplicated' | 'Divided';
  readonly preference?: 'Aggregated' | 'Weighted';
  readonly staticWeights?: Readonly<Record<string, number>>;
  readonly staticWeightList?: readonly KarmadaStaticClusterWeight[];
  readonly dynamicWeight?: 'AvailableReplicas';
}

/** A candidate cluster after filtering, scoring and spread selection, in the scheduler's order. */
export interface KarmadaCluster {
  readonly name: string;
  /**
   * What the replica estimator says the cluster can still take (Karmada's `AllocatableReplicas`:
   * `MaxAvailableReplicas`, not counting the replicas this workload already has there); see
   * `karmadaAvailableReplicas` and `karmadaEstimatedReplicas`.
   */
  readonly availableReplicas: number;
  /**
   * 0 when the cluster matches the observed affinity term itself, k when it matches only its k-th
   * `overflowAffinities` entry (`getClusterOverflowOrder`). Used when `overflow` is on.
   */
  readonly overflowOrder?: number;
}

/** What `karmadaAssignReplicas` needs: the parts of a ResourceBinding the division reads. */
export interface KarmadaDivisionInput {
  /** `spec.replicas`. */
  readonly replicas: number;
  /** `spec.resource.uid`: decides the tie-breaking order of the rounding. */
  readonly uid?: string;
  /** Candidate clusters in the scheduler's order (see `karmadaSortCandidates`). */
  readonly clusters: readonly KarmadaCluster[];
  readonly strategy: KarmadaReplicaStrategy;
  /** `spec.clusters`: the previous assignment, the reference for steady scale up/down. */
  readonly previous?: readonly KarmadaTargetCluster[];
  /**
   * True when `spec.replicaRequirements` is set. Karmada divides replicas only when
   * `replicas > 0` or requirements are set; otherwise (a Service, a ConfigMap, a Deployment
   * scaled to 0 without requests) every candidate gets the workload with no replica count.
   */
  readonly hasReplicaRequirements?: boolean;
  /** `len(spec.components)`; more than 1 (a multi-template workload) skips the division. Default 0. */
  readonly componentCount?: number;
  /**
   * Fresh mode: `spec.rescheduleTriggeredAt` is later than `status.lastScheduledTime`, so the
   * dynamic division recomputes from scratch instead of adjusting the previous assignment.
   */
  readonly fresh?: boolean;
  /**
   * The observed affinity term has `overflowAffinities` (`enableOverflow`): clusters are filled
   * tier by tier in `overflowOrder`.
   */
  readonly overflow?: boolean;
  /**
   * The scheduler's `--enable-empty-workload-propagation` (default off): candidates left without
   * replicas are listed with 0 replicas after the assigned ones (`attachZeroReplicasCluster`).
   */
  readonly emptyWorkloadPropagation?: boolean;
}

export type { KarmadaTargetCluster };
