import type { ReplicaClusterInput, ReplicaInput, ReplicaSpreadInput, ReplicaWorkloadInput } from '@emplace/assignment';
import { freeCapacity, pricePerSolverUnit, solverUnits } from './capacity.js';
import { clusterMatches, filterClusters } from './karmada-filter.js';
import type { ClusterAffinity, FailureDomain, KarmadaBinding, KarmadaCluster, KarmadaPlacement, SpreadConstraint } from './karmada.js';

/**
 * `--strategy optimal`: one ReplicaInput for every binding of the input, placed jointly over
 * the clusters' shared free capacity by @emplace/assignment's exact solver.
 *
 * Mapping (documented in docs/guides/kubernetes.md):
 *  - dimensions: every requested resource plus `pods`; cpu in millicores, other resources in
 *    whole units (memory in bytes), free = allocatable - allocated - allocating (never < 0),
 *    as Karmada's estimator counts them; a resource a cluster does not report is 0 there;
 *  - price: the Cluster's price annotation, converted to those units, so the cost of a
 *    placement is sum of replicas x sum of request x price (cpu per core, memory per GiB);
 *  - allowed: the clusters Karmada's filters keep (affinity, taints, spread fields);
 *    `clusterAffinities` become ordered tiers (a term's overflow affinities join its tier);
 *  - spread constraints: groups by cluster / region / zone / provider / label, minGroups..maxGroups;
 *  - annotations: min-available over the failure domain, max-moves from spec.clusters;
 *  - Duplicated placements stay duplicated; division preferences and weights are ignored
 *    (they are the karmada strategy's business).
 */

/** Labels emplace adds to a cluster so that spread and survivability can group by its spec fields. */
export const FIELD_LABEL = { region: 'field.placement.emplace.dev/region', zone: 'field.placement.emplace.dev/zone', provider: 'field.placement.emplace.dev/provider' } as const;

function fieldKey(field: 'cluster' | 'region' | 'zone' | 'provider'): string {
  return field === 'cluster' ? 'cluster' : FIELD_LABEL[field];
}

export function clusterLabels(c: KarmadaCluster): Record<string, string> {
  const labels: Record<string, string> = { ...c.labels };
  if (c.region) labels[FIELD_LABEL.region] = c.region;
  if (c.provider) labels[FIELD_LABEL.provider] = c.provider;
  // A cluster spanning several zones is one group of its own ("a,b").
  if (c.zones.length > 0) labels[FIELD_LABEL.zone] = [...c.zones].sort().join(',');
  return labels;
}

export interface OptimalBinding {
  binding: KarmadaBinding;
  placement: KarmadaPlacement;
}

/** The workload id of a binding in the ReplicaInput. */
export function workloadId(b: KarmadaBinding): string {
  const m = b.object.metadata;
  return `${b.object.kind}/${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}

function spreadInput(s: SpreadConstraint): ReplicaSpreadInput {
  const out: ReplicaSpreadInput = { key: s.spreadByField ? fieldKey(s.spreadByField) : s.spreadByLabel! };
  if (s.minGroups > 0) out.minGroups = s.minGroups;
  if (s.maxGroups > 0) out.maxGroups = s.maxGroups;
  return out;
}

function domainKey(d: FailureDomain): string {
  return d === 'cluster' ? 'cluster' : FIELD_LABEL[d];
}

export function requestUnits(b: KarmadaBinding): Record<string, number> {
  const out: Record<string, number> = { pods: 1 };
  for (const [name, q] of b.request ?? []) if (name !== 'pods') out[name] = Math.max(0, solverUnits(name, q));
  return out;
}

/** Price of one replica of `b` on `c` per hour. */
export function replicaPrice(b: KarmadaBinding, c: KarmadaCluster): number {
  let s = 0;
  const req = requestUnits(b);
  for (const [d, q] of Object.entries(req)) {
    const p = c.price[d];
    if (p !== undefined) s += q * pricePerSolverUnit(d, p);
  }
  return s;
}

export function buildReplicaInput(items: readonly OptimalBinding[], clusters: readonly KarmadaCluster[]): ReplicaInput {
  const dims = new Set<string>(['pods']);
  for (const { binding } of items) for (const name of binding.request?.keys() ?? []) dims.add(name);
  const dimensions = [...dims];
  const live = clusters.filter((c) => !c.deleting);
  const clusterInputs: ReplicaClusterInput[] = live.map((c) => {
    const price: Record<string, number> = {};
    for (const d of dimensions) if (c.price[d] !== undefined) price[d] = pricePerSolverUnit(d, c.price[d]);
    return { id: c.name, labels: clusterLabels(c), free: freeCapacity(c, dimensions), price };
  });
  const workloads = items.map(({ binding, placement }): ReplicaWorkloadInput => {
    const w: ReplicaWorkloadInput = { id: workloadId(binding), replicas: binding.replicas, request: requestUnits(binding) };
    const terms = placement.clusterAffinity ? undefined : placement.clusterAffinities;
    const affinity = placement.clusterAffinity ? [placement.clusterAffinity] : terms && terms.length > 0 ? terms.flatMap((t): ClusterAffinity[] => [t, ...t.overflow]) : undefined;
    const allowed = filterClusters(binding, placement, affinity, live).feasible;
    w.allowed = allowed.map((c) => c.name);
    if (terms && terms.length > 0) w.tiers = terms.map((t) => allowed.filter((c) => [t, ...t.overflow].some((a) => clusterMatches(c, a))).map((c) => c.name));
    const rs = placement.replicaScheduling;
    w.mode = !rs || rs.type === 'Duplicated' ? 'duplicated' : 'divided';
    if (placement.spreadConstraints.length > 0) w.spread = placement.spreadConstraints.map(spreadInput);
    if (binding.minAvailable !== undefined) w.survivability = { domain: domainKey(binding.failureDomain), minAvailable: binding.minAvailable };
    if (binding.clusters.length > 0) {
      const current: Record<string, number> = {};
      const known = new Set(live.map((c) => c.name));
      for (const c of binding.clusters) if (known.has(c.name)) current[c.name] = (current[c.name] ?? 0) + c.replicas;
      w.current = current;
    }
    if (binding.maxMoves !== undefined) w.maxMoves = binding.maxMoves;
    if (binding.uid) w.uid = binding.uid;
    return w;
  });
  return { dimensions, clusters: clusterInputs, workloads, objective: { cost: 1 } };
}
