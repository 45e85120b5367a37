import type { SolveOptions } from '@emplace/core';
import type { BackendName } from '@emplace/lp';
import type { ReplicaCriterion } from './model.js';

/** The answer of every replica-placement method (the `solution` of the Result envelope). */
export interface ReplicaSolution {
  workloads: ReplicaWorkloadPlan[];
  /** W x C replica counts, row-major by workload. */
  counts: Int32Array;
  /** Price of the placement plus move costs (the `cost` criterion). */
  cost: number;
  /** Replicas moved away from their current clusters (the `moves` criterion). */
  moved: number;
  /** Number of (workload, cluster) pairs with at least one replica. */
  clustersUsed: number;
  /** sum |x - target| over workloads with weights. */
  imbalance: number;
  /** Replicas (all workloads) lost when the worst single failure domain (`failureDomain`) goes down. */
  worstDomainLoss: number;
  failureDomain: string;
  /** Replica-weighted latency to the populations (0 without populations). */
  latency: number;
  /** Every criterion's value, so a lexicographic answer can be read in full. */
  criteria: Record<ReplicaCriterion, number>;
}

export interface ReplicaClusterShare {
  cluster: string;
  replicas: number;
  /** Why this cluster got this many: binding constraint, weight, tier, spread, price. */
  why: string;
}

export interface ReplicaWorkloadPlan {
  id: string;
  /** placed; infeasible (proven: cannot be placed even alone); unplaced (not placed in this plan: capacity taken by higher priorities, or the method found no plan). */
  status: 'placed' | 'infeasible' | 'unplaced';
  clusters: ReplicaClusterShare[];
  reason?: string;
  /** Diff against `current`: replicas moved from one cluster to another ('' = started fresh / removed). */
  moves?: { from: string; to: string; replicas: number }[];
}

export type ReplicaMethod = 'karmada' | 'greedy' | 'exact' | 'auto';

export interface ReplicaOptions extends SolveOptions {
  method?: ReplicaMethod;
  /** LP backend of `exact` (default highs). */
  backend?: BackendName;
  /** `exact`: start from the greedy plan (default true). */
  warmStart?: boolean;
  /** `exact`: above this many (workload, cluster) pairs, Lagrangian bound + heuristic instead of the MIP (default 20,000). */
  maxMipPairs?: number;
}
