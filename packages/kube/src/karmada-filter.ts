import { estimateReplicas } from './capacity.js';
import type { ClusterAffinity, KarmadaBinding, KarmadaCluster, KarmadaPlacement } from './karmada.js';
import { fieldSelectorMatches, selectorMatches, untoleratedTaint } from './selector.js';

/**
 * Karmada's filter and score steps for one binding, on Cluster objects: which clusters are
 * feasible, why the others are not, and the candidates in the scheduler's order.
 */

const INT32_MAX = 2 ** 31 - 1;

/** util.ClusterMatches: exclude, then label selector, field selector, and clusterNames. */
export function clusterMatches(c: KarmadaCluster, a: ClusterAffinity): boolean {
  if (a.exclude.includes(c.name)) return false;
  if (a.labelSelector && !selectorMatches(a.labelSelector, c.labels)) return false;
  if (a.fieldSelector && !fieldSelectorMatches(a.fieldSelector, { ...(c.provider ? { provider: c.provider } : {}), ...(c.region ? { region: c.region } : {}), zones: c.zones })) return false;
  return a.clusterNames.length === 0 || a.clusterNames.includes(c.name);
}

export interface FilterOutcome {
  feasible: KarmadaCluster[];
  /** Cluster name -> Karmada's reason for leaving it out. */
  rejected: Map<string, string>;
  total: number;
}

/**
 * Runs the filter plugins Karmada enables by default that depend on the objects emplace reads:
 * ClusterAffinity (any of `affinities`), TaintToleration (NoSchedule / NoExecute, skipped for
 * clusters the binding is already on) and SpreadConstraint (the spread field must be set).
 * Clusters being deleted are skipped, as in findClustersThatFit.
 */
export function filterClusters(binding: KarmadaBinding, placement: KarmadaPlacement, affinities: readonly ClusterAffinity[] | undefined, clusters: readonly KarmadaCluster[]): FilterOutcome {
  const rejected = new Map<string, string>();
  const feasible: KarmadaCluster[] = [];
  const current = new Set(binding.clusters.map((c) => c.name));
  for (const c of clusters) {
    if (c.deleting) continue;
    if (affinities && !affinities.some((a) => clusterMatches(c, a))) {
      rejected.set(c.name, 'cluster(s) did not match the placement cluster affinity constraint');
      continue;
    }
    if (!current.has(c.name)) {
      const t = untoleratedTaint(c.taints, placement.clusterTolerations, ['NoSchedule', 'NoExecute']);
      if (t) {
        rejected.set(c.name, `cluster(s) had untolerated taint {${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}}`);
        continue;
      }
    }
    const spreadMiss = placement.spreadConstraints.find(
      (s) => (s.spreadByField === 'provider' && !c.provider) || (s.spreadByField === 'region' && !c.region) || (s.spreadByField === 'zone' && c.zones.length === 0),
    );
    if (spreadMiss) {
      rejected.set(c.name, `cluster(s) did not have ${spreadMiss.spreadByField === 'zone' ? 'zones' : spreadMiss.spreadByField} property`);
      continue;
    }
    feasible.push(c);
  }
  return { feasible, rejected, total: clusters.length };
}

/** framework.FitError's message: `0/N clusters are available: 2 reason, 1 other reason.` */
export function fitErrorMessage(outcome: FilterOutcome): string {
  const counts = new Map<string, number>();
  for (const r of outcome.rejected.values()) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${outcome.total} clusters are available: ${parts.join(', ')}.`;
}

export interface Candidate {
  cluster: KarmadaCluster;
  name: string;
  /** The estimator's answer (AllocatableReplicas). */
  allocatable: number;
  /** allocatable plus the replicas this binding already has there (AvailableReplicas). */
  available: number;
  score: number;
  overflowOrder: number;
}

/**
 * calAvailableReplicas + generateClustersInfo + sortClusters: estimator replicas per cluster
 * (MaxInt32 for a workload without replicas, as Karmada), the ClusterLocality score (100 on
 * clusters the binding is on), sorted by overflow order, score, available replicas, name.
 */
export function rankCandidates(binding: KarmadaBinding, feasible: readonly KarmadaCluster[], overflowOrder: (c: KarmadaCluster) => number): Candidate[] {
  const assigned = new Map(binding.clusters.map((c) => [c.name, c.replicas]));
  const out = feasible.map((c): Candidate => {
    let allocatable = binding.replicas === 0 ? INT32_MAX : estimateReplicas(c, binding.request);
    if (allocatable === INT32_MAX && binding.replicas !== 0) allocatable = binding.replicas;
    return {
      cluster: c,
      name: c.name,
      allocatable,
      available: allocatable + (assigned.get(c.name) ?? 0),
      score: binding.clusters.length > 0 && assigned.has(c.name) ? 100 : 0,
      overflowOrder: overflowOrder(c),
    };
  });
  out.sort((a, b) => a.overflowOrder - b.overflowOrder || b.score - a.score || b.available - a.available || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
