import { ANNOTATIONS } from './annotations.js';
import type { ClusterShare, ObjectPatch } from './decision.js';
import type { KarmadaBinding } from './karmada.js';

/**
 * Writes a decision into a ResourceBinding the way Karmada's scheduler does: spec.clusters
 * (name, replicas) and the Scheduled condition, plus emplace's explanation annotation
 * (a JSON list of {cluster, replicas, why}) so each cluster's share says why.
 */

export interface BindingWrite {
  ok: boolean;
  clusters: ClusterShare[];
  message: string;
  /** Condition reason: Success, NoClusterFit (Karmada's for unschedulable), SchedulerError. */
  conditionReason: 'Success' | 'NoClusterFit' | 'SchedulerError';
  strategy: string;
  affinityName?: string;
  now: Date;
}

function condition(w: BindingWrite, generation: number | undefined): Record<string, unknown> {
  return {
    type: 'Scheduled',
    status: w.ok ? 'True' : 'False',
    reason: w.conditionReason,
    message: w.message,
    lastTransitionTime: w.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

/** The binding as it reads after the decision, and the two patches (spec, status) that make it so. */
export function writeBinding(b: KarmadaBinding, w: BindingWrite): { object: Record<string, unknown>; patches: ObjectPatch[] } {
  const obj = structuredClone(b.object.raw) as Record<string, unknown>;
  const meta = { ...(obj.metadata as Record<string, unknown>) };
  const annotations: Record<string, string> = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  const explanation = JSON.stringify(w.clusters.map((c) => ({ cluster: c.name, replicas: c.replicas, why: c.why })));
  annotations[ANNOTATIONS.strategy] = w.strategy;
  annotations[ANNOTATIONS.explanation] = w.ok ? explanation : w.message;
  meta.annotations = annotations;
  obj.metadata = meta;
  const spec = { ...(obj.spec as Record<string, unknown>) };
  // A failed decision leaves spec.clusters as it was (Karmada keeps the previous result).
  if (w.ok) spec.clusters = w.clusters.map((c) => ({ name: c.name, replicas: c.replicas }));
  obj.spec = spec;
  const status = { ...((obj.status as Record<string, unknown> | undefined) ?? {}) };
  const cond = condition(w, b.object.metadata.generation);
  const others = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]).filter((c) => c?.type !== 'Scheduled') : [];
  status.conditions = [...others, cond];
  if (b.object.metadata.generation !== undefined) status.schedulerObservedGeneration = b.object.metadata.generation;
  if (w.affinityName) status.schedulerObservedAffinityName = w.affinityName;
  if (w.ok) status.lastScheduledTime = cond.lastTransitionTime;
  obj.status = status;
  const target = { apiVersion: b.object.apiVersion, kind: b.object.kind, name: b.object.metadata.name, ...(b.object.metadata.namespace ? { namespace: b.object.metadata.namespace } : {}) };
  const patches: ObjectPatch[] = [
    {
      ...target,
      action: 'merge',
      body: {
        metadata: { annotations: { [ANNOTATIONS.strategy]: w.strategy, [ANNOTATIONS.explanation]: annotations[ANNOTATIONS.explanation] } },
        ...(w.ok ? { spec: { clusters: spec.clusters } } : {}),
      },
    },
    {
      ...target,
      subresource: 'status',
      action: 'merge',
      body: {
        status: {
          conditions: status.conditions,
          ...(status.schedulerObservedGeneration !== undefined ? { schedulerObservedGeneration: status.schedulerObservedGeneration } : {}),
          ...(w.affinityName ? { schedulerObservedAffinityName: w.affinityName } : {}),
          ...(w.ok ? { lastScheduledTime: status.lastScheduledTime } : {}),
        },
      },
    },
  ];
  return { object: obj, patches };
}
