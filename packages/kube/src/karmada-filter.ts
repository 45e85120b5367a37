import type { ClusterAffinity, KarmadaBinding, KarmadaCluster, KarmadaPlacement } from './karmada.js';
import { fieldSelectorMatches, selectorMatches, untoleratedTaint } from './selector.js';

/**
 * Karmada's filter and score steps for one binding, on Cluster objects: which clusters are
 * feasible, why the others are not, and the candidates in the scheduler's order.
 */

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
 * Runs Karmada's default filter plugins: APIEnablement (when the cluster lists its APIs),
 * TaintToleration (NoSchedule / NoExecute; both skipped for clusters the binding is already
 * on), ClusterAffinity (any of `affinities`), SpreadConstraint (the spread field must be set)
 * and ClusterEviction (gracefulEvictionTasks). Clusters being deleted are skipped, as in
 * findClustersThatFit.
 */
export function filterClusters(binding: KarmadaBinding, placement: KarmadaPlacement, affinities: readonly ClusterAffinity[] | undefined, clusters: readonly KarmadaCluster[]): FilterOutcome {
  const rejected = new Map<string, string>();
  const feasible: KarmadaCluster[] = [];
  const current = new Set(binding.clusters.map((c) => c.name));
  for (const c of clusters) {
    if (c.deleting) continue;
    // APIEnablement: only judged when the cluster reports its APIs (emplace's leniency: fixtures often omit them).
    if (!current.has(c.name) && c.apis && !c.apis.has(`${binding.resource.apiVersion} ${binding.resource.kind}`)) {
      rejected.set(c.name, 'cluster(s) did not have the API resource');
      continue;
    }
    if (!current.has(c.name)) {
      const t = untoleratedTaint(c.taints, placement.clusterTolerations, ['NoSchedule', 'NoExecute']);
      if (t) {
        rejected.set(c.name, `cluster(s) had untolerated taint {${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}}`);
        continue;
      }
    }
    if (affinities && !affinities.some((a) => clusterMatches(c, a))) {
      rejected.set(c.name, 'cluster(s) did not match the placement cluster affinity constraint');
      continue;
    }
    const spreadMiss = placement.spreadConstraints.find(
      (s) => (s.spreadByField === 'provider' && !c.provider) || (s.spreadByField === 'region' && !c.region) || (s.spreadByField === 'zone' && c.zones.length === 0),
    );
    if (spreadMiss) {
      rejected.set(c.name, `cluster(s) did not have ${spreadMiss.spreadByField === 'zone' ? 'zones' : spreadMiss.spreadByField} property`);
      continue;
    }
    if (binding.evicting.has(c.name)) {
      rejected.set(c.name, 'cluster(s) is in the process of eviction');
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
