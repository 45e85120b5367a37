/**
 * Karmada's cluster selection before replica assignment (`pkg/scheduler/core/common.go`
 * `SelectClusters`, `pkg/scheduler/core/spreadconstraint`): orders the candidates
 * (`GroupClustersWithScore`), then applies the spread constraints (`SelectBestClusters`).
 *
 * Karmada selects by region and/or by cluster only: zone and provider groups are computed but no
 * selection uses them, and a placement whose spread constraints name neither region nor cluster
 * fails with `just support cluster and region spread constraint`; this is reproduced.
 */
import { ModelError } from '@emplace/core';
import { KarmadaSchedulingError } from './errors.js';
import { karmadaSelectGroups, type KarmadaGroup } from './select-groups.js';
import type { KarmadaTargetCluster } from './dispenser.js';
import type { KarmadaCluster, KarmadaReplicaStrategy } from './types.js';
import { goStringLess } from './webster.js';

/** A feasible cluster with what the selection reads of it. */
export interface KarmadaSelectableCluster extends KarmadaCluster {
  /**
   * Sum of the score plugins. Default: Karmada's in-tree plugins, i.e. 100 when the binding
   * already has the cluster in `spec.clusters` (ClusterLocality), else 0.
   */
  readonly score?: number;
  /** `spec.region`. */
  readonly region?: string;
}

/** One `spreadConstraints` entry. `spreadByLabel` constraints have no field. */
export interface KarmadaSpreadConstraint {
  readonly spreadByField?: 'cluster' | 'region' | 'zone' | 'provider';
  readonly spreadByLabel?: string;
  readonly minGroups?: number;
  readonly maxGroups?: number;
}

export interface KarmadaSelectionInput {
  /** Clusters that passed the filters, any order. */
  readonly clusters: readonly KarmadaSelectableCluster[];
  readonly spreadConstraints?: readonly KarmadaSpreadConstraint[];
  /** `placement.replicaScheduling`; undefined when the placement has none (Duplicated). */
  readonly strategy?: KarmadaReplicaStrategy;
  /** `spec.replicas`. */
  readonly replicas: number;
  /** `spec.clusters`. */
  readonly previous?: readonly KarmadaTargetCluster[];
}

const INT64_MIN = -(1n << 63n);
const WEIGHT_UNIT = 1000n;
const INVALID_REPLICAS = -1;

/** `ClusterDetailInfo` as the selection sees it. */
interface Detail {
  readonly cluster: KarmadaSelectableCluster;
  readonly name: string;
  readonly score: bigint;
  readonly overflowOrder: number;
  /** Estimator replicas plus this binding's replicas already on the cluster. */
  readonly available: bigint;
}

/** `sortClusters`: overflow tier, then score descending, then the extra comparisons, then name. */
function sortDetails(list: Detail[], byAvailable: boolean): Detail[] {
  return list.sort((a, b) => {
    if (a.overflowOrder !== b.overflowOrder) return a.overflowOrder - b.overflowOrder;
    if (a.score !== b.score) return a.score > b.score ? -1 : 1;
    if (byAvailable && a.available !== b.available) return a.available > b.available ? -1 : 1;
    return goStringLess(a.name, b.name) ? -1 : goStringLess(b.name, a.name) ? 1 : 0;
  });
}

/**
 * The candidates in the order Karmada hands them to the replica assignment when no spread
 * constraint selects among them (`generateClustersInfo`): overflow tier, score descending,
 * available replicas (estimate plus replicas already there) descending, name.
 */
export function karmadaSortCandidates<C extends KarmadaSelectableCluster>(
  clusters: readonly C[],
  previous: readonly KarmadaTargetCluster[] = [],
): C[] {
  return sortDetails(details(clusters, previous), true).map((d) => d.cluster as C);
}

function details(clusters: readonly KarmadaSelectableCluster[], previous: readonly KarmadaTargetCluster[]): Detail[] {
  const assigned = new Map<string, number>();
  for (const p of previous) if (!assigned.has(p.name)) assigned.set(p.name, p.replicas);
  return clusters.map((c, i) => {
    if (c.score !== undefined && !Number.isInteger(c.score)) throw new ModelError(`clusters[${i}].score`, `must be an integer, got ${c.score}`);
    const locality = previous.some((p) => p.name === c.name) ? 100 : 0;
    return {
      cluster: c,
      name: c.name,
      score: BigInt(c.score ?? locality),
      overflowOrder: c.overflowOrder ?? 0,
      available: BigInt(c.availableReplicas) + BigInt(assigned.get(c.name) ?? 0),
    };
  });
}

/** Go's signed 64-bit wrap-around. */
const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Go's int64(math.Ceil(float64(a) / float64(b))), with amd64's answer (MinInt64) for a division by 0. */
function ceilDivAsGo(a: number, b: number): bigint {
  if (b === 0) return a === 0 ? 0n /* NaN converts to MinInt64 too, but 0 replicas is never divided */ : INT64_MIN;
  return BigInt(Math.ceil(a / b));
}

/** `calcGroupScoreForDuplicate`. */
function duplicateGroupScore(clusters: readonly Detail[], replicas: number): bigint {
  let valid = 0n;
  let sumScore = 0n;
  for (const c of clusters) {
    if (c.available >= BigInt(replicas)) {
      valid++;
      sumScore += c.score;
    }
  }
  if (valid === 0n) return 0n;
  return i64(valid * WEIGHT_UNIT + sumScore / valid);
}

/** `calcGroupScore` for a region with the region constraint's `minGroups`. */
function groupScore(clusters: readonly Detail[], input: KarmadaSelectionInput, minGroups: number): bigint {
  if (!input.strategy || input.strategy.type === 'Duplicated') return duplicateGroupScore(clusters, input.replicas);
  let target = ceilDivAsGo(input.replicas, minGroups);
  let clusterMinGroups = 0;
  for (const sc of input.spreadConstraints ?? []) if (sc.spreadByField === 'cluster') clusterMinGroups = sc.minGroups ?? 0;
  if (clusterMinGroups < minGroups) clusterMinGroups = minGroups;
  let sumAvailable = 0n;
  let sumScore = 0n;
  let valid = 0n;
  for (const c of clusters) {
    sumAvailable += c.available;
    sumScore += c.score;
    valid++;
    if (valid >= BigInt(clusterMinGroups) && sumAvailable >= target) break;
  }
  if (sumAvailable < target) return i64(i64(sumAvailable * WEIGHT_UNIT) + sumScore / BigInt(clusters.length));
  target = i64(target * WEIGHT_UNIT);
  return i64(target + sumScore / valid);
}

/**
 * `shouldIgnoreSpreadConstraint`: a Weighted division without a weight preference, or with a
 * static weight list and no dynamic weight, ignores the spread constraints. `staticWeights` or
 * `staticWeightList` given but empty stands for a present, empty `weightPreference`.
 */
function spreadIgnored(strategy: KarmadaReplicaStrategy | undefined): boolean {
  if (!strategy || strategy.type !== 'Divided' || strategy.preference !== 'Weighted') return false;
  const dynamic = Boolean(strategy.dynamicWeight);
  const preferenceGiven = dynamic || strategy.staticWeights !== undefined || strategy.staticWeightList !== undefined;
  const staticCount = (strategy.staticWeightList?.length ?? 0) + Object.keys(strategy.staticWeights ?? {}).length;
  return !preferenceGiven || (staticCount !== 0 && !dynamic);
}

/**
 * `SelectClusters`: the clusters Karmada passes to the replica assignment, in its order.
 * @throws KarmadaSchedulingError with Karmada's message when the spread constraints cannot be met
 *   (Karmada's `Schedule` prefixes it with `failed to select clusters: `).
 */
export function karmadaSelectClusters<C extends KarmadaSelectableCluster>(input: KarmadaSelectionInput & { clusters: readonly C[] }): C[] {
  const previous = input.previous ?? [];
  const all = sortDetails(details(input.clusters, previous), true);
  const constraints = input.spreadConstraints ?? [];
  if (constraints.length === 0 || spreadIgnored(input.strategy)) return all.map((d) => d.cluster as C);

  const needReplicas = !input.strategy || input.strategy.type === 'Duplicated' ? INVALID_REPLICAS : input.replicas;
  const byField = new Map<string, KarmadaSpreadConstraint>();
  for (const sc of constraints) byField.set(sc.spreadByField ?? '', sc);
  const region = byField.get('region');
  const cluster = byField.get('cluster');
  let chosen: Detail[];
  if (region) chosen = selectByRegion(all, input, region, cluster);
  else if (cluster) chosen = selectByCluster(all, cluster, needReplicas);
  else throw new KarmadaSchedulingError('just support cluster and region spread constraint', false);
  return chosen.map((d) => d.cluster as C);
}

/** `selectBestClustersByCluster` with `selectClustersByAvailableResource`. */
function selectByCluster(all: Detail[], constraint: KarmadaSpreadConstraint, needReplicas: number): Detail[] {
  const minGroups = constraint.minGroups ?? 0;
  if (all.length < minGroups) throw new KarmadaSchedulingError('the number of feasible clusters is less than spreadConstraint.MinGroups', false);
  const needCnt = Math.max(0, Math.min(all.length, constraint.maxGroups ?? 0));
  if (needReplicas === INVALID_REPLICAS) return all.slice(0, needCnt);
  const ret = all.slice(0, needCnt);
  const rest = all.slice(needCnt);
  const enough = () => ret.reduce((s, c) => s + c.available, 0n) >= BigInt(needReplicas);
  // Replace the lowest-ranked selected clusters, from the last, by the unselected cluster with the
  // most available replicas (the first such one) while that is more than the replaced one has.
  for (let update = ret.length - 1; !enough() && update >= 0; update--) {
    let best = -1;
    let bestAvailable = ret[update]!.available;
    for (let i = 0; i < rest.length; i++) {
      if (bestAvailable < rest[i]!.available) {
        best = i;
        bestAvailable = rest[i]!.available;
      }
    }
    if (best < 0) continue;
    const t = ret[update]!;
    ret[update] = rest[best]!;
    rest[best] = t;
  }
  // Karmada fails on an empty selection too (e.g. maxGroups 0), not only on a short one.
  if (!enough() || ret.length === 0) throw new KarmadaSchedulingError(`no enough resource when selecting ${needCnt} clusters`, false);
  return ret;
}

/** `selectBestClustersByRegion` on the regions `generateRegionInfo` builds and scores. */
function selectByRegion(
  all: Detail[],
  input: KarmadaSelectionInput,
  regionConstraint: KarmadaSpreadConstraint,
  clusterConstraint: KarmadaSpreadConstraint | undefined,
): Detail[] {
  // Clusters of each region keep the global order; clusters without a region are left out.
  const regions = new Map<string, Detail[]>();
  for (const d of all) {
    const r = d.cluster.region;
    if (!r) continue;
    const list = regions.get(r);
    if (list) list.push(d);
    else regions.set(r, [d]);
  }
  const regionMin = regionConstraint.minGroups ?? 0;
  const groups = [...regions].map(([name, clusters]) => ({ name, weight: groupScore(clusters, input, regionMin), clusters }));
  return selectFromRegions(groups, regionConstraint, clusterConstraint);
}

/** A region as `RegionInfo`: its score and its clusters in Karmada's order. */
export interface KarmadaRegionInfo<C extends KarmadaSelectableCluster = KarmadaSelectableCluster> {
  readonly name: string;
  readonly score: number;
  /** In Karmada's order; `availableReplicas` here is `AvailableReplicas` (including replicas already there). */
  readonly clusters: readonly C[];
}

/**
 * `selectBestClustersByRegion` on given region infos (scores computed elsewhere), as
 * Karmada's unit tests call it: the top cluster of each chosen region first (regions heaviest
 * first), then the best remaining clusters up to the cluster spread's maxGroups.
 */
export function karmadaSelectBestClustersByRegion<C extends KarmadaSelectableCluster>(
  regions: readonly KarmadaRegionInfo<C>[],
  regionConstraint: KarmadaSpreadConstraint,
  clusterConstraint?: KarmadaSpreadConstraint,
): C[] {
  const groups = regions.map((r) => ({
    name: r.name,
    weight: BigInt(r.score),
    clusters: r.clusters.map((c) => ({
      cluster: c,
      name: c.name,
      score: BigInt(c.score ?? 0),
      overflowOrder: c.overflowOrder ?? 0,
      available: BigInt(c.availableReplicas),
    })),
  }));
  return selectFromRegions(groups, regionConstraint, clusterConstraint).map((d) => d.cluster as C);
}

function selectFromRegions(
  regions: readonly { name: string; weight: bigint; clusters: Detail[] }[],
  regionConstraint: KarmadaSpreadConstraint,
  clusterConstraint: KarmadaSpreadConstraint | undefined,
): Detail[] {
  const regionMin = regionConstraint.minGroups ?? 0;
  if (regions.length < regionMin) throw new KarmadaSchedulingError('the number of feasible region is less than spreadConstraint.MinGroups', false);
  const byName = new Map(regions.map((r) => [r.name, r.clusters]));
  const groups: KarmadaGroup[] = regions.map((r) => ({ name: r.name, value: r.clusters.length, weight: r.weight }));
  const picked = karmadaSelectGroups(groups, regionMin, regionConstraint.maxGroups ?? 0, clusterConstraint?.minGroups ?? 0);
  if (picked.length === 0) throw new KarmadaSchedulingError('the number of clusters is less than the cluster spreadConstraint.MinGroups', false);

  const selected: Detail[] = [];
  const candidates: Detail[] = [];
  for (const g of picked) {
    const clusters = byName.get(g.name)!;
    selected.push(clusters[0]!);
    candidates.push(...clusters.slice(1));
  }
  const needCnt = Math.min(candidates.length + selected.length, clusterConstraint?.maxGroups ?? 0);
  const restCnt = needCnt - selected.length;
  if (restCnt > 0) {
    sortDetails(candidates, true);
    selected.push(...candidates.slice(0, restCnt));
  }
  return selected;
}

/**
 * `calcGroupScore` (and `calcGroupScoreForDuplicate` for Duplicated or no strategy) of one
 * topology group, on its clusters in Karmada's order; `availableReplicas` here is
 * `AvailableReplicas` (including replicas already there). `minGroups` is the group constraint's.
 */
export function karmadaGroupScore(
  clusters: readonly KarmadaSelectableCluster[],
  spec: Pick<KarmadaSelectionInput, 'strategy' | 'replicas' | 'spreadConstraints'>,
  minGroups: number,
): bigint {
  const ds: Detail[] = clusters.map((c) => ({
    cluster: c,
    name: c.name,
    score: BigInt(c.score ?? 0),
    overflowOrder: c.overflowOrder ?? 0,
    available: BigInt(c.availableReplicas),
  }));
  return groupScore(ds, { clusters, ...spec }, minGroups);
}
