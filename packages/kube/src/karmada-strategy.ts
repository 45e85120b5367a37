import { clusterMatches, filterClusters, fitErrorMessage } from './karmada-filter.js';
import type { ClusterAffinity, KarmadaBinding, KarmadaCluster, KarmadaPlacement } from './karmada.js';
import { isKarmadaSchedulingError, karmada, type KarmadaDivisionInput, type KarmadaEstimatorCluster, type KarmadaReplicaStrategy, type KarmadaSelectableCluster } from './engines.js';

/**
 * `--strategy karmada`: what Karmada's default scheduler would write for a binding, step by
 * step as in its source: affinity terms in order (scheduleResourceBindingWithClusterAffinities),
 * filter, score, select (spread constraints by cluster), then the replica division of
 * @emplace/assignment (karmadaAssignReplicas).
 */

export interface KarmadaOutcome {
  ok: boolean;
  clusters: { name: string; replicas: number; why: string }[];
  /** The affinity term used (status.schedulerObservedAffinityName). */
  affinityName?: string;
  /** Karmada's error text when it would not schedule. */
  error?: string;
  /** True when the failure is Karmada's "not enough capacity" (unschedulable), false for other failures. */
  unschedulable?: boolean;
}

class ScheduleFailure extends Error {
  constructor(
    message: string,
    readonly unschedulable: boolean,
  ) {
    super(message);
  }
}

function divisionStrategy(placement: KarmadaPlacement, clusters: readonly KarmadaCluster[]): KarmadaReplicaStrategy | undefined {
  const rs = placement.replicaScheduling;
  if (!rs) return undefined;
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const resolve = (a: ClusterAffinity) => ({
    clusterNames: a.clusterNames,
    exclude: a.exclude,
    // Label and field selectors resolved on the Cluster objects; names and exclude are applied by the division.
    matches: (n: string) => {
      const c = byName.get(n);
      return c !== undefined && clusterMatches(c, { ...a, clusterNames: [], exclude: [] });
    },
  });
  const wp = rs.weightPreference;
  return {
    type: rs.type,
    ...(rs.divisionPreference ? { preference: rs.divisionPreference } : {}),
    // A present weightPreference with an empty list is not the same as none (Karmada's nil check).
    ...(wp ? { staticWeightList: wp.staticWeightList.map((w) => ({ targetCluster: resolve(w.targetCluster), weight: w.weight })) } : {}),
    ...(wp?.dynamicWeight ? { dynamicWeight: wp.dynamicWeight } : {}),
  };
}

function explain(c: { allocatable: number; overflowOrder?: number } | undefined, placement: KarmadaPlacement, affinityName: string | undefined): string {
  const rs = placement.replicaScheduling;
  const how = !rs || rs.type === 'Duplicated' ? 'duplicated' : rs.divisionPreference === 'Aggregated' ? 'aggregated' : rs.weightPreference?.dynamicWeight ? 'dynamic weight (available replicas)' : 'static weight';
  const term = affinityName ? `, affinity term ${affinityName}${c && (c.overflowOrder ?? 0) > 0 ? ` (overflow ${c.overflowOrder})` : ''}` : '';
  return `karmada ${how}${c ? `; estimator: ${c.allocatable} more replicas fit` : ''}${term}`;
}

/** One run of genericScheduler.Schedule with the given affinities (undefined = no affinity). */
function scheduleOnce(
  binding: KarmadaBinding,
  placement: KarmadaPlacement,
  clusters: readonly KarmadaCluster[],
  affinities: ClusterAffinity[] | undefined,
  overflow: boolean,
  affinityName: string | undefined,
): KarmadaOutcome {
  const outcome = filterClusters(binding, placement, affinities, clusters);
  // With no Cluster at all, name the condition as Karmada's assignment step does.
  if (outcome.total === 0) throw new ScheduleFailure('no clusters available to schedule', false);
  if (outcome.feasible.length === 0) throw new ScheduleFailure(`failed to find fit clusters: ${fitErrorMessage(outcome)}`, false);
  const order = (c: KarmadaCluster): number => {
    if (!affinities || affinities.length <= 1) return 0;
    const i = affinities.findIndex((a) => clusterMatches(c, a));
    return i < 0 ? 0 : i;
  };
  const available = karmada.estimate(
    outcome.feasible.map((c) => c.estimator as KarmadaEstimatorCluster),
    { replicas: binding.replicas, ...(binding.rawRequest ? { request: binding.rawRequest } : {}) },
  );
  const strategy = divisionStrategy(placement, clusters);
  let selected: (KarmadaSelectableCluster & { allocatable: number })[];
  try {
    selected = karmada.select({
      clusters: outcome.feasible.map((c, i) => ({ name: c.name, availableReplicas: available[i]!, allocatable: available[i]!, overflowOrder: order(c), ...(c.region ? { region: c.region } : {}) })),
      spreadConstraints: placement.spreadConstraints.map((s) => ({ ...s })),
      ...(strategy ? { strategy } : {}),
      replicas: binding.replicas,
      previous: binding.clusters,
    });
  } catch (err) {
    if (isKarmadaSchedulingError(err)) throw new ScheduleFailure(`failed to select clusters: ${err.message}`, err.unschedulable);
    throw err;
  }
  const input: KarmadaDivisionInput = {
    replicas: binding.replicas,
    ...(binding.uid ? { uid: binding.uid } : {}),
    clusters: selected.map((c) => ({ name: c.name, availableReplicas: c.availableReplicas, overflowOrder: c.overflowOrder ?? 0 })),
    strategy: strategy ?? { type: 'Duplicated' },
    previous: binding.clusters,
    hasReplicaRequirements: binding.request !== undefined,
    fresh: binding.fresh,
    overflow,
  };
  let result: { name: string; replicas: number }[];
  try {
    result = karmada.assign(input);
  } catch (err) {
    if (isKarmadaSchedulingError(err)) throw new ScheduleFailure(`failed to assign replicas: ${err.message}`, err.unschedulable);
    throw err;
  }
  const byName = new Map(selected.map((c) => [c.name, c]));
  return {
    ok: true,
    clusters: result.map((r) => ({ name: r.name, replicas: r.replicas, why: explain(byName.get(r.name), placement, affinityName) })),
    ...(affinityName ? { affinityName } : {}),
  };
}

export function scheduleKarmada(binding: KarmadaBinding, placement: KarmadaPlacement, clusters: readonly KarmadaCluster[]): KarmadaOutcome {
  const terms = placement.clusterAffinity ? undefined : placement.clusterAffinities;
  try {
    if (!terms || terms.length === 0) return scheduleOnce(binding, placement, clusters, placement.clusterAffinity ? [placement.clusterAffinity] : undefined, false, undefined);
    let index = binding.fresh ? 0 : Math.max(0, terms.findIndex((t) => t.affinityName === binding.observedAffinityName));
    let first: ScheduleFailure | undefined;
    const isWorkload = binding.replicas > 0;
    for (; index < terms.length; index++) {
      const term = terms[index]!;
      const affinities: ClusterAffinity[] = [term, ...(isWorkload ? term.overflow : [])];
      try {
        return scheduleOnce(binding, placement, clusters, affinities, term.overflow.length > 0, term.affinityName);
      } catch (err) {
        if (!(err instanceof ScheduleFailure)) throw err;
        first ??= err;
      }
    }
    throw first ?? new ScheduleFailure('no cluster affinity term can be scheduled', false);
  } catch (err) {
    if (err instanceof ScheduleFailure) return { ok: false, clusters: [], error: err.message, unschedulable: err.unschedulable };
    throw err;
  }
}
