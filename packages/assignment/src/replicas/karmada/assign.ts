/**
 * Karmada's replica assignment (`pkg/scheduler/core/common.go` `AssignReplicas`,
 * `assignment.go`, `division_algorithm.go`), reproduced on resolved inputs.
 */
import { ModelError } from '@emplace/core';
import { dispenseByWeight, spreadReplicasByTargetClusters, type KarmadaClusterWeight, type KarmadaTargetCluster } from './dispenser.js';
import { KarmadaSchedulingError } from './errors.js';
import { goSortSort } from './go-sort.js';
import type { KarmadaCluster, KarmadaClusterAffinity, KarmadaDivisionInput, KarmadaReplicaStrategy } from './types.js';

const INT32_MAX = 2147483647;

/** Karmada's internal strategy names (`assignment.go`). */
type StrategyKind = 'Duplicated' | 'Aggregated' | 'StaticWeight' | 'DynamicWeight';

/** A candidate as `ClusterDetailInfo`: estimator replicas and those plus the replicas already there. */
interface Candidate {
  readonly name: string;
  /** `AllocatableReplicas`: the estimator's answer. */
  readonly allocatable: number;
  /** `AvailableReplicas`: allocatable plus this workload's replicas already on the cluster. */
  readonly available: number;
  readonly overflowOrder: number;
}

/** The state `assignState` carries through one assignment. */
interface State {
  readonly candidates: readonly Candidate[];
  readonly replicas: number;
  readonly uid: string | undefined;
  readonly previous: readonly KarmadaTargetCluster[];
  readonly fresh: boolean;
}

/**
 * Divides `input.replicas` over `input.clusters` exactly as Karmada's `AssignReplicas` does and
 * returns `spec.clusters` as Karmada would write it (clusters given 0 replicas are left out, as
 * `removeZeroReplicasCluster` does). For a workload without replicas (`replicas` 0 and no
 * replica requirements) every candidate is returned with 0 replicas: Karmada propagates it to all
 * of them without a count.
 *
 * @throws KarmadaSchedulingError with Karmada's message when Karmada's assignment fails
 *   (`no clusters available to schedule`, `failed to scale up: Clusters available replicas 3 are
 *   not enough to schedule.`, ...).
 * @throws ModelError on malformed input (negative or fractional counts, duplicate names).
 */
export function karmadaAssignReplicas(input: KarmadaDivisionInput): KarmadaTargetCluster[] {
  const candidates = validate(input);
  if (candidates.length === 0) throw new KarmadaSchedulingError('no clusters available to schedule', false);

  const componentCount = input.componentCount ?? 0;
  if (!((input.replicas > 0 || input.hasReplicaRequirements === true) && componentCount <= 1)) {
    // Non-workloads and multi-template workloads: propagated to every candidate (AssignReplicas).
    return candidates.map((c) => ({ name: c.name, replicas: 0 }));
  }
  const base = {
    uid: input.uid,
    previous: input.previous ?? [],
    fresh: input.fresh === true,
  };
  const result =
    input.overflow === true
      ? assignWithOverflow(candidates, input.replicas, input.strategy, base)
      : assignToClusters({ candidates, replicas: input.replicas, ...base }, input.strategy);
  return input.emptyWorkloadPropagation === true ? attachZeroReplicaClusters(candidates, result) : result;
}

/** `attachZeroReplicasCluster`: candidates missing from the result follow it with 0 replicas. */
function attachZeroReplicaClusters(candidates: readonly Candidate[], result: KarmadaTargetCluster[]): KarmadaTargetCluster[] {
  const present = new Set(result.map((c) => c.name));
  for (const c of candidates) if (!present.has(c.name)) result.push({ name: c.name, replicas: 0 });
  return result;
}

/**
 * `assignWorkloadReplicas` with overflow affinities: the clusters of tier 0 take as many replicas
 * as they can (up to their total available replicas), the rest overflows to tier 1, and so on.
 */
function assignWithOverflow(
  candidates: readonly Candidate[],
  replicas: number,
  strategy: KarmadaReplicaStrategy,
  base: Omit<State, 'candidates' | 'replicas'>,
): KarmadaTargetCluster[] {
  const tiers = new Map<number, Candidate[]>();
  const tierAvailable = new Map<number, number>();
  let maxOrder = 0;
  for (const c of candidates) {
    const tier = tiers.get(c.overflowOrder);
    if (tier) tier.push(c);
    else tiers.set(c.overflowOrder, [c]);
    tierAvailable.set(c.overflowOrder, (tierAvailable.get(c.overflowOrder) ?? 0) + c.available);
    if (c.overflowOrder > maxOrder) maxOrder = c.overflowOrder;
  }
  const result: KarmadaTargetCluster[] = [];
  let remaining = replicas;
  for (let order = 0; order <= maxOrder; order++) {
    const tier = tiers.get(order);
    if (!tier || tier.length === 0) continue;
    const share = Math.min(remaining, tierAvailable.get(order) ?? 0);
    result.push(...assignToClusters({ ...base, candidates: tier, replicas: share }, strategy));
    remaining -= share;
    if (remaining <= 0) break;
  }
  if (remaining > 0) throw new KarmadaSchedulingError('Clusters available replicas are not enough to schedule.', true);
  return result;
}

/** `assignReplicasToClusters`: picks the strategy, runs it, drops clusters with 0 replicas. */
function assignToClusters(state: State, strategy: KarmadaReplicaStrategy): KarmadaTargetCluster[] {
  const kind = strategyKind(strategy);
  let result: KarmadaTargetCluster[];
  switch (kind) {
    case 'Duplicated':
      result = state.candidates.map((c) => ({ name: c.name, replicas: state.replicas }));
      break;
    case 'StaticWeight':
      result = assignByStaticWeight(state, strategy);
      break;
    case 'Aggregated':
    case 'DynamicWeight':
      result = assignByDynamic(state, kind);
      break;
  }
  return result.filter((c) => c.replicas > 0).map((c) => ({ name: c.name, replicas: c.replicas }));
}

/** `newAssignState`'s choice of strategy; an incomplete Divided strategy fails as in Karmada. */
function strategyKind(strategy: KarmadaReplicaStrategy): StrategyKind {
  if (strategy.type === 'Duplicated') return 'Duplicated';
  if (strategy.type === 'Divided') {
    if (strategy.preference === 'Aggregated') return 'Aggregated';
    if (strategy.preference === 'Weighted') return strategy.dynamicWeight ? 'DynamicWeight' : 'StaticWeight';
  }
  throw new KarmadaSchedulingError(
    `unsupported replica scheduling strategy, replicaSchedulingType: ${strategy.type}, replicaDivisionPreference: ${strategy.preference ?? ''}, please try another scheduling strategy`,
    false,
  );
}

/** `ClusterMatches` on resolved selectors. */
export function karmadaClusterMatches(name: string, affinity: KarmadaClusterAffinity): boolean {
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.matches && !affinity.matches(name)) return false;
  const names = affinity.clusterNames;
  return !names || names.length === 0 || names.includes(name);
}

/**
 * `assignByStaticWeightStrategy` + `getStaticWeightInfoList`: each candidate takes the largest
 * weight of the rules it matches; candidates with weight 0 are left out; when no candidate has a
 * positive weight (or no weights are given) all weigh 1. Available replicas play no part.
 */
function assignByStaticWeight(state: State, strategy: KarmadaReplicaStrategy): KarmadaTargetCluster[] {
  const weights: KarmadaClusterWeight[] = [];
  const givenWeights = strategy.staticWeights !== undefined || strategy.staticWeightList !== undefined;
  if (givenWeights) {
    for (const c of state.candidates) {
      let weight = 0;
      const direct = strategy.staticWeights?.[c.name];
      if (direct !== undefined && Object.prototype.hasOwnProperty.call(strategy.staticWeights, c.name)) weight = Math.max(weight, direct);
      for (const rule of strategy.staticWeightList ?? []) {
        if (karmadaClusterMatches(c.name, rule.targetCluster)) weight = Math.max(weight, rule.weight);
      }
      if (weight > 0) weights.push({ name: c.name, weight });
    }
  }
  if (weights.length === 0) for (const c of state.candidates) weights.push({ name: c.name, weight: 1 });
  return dispenseByWeight(state.replicas, weights, undefined, state.uid);
}

/** `TargetClustersList` order (replicas descending) through Go's `sort.Sort`. */
function sortByReplicasDescending(list: KarmadaTargetCluster[]): KarmadaTargetCluster[] {
  return goSortSort(list, (a, b) => a.replicas > b.replicas);
}

/**
 * `assignByDynamicStrategy`: Fresh mode recomputes from scratch; Steady mode scales down in
 * proportion to the previous assignment, or divides only the increment on scale up (a first
 * schedule is a scale up from nothing), or keeps the previous assignment when the count is unchanged.
 */
function assignByDynamic(state: State, kind: 'Aggregated' | 'DynamicWeight'): KarmadaTargetCluster[] {
  // buildScheduledClusters: previous replicas on clusters that are still candidates.
  const candidateNames = new Set(state.candidates.map((c) => c.name));
  const scheduled = state.previous.filter((c) => candidateNames.has(c.name)).map((c) => ({ name: c.name, replicas: c.replicas }));
  const assigned = sum(scheduled);

  if (state.fresh) {
    // dynamicFreshScale: estimator replicas plus the replicas already placed, no merge afterwards.
    const available = state.candidates.map((c) => ({ name: c.name, replicas: c.allocatable }));
    for (const s of scheduled) {
      const a = available.find((x) => x.name === s.name);
      if (a) a.replicas += s.replicas;
    }
    return divide(state, kind, 'failed to do fresh scale', state.replicas, sortByReplicasDescending(available), []);
  }
  if (assigned > state.replicas) {
    // dynamicScaleDown: the previous assignment is the weight; treated as a first schedule.
    return divide(state, kind, 'failed to scale down', state.replicas, sortByReplicasDescending(scheduled.slice()), []);
  }
  if (assigned < state.replicas) {
    // dynamicScaleUp: only the increment is divided, by the estimator's replicas, then merged.
    const available = state.candidates.map((c) => ({ name: c.name, replicas: c.allocatable }));
    return divide(state, kind, 'failed to scale up', state.replicas - assigned, sortByReplicasDescending(available), scheduled);
  }
  return scheduled;
}

/** `dynamicDivideReplicas`. */
function divide(
  state: State,
  kind: 'Aggregated' | 'DynamicWeight',
  context: string,
  target: number,
  availableSorted: KarmadaTargetCluster[],
  scheduled: readonly KarmadaTargetCluster[],
): KarmadaTargetCluster[] {
  const availableReplicas = sum(availableSorted);
  if (availableReplicas < target) {
    throw new KarmadaSchedulingError(
      `${context}: Clusters available replicas ${availableReplicas} are not enough to schedule.`,
      true,
    );
  }
  let weightsFrom = availableSorted;
  if (kind === 'Aggregated') {
    // resortAvailableClusters: clusters that already hold replicas first, then the fewest
    // clusters (in that order) whose available replicas cover the target.
    const prior = new Set(scheduled.filter((c) => c.replicas > 0).map((c) => c.name));
    if (prior.size > 0) {
      weightsFrom = [...availableSorted.filter((c) => prior.has(c.name)), ...availableSorted.filter((c) => !prior.has(c.name))];
    }
    let acc = 0;
    for (let i = 0; i < weightsFrom.length; i++) {
      acc = (acc + weightsFrom[i]!.replicas) | 0; // int32, as in Go
      if (acc >= target) {
        weightsFrom = weightsFrom.slice(0, i + 1);
        break;
      }
    }
  }
  return mergeTargetClusters(scheduled, spreadReplicasByTargetClusters(target, weightsFrom, undefined, state.uid));
}

/**
 * `util.MergeTargetClusters`: adds the old replicas to the new result; old clusters missing from
 * the new result are appended (Go appends them in map order, i.e. at random; here in their
 * previous order).
 */
function mergeTargetClusters(old: readonly KarmadaTargetCluster[], fresh: KarmadaTargetCluster[]): KarmadaTargetCluster[] {
  if (old.length === 0) return fresh;
  if (fresh.length === 0) return old.map((c) => ({ ...c }));
  const oldMap = new Map<string, number>();
  for (const c of old) oldMap.set(c.name, c.replicas);
  const merged = fresh.map((c) => {
    const v = oldMap.get(c.name);
    if (v === undefined) return c;
    oldMap.delete(c.name);
    return { name: c.name, replicas: c.replicas + v };
  });
  for (const [name, replicas] of oldMap) merged.push({ name, replicas });
  return merged;
}

/** `util.GetSumOfReplicas`: an int32 sum, wrapping around as Go's does on overflow. */
function sum(list: readonly KarmadaTargetCluster[]): number {
  let s = 0;
  for (const c of list) s = (s + c.replicas) | 0;
  return s;
}

function isCount(x: unknown, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

/** Checks the input and builds the `ClusterDetailInfo` view of the candidates. */
function validate(input: KarmadaDivisionInput): Candidate[] {
  if (!isCount(input.replicas, INT32_MAX)) throw new ModelError('replicas', `must be an integer in 0..${INT32_MAX}, got ${String(input.replicas)}`);
  const s = input.strategy as KarmadaReplicaStrategy | undefined;
  // Unknown type/preference strings are not rejected here: Karmada fails on them at assignment
  // time with its own message (see strategyKind).
  if (!s || typeof s.type !== 'string') throw new ModelError('strategy.type', 'is missing');
  if (s.dynamicWeight !== undefined && (s.dynamicWeight as string) !== '' && s.dynamicWeight !== 'AvailableReplicas') {
    throw new ModelError('strategy.dynamicWeight', `must be "AvailableReplicas", got ${JSON.stringify(s.dynamicWeight)}`);
  }
  for (const [name, w] of Object.entries(s.staticWeights ?? {})) {
    if (!isCount(w)) throw new ModelError(`strategy.staticWeights["${name}"]`, `must be a non-negative integer, got ${String(w)}`);
  }
  (s.staticWeightList ?? []).forEach((rule, i) => {
    if (!isCount(rule.weight)) throw new ModelError(`strategy.staticWeightList[${i}].weight`, `must be a non-negative integer, got ${String(rule.weight)}`);
  });
  const previous = input.previous ?? [];
  const previousByName = new Map<string, number>();
  previous.forEach((c, i) => {
    if (typeof c.name !== 'string' || c.name === '') throw new ModelError(`previous[${i}].name`, 'must be a non-empty string');
    if (!isCount(c.replicas, INT32_MAX)) throw new ModelError(`previous[${i}].replicas`, `must be an integer in 0..${INT32_MAX}, got ${String(c.replicas)}`);
    // AssignedReplicasForCluster reads the first entry of a name.
    if (!previousByName.has(c.name)) previousByName.set(c.name, c.replicas);
  });
  const seen = new Set<string>();
  return input.clusters.map((c: KarmadaCluster, i) => {
    if (typeof c.name !== 'string' || c.name === '') throw new ModelError(`clusters[${i}].name`, 'must be a non-empty string');
    if (seen.has(c.name)) throw new ModelError(`clusters[${i}].name`, `"${c.name}" appears twice`);
    seen.add(c.name);
    if (!isCount(c.availableReplicas, INT32_MAX)) {
      throw new ModelError(`clusters[${i}].availableReplicas`, `must be an integer in 0..${INT32_MAX}, got ${String(c.availableReplicas)}`);
    }
    const order = c.overflowOrder ?? 0;
    if (!isCount(order)) throw new ModelError(`clusters[${i}].overflowOrder`, `must be a non-negative integer, got ${String(order)}`);
    return {
      name: c.name,
      allocatable: c.availableReplicas,
      available: c.availableReplicas + (previousByName.get(c.name) ?? 0),
      overflowOrder: order,
    };
  });
}
