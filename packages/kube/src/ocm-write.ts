import { GROUP, MAX_DECISIONS_PER_OBJECT, PLACEMENT_LABEL, SCORE_VALIDITY_MS, type ManagedCluster, type OcmPlacement } from './ocm-read.js';

/** OCM decisions out: PlacementDecision objects (100 per object) and AddOnPlacementScores. */

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** PlacementDecision objects for a placement: decisions sorted by cluster name, 100 per object. */
export function placementDecisions(p: OcmPlacement, chosen: readonly { cluster: ManagedCluster; reason: string }[]): Record<string, unknown>[] {
  const m = p.object.metadata;
  const sorted = [...chosen].sort((a, b) => (a.cluster.name < b.cluster.name ? -1 : a.cluster.name > b.cluster.name ? 1 : 0));
  const chunks: (typeof sorted)[] = [];
  for (let i = 0; i < sorted.length; i += MAX_DECISIONS_PER_OBJECT) chunks.push(sorted.slice(i, i + MAX_DECISIONS_PER_OBJECT));
  if (chunks.length === 0) chunks.push([]);
  return chunks.map((chunk, i) => ({
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'PlacementDecision',
    metadata: {
      name: `${m.name}-decision-${i + 1}`,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      labels: { [PLACEMENT_LABEL]: m.name, [`${GROUP}/decision-group-index`]: '0', [`${GROUP}/decision-group-name`]: '' },
      ...(m.uid ? { ownerReferences: [{ apiVersion: p.object.apiVersion, kind: 'Placement', name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    status: { decisions: chunk.map((c) => ({ clusterName: c.cluster.name, reason: c.reason })) },
  }));
}

/** AddOnPlacementScore per eligible cluster: emplace's score mapped linearly onto -100..100. */
export function placementScores(scored: readonly { cluster: ManagedCluster; score: number }[], now: Date): Record<string, unknown>[] {
  if (scored.length === 0) return [];
  const lo = Math.min(...scored.map((s) => s.score));
  const hi = Math.max(...scored.map((s) => s.score));
  return scored.map((s) => {
    const value = hi === lo ? 0 : Math.round(-100 + (200 * (s.score - lo)) / (hi - lo));
    return {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'AddOnPlacementScore',
      metadata: { name: 'emplace', namespace: s.cluster.name },
      status: {
        conditions: [{ type: 'ScoreUpdated', status: 'True', reason: 'EmplaceScored', message: 'scored by emplace', lastTransitionTime: isoSeconds(now) }],
        scores: [{ name: 'emplace', value: Math.max(-100, Math.min(100, value)) }],
        validUntil: isoSeconds(new Date(now.getTime() + SCORE_VALIDITY_MS)),
      },
    };
  });
}

