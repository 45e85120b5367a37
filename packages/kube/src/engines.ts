import * as assignment from '@emplace/assignment';
import type { ReplicaInput, ReplicaSolution } from '@emplace/assignment';
import type { Result } from '@emplace/core';

/**
 * The two engines of the kube strategies, from @emplace/assignment: Karmada's replica
 * division (`karmadaAssignReplicas`) and the replica-placement solver (`solveReplicas`).
 * Local contract types keep this package independent of how they are exported.
 */

export interface DivisionCluster {
  readonly name: string;
  readonly availableReplicas: number;
  readonly overflowOrder?: number;
}

export interface DivisionAffinity {
  readonly clusterNames?: readonly string[];
  readonly exclude?: readonly string[];
  readonly matches?: (clusterName: string) => boolean;
}

export interface DivisionInput {
  readonly replicas: number;
  readonly uid?: string;
  readonly clusters: readonly DivisionCluster[];
  readonly strategy: {
    readonly type: 'Duplicated' | 'Divided';
    readonly preference?: 'Aggregated' | 'Weighted';
    readonly staticWeightList?: readonly { readonly targetCluster: DivisionAffinity; readonly weight: number }[];
    readonly dynamicWeight?: 'AvailableReplicas';
  };
  readonly previous?: readonly { readonly name: string; readonly replicas: number }[];
  readonly hasReplicaRequirements?: boolean;
  readonly fresh?: boolean;
  readonly overflow?: boolean;
}

export type DivideFn = (input: DivisionInput) => { name: string; replicas: number }[];
export type SolveReplicasFn = (input: ReplicaInput, options: { method: 'exact' | 'greedy' | 'auto'; timeLimitMs?: number; signal?: AbortSignal }) => Promise<Result<ReplicaSolution>>;

const lib = assignment as unknown as Record<string, unknown>;

export function karmadaDivide(): DivideFn {
  const f = lib.karmadaAssignReplicas;
  if (typeof f !== 'function') throw new Error('@emplace/assignment does not provide karmadaAssignReplicas');
  return f as DivideFn;
}

/** Builds the model and solves it; returns undefined when the solver is not available. */
export function replicaSolver(): SolveReplicasFn {
  const create = lib.createReplicaModel;
  const solve = lib.solveReplicas;
  if (typeof create !== 'function' || typeof solve !== 'function') throw new Error('@emplace/assignment does not provide solveReplicas');
  return async (input, options) => {
    const model = (create as (i: ReplicaInput) => unknown)(input);
    return await (solve as (m: unknown, o: unknown) => Promise<Result<ReplicaSolution>> | Result<ReplicaSolution>)(model, options);
  };
}

/** Karmada's scheduling failure (has `unschedulable`), as opposed to a bad input. */
export function isKarmadaSchedulingError(err: unknown): err is Error & { unschedulable: boolean } {
  const cls = lib.KarmadaSchedulingError;
  return typeof cls === 'function' && err instanceof (cls as new (...a: never[]) => Error);
}
