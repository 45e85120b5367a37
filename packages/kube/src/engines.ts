import {
  createReplicaModel,
  karmadaAssignReplicas,
  karmadaEstimatedReplicas,
  karmadaSelectClusters,
  KarmadaSchedulingError,
  solveReplicas,
  type KarmadaDivisionInput,
  type KarmadaEstimatorCluster,
  type KarmadaReplicaStrategy,
  type KarmadaSelectableCluster,
  type KarmadaSpreadConstraint,
  type ReplicaInput,
  type ReplicaSolution,
} from '@emplace/assignment';
import type { Result } from '@emplace/core';

/**
 * The engines of the kube strategies, from @emplace/assignment: Karmada's estimator, cluster
 * selection and replica division (the `karmada` strategy) and the replica-placement solver
 * (the `optimal` strategy). Collected here so the adapters name them in one place.
 */

export type { KarmadaDivisionInput, KarmadaEstimatorCluster, KarmadaReplicaStrategy, KarmadaSelectableCluster, KarmadaSpreadConstraint };

export const karmada = {
  estimate: karmadaEstimatedReplicas,
  select: karmadaSelectClusters,
  assign: karmadaAssignReplicas,
};

/** Karmada's scheduling failure (has `unschedulable`), as opposed to a bad input. */
export function isKarmadaSchedulingError(err: unknown): err is KarmadaSchedulingError {
  return err instanceof KarmadaSchedulingError;
}

export async function solveReplicaInput(input: ReplicaInput, options: { timeLimitMs?: number; signal?: AbortSignal }): Promise<Result<ReplicaSolution>> {
  // The kube user asked for the optimum: let the MIP be built on inputs five times larger than
  // the library's default cut-over to heuristics; the time limit still bounds the solve.
  return await solveReplicas(createReplicaModel(input), { method: 'exact', maxMipPairs: 100_000, ...options });
}
