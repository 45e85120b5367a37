import { ANNOTATIONS } from './annotations.js';
import type { ClusterShare, Decision, ObjectPatch } from './decision.js';
import type { OcmWorld } from './ocm-read.js';
import { clusterScore, eligibleClusters, selectClusters } from './ocm-select.js';
import { placementDecisions, placementScores } from './ocm-write.js';

/**
 * Open Cluster Management: ManagedCluster, ManagedClusterSet, ManagedClusterSetBinding and
 * Placement in (ocm-read), the clusters picked (ocm-select), PlacementDecision (at most 100
 * decisions per object, a reason on each) and AddOnPlacementScore (scores -100..100 with
 * validUntil) out (ocm-write). This file ties the three into one decision per Placement.
 */

export * from './ocm-read.js';
export { eligibleClusters, selectClusters } from './ocm-select.js';
export { placementDecisions, placementScores } from './ocm-write.js';

export async function scheduleOcmWorld(w: OcmWorld, options: { now?: Date; select?: 'all' | 'ours' }): Promise<Decision[]> {
  const now = options.now ?? new Date();
  const placements = options.select === 'ours' ? w.placements.filter((p) => p.object.metadata.annotations[ANNOTATIONS.ocmScheduler] === 'true') : w.placements;
  const out: Decision[] = [];
  for (const p of placements) {
    const m0 = p.object.metadata;
    if (p.usesCel) {
      // Selecting without the CEL predicate would pick clusters it excludes: decide nothing.
      out.push({ kind: 'Placement', ...(m0.namespace ? { namespace: m0.namespace } : {}), name: m0.name, status: 'error', clusters: [], objective: null, reason: 'spec.predicates use celSelector, which emplace does not evaluate', source: p.object, written: [], patches: [] });
      continue;
    }
    const { eligible, rejected } = eligibleClusters(p, w);
    const { chosen, unsatisfied } = selectClusters(p, eligible);
    const priced = eligible.some((c) => Object.keys(c.price).length > 0);
    const written = [...placementDecisions(p, chosen), ...placementScores(eligible.map((c) => ({ cluster: c, score: clusterScore(c, p, priced) })), now)];
    const patches: ObjectPatch[] = written.map((o) => {
      const meta = o.metadata as { name: string; namespace?: string };
      return { apiVersion: o.apiVersion as string, kind: o.kind as string, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}), action: 'apply', body: o };
    });
    const m = p.object.metadata;
    const clusters: ClusterShare[] = chosen.map((c) => ({ name: c.cluster.name, replicas: 1, why: c.reason }));
    const ok = chosen.length > 0 && unsatisfied === undefined;
    const rejectedNote = rejected.size > 0 ? `; ${rejected.size} cluster(s) not eligible (${[...new Set(rejected.values())].join('; ')})` : '';
    out.push({
      kind: 'Placement',
      ...(m.namespace ? { namespace: m.namespace } : {}),
      name: m.name,
      status: ok ? 'scheduled' : 'infeasible',
      clusters,
      objective: ok ? chosen.reduce((s, c) => s + (c.cluster.price.cpu ?? 0) + (c.cluster.price.memory ?? 0), 0) : null,
      reason: ok ? `${chosen.length} cluster(s) selected${rejectedNote}` : `${unsatisfied ?? 'no eligible cluster'}${rejectedNote}`,
      source: p.object,
      written,
      patches,
    });
  }
  return out;
}
