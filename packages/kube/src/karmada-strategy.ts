import { clusterMatches, filterClusters, fitErrorMessage, rankCandidates, type Candidate } from './karmada-filter.js';
import type { ClusterAffinity, KarmadaBinding, KarmadaCluster, KarmadaPlacement } from './karmada.js';
import { isKarmadaSchedulingError, type DivideFn, type DivisionInput } from './engines.js';

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

const INVALID_REPLICAS = -1;

/** spreadconstraint.SelectBestClusters, for the cluster field (the region field is not reproduced). */
function selectBySpread(placement: KarmadaPlacement, candidates: Candidate[], replicas: number): Candidate[] {
  const rs = placement.replicaScheduling;
  const ignore =
    rs !== undefined &&
    rs.type === 'Divided' &&
    rs.divisionPreference === 'Weighted' &&
    (rs.weightPreference === undefined || (rs.weightPreference.staticWeightList.length > 0 && rs.weightPreference.dynamicWeight === undefined));
  if (placement.spreadConstraints.length === 0 || ignore) return candidates;
  const need = rs === undefined || rs.type === 'Duplicated' ? INVALID_REPLICAS : replicas;
  const byField = new Map(placement.spreadConstraints.map((s) => [s.spreadByField ?? '', s]));
  if (byField.has('region')) throw new ScheduleFailure('emplace does not reproduce Karmada\'s region spread selection; use --strategy optimal', false);
  const sc = byField.get('cluster');
  if (!sc) throw new ScheduleFailure('just support cluster and region spread constraint', false);
  if (candidates.length < sc.minGroups) throw new ScheduleFailure('the number of feasible clusters is less than spreadConstraint.MinGroups', false);
  const needCnt = Math.min(candidates.length, sc.maxGroups);
  if (need === INVALID_REPLICAS) return candidates.slice(0, needCnt);
  const ret = candidates.slice(0, needCnt);
  const rest = candidates.slice(needCnt);
  const enough = (): boolean => ret.reduce((s, c) => s + c.available, 0) >= need;
  for (let id = ret.length - 1; !enough() && id >= 0; id--) {
    let best = -1;
    let bestAvail = ret[id]!.available;
    rest.forEach((c, i) => {
      if (bestAvail < c.available) {
        best = i;
        bestAvail = c.available;
      }
    });
    if (best === -1) continue;
    const t = ret[id]!;
    ret[id] = rest[best]!;
    rest[best] = t;
  }
  if (!enough()) throw new ScheduleFailure(`no enough resource when selecting ${needCnt} clusters`, false);
  return ret;
}

function divisionStrategy(placement: KarmadaPlacement, clusters: readonly KarmadaCluster[]): DivisionInput['strategy'] {
  const rs = placement.replicaScheduling;
  if (!rs) return { type: 'Duplicated' };
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const resolve = (a: ClusterAffinity): { clusterNames: string[]; exclude: string[]; matches: (n: string) => boolean } => ({
    clusterNames: a.clusterNames,
    exclude: a.exclude,
    matches: (n: string) => {
      const c = byName.get(n);
      return c !== undefined && clusterMatches(c, { ...a, clusterNames: [], exclude: [] });
    },
  });
  return {
    type: rs.type,
    ...(rs.divisionPreference ? { preference: rs.divisionPreference } : {}),
    ...(rs.weightPreference && rs.weightPreference.staticWeightList.length > 0
      ? { staticWeightList: rs.weightPreference.staticWeightList.map((w) => ({ targetCluster: resolve(w.targetCluster), weight: w.weight })) }
      : {}),
    ...(rs.weightPreference?.dynamicWeight ? { dynamicWeight: rs.weightPreference.dynamicWeight } : {}),
  };
}

function explain(c: Candidate | undefined, placement: KarmadaPlacement, affinityName: string | undefined): string {
  const rs = placement.replicaScheduling;
  const how = !rs || rs.type === 'Duplicated' ? 'duplicated' : rs.divisionPreference === 'Aggregated' ? 'aggregated' : rs.weightPreference?.dynamicWeight ? 'dynamic weight (available replicas)' : 'static weight';
  const term = affinityName ? `, affinity term ${affinityName}${c && c.overflowOrder > 0 ? ` (overflow ${c.overflowOrder})` : ''}` : '';
  return `karmada ${how}${c ? `; estimator: ${c.allocatable} more replicas fit` : ''}${term}`;
}

/** One run of genericScheduler.Schedule with the given affinities (undefined = no affinity). */
function scheduleOnce(
  binding: KarmadaBinding,
  placement: KarmadaPlacement,
  clusters: readonly KarmadaCluster[],
  divide: DivideFn,
  affinities: ClusterAffinity[] | undefined,
  overflow: boolean,
  affinityName: string | undefined,
): KarmadaOutcome {
  const outcome = filterClusters(binding, placement, affinities, clusters);
  if (outcome.feasible.length === 0) throw new ScheduleFailure(`failed to find fit clusters: ${fitErrorMessage(outcome)}`, false);
  const order = (c: KarmadaCluster): number => {
    if (!affinities || affinities.length <= 1) return 0;
    const i = affinities.findIndex((a) => clusterMatches(c, a));
    return i < 0 ? 0 : i;
  };
  const ranked = rankCandidates(binding, outcome.feasible, order);
  let selected: Candidate[];
  try {
    selected = selectBySpread(placement, ranked, binding.replicas);
  } catch (err) {
    if (err instanceof ScheduleFailure) throw new ScheduleFailure(`failed to select clusters: ${err.message}`, err.unschedulable);
    throw err;
  }
  const input: DivisionInput = {
    replicas: binding.replicas,
    ...(binding.uid ? { uid: binding.uid } : {}),
    clusters: selected.map((c) => ({ name: c.name, availableReplicas: c.allocatable, overflowOrder: c.overflowOrder })),
    strategy: divisionStrategy(placement, clusters),
    previous: binding.clusters,
    hasReplicaRequirements: binding.request !== undefined,
    fresh: binding.fresh,
    overflow,
  };
  let result: { name: string; replicas: number }[];
  try {
    result = divide(input);
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

export function scheduleKarmada(binding: KarmadaBinding, placement: KarmadaPlacement, clusters: readonly KarmadaCluster[], divide: DivideFn): KarmadaOutcome {
  const terms = placement.clusterAffinity ? undefined : placement.clusterAffinities;
  try {
    if (!terms || terms.length === 0) return scheduleOnce(binding, placement, clusters, divide, placement.clusterAffinity ? [placement.clusterAffinity] : undefined, false, undefined);
    let index = binding.fresh ? 0 : Math.max(0, terms.findIndex((t) => t.affinityName === binding.observedAffinityName));
    let first: ScheduleFailure | undefined;
    const isWorkload = binding.replicas > 0;
    for (; index < terms.length; index++) {
      const term = terms[index]!;
      const affinities: ClusterAffinity[] = [term, ...(isWorkload ? term.overflow : [])];
      try {
        return scheduleOnce(binding, placement, clusters, divide, affinities, term.overflow.length > 0, term.affinityName);
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
