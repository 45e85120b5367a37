import { ANNOTATIONS } from './annotations.js';
import type { Decision, ObjectPatch } from './decision.js';
import { isRecord } from './objects.js';

/**
 * The patches of a decision that would change something. The controller writes only those,
 * so its own writes (which wake its watches) do not loop.
 */
export function pendingPatches(d: Decision): ObjectPatch[] {
  const raw = d.source.raw;
  if (d.kind === 'ResourceBinding' || d.kind === 'ClusterResourceBinding') {
    const spec = isRecord(raw.spec) ? raw.spec : {};
    const status = isRecord(raw.status) ? raw.status : {};
    const current = Array.isArray(spec.clusters) ? spec.clusters.map((c: unknown) => (isRecord(c) ? `${String(c.name)}=${String(c.replicas ?? 0)}` : '')).sort() : [];
    const next = d.clusters.map((c) => `${c.name}=${c.replicas}`).sort();
    const observed = status.schedulerObservedGeneration;
    const sameClusters = current.join(',') === next.join(',');
    const sameGeneration = d.source.metadata.generation === undefined || observed === d.source.metadata.generation;
    const ours = d.source.metadata.annotations[ANNOTATIONS.strategy] !== undefined;
    return sameClusters && sameGeneration && ours ? [] : d.patches;
  }
  if (d.kind === 'Workload') {
    const status = isRecord(raw.status) ? raw.status : {};
    const current = Array.isArray(status.nominatedClusterNames) ? status.nominatedClusterNames.join(',') : '';
    return current === d.clusters.map((c) => c.name).join(',') ? [] : d.patches;
  }
  return d.patches;
}
