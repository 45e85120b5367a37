import type { KubeObject } from './objects.js';

/**
 * What emplace decided for one object (a binding, a placement, a workload), with the
 * objects and patches that carry the decision to the control plane.
 */

export type DecisionStatus = 'optimal' | 'feasible' | 'scheduled' | 'infeasible' | 'error';

export interface ClusterShare {
  name: string;
  replicas: number;
  /** Why this cluster got this many (binding constraint, weight, tier, spread, price). */
  why: string;
}

/** A JSON merge patch for one object (or its status subresource). */
export interface ObjectPatch {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** 'status' when the patch targets the status subresource. */
  subresource?: 'status';
  /** `create` for an object that may not exist yet (PlacementDecision, AddOnPlacementScore): apply as server-side apply. */
  action: 'merge' | 'apply';
  /** The patch body (merge) or the whole object (apply). */
  body: Record<string, unknown>;
}

export interface Decision {
  kind: string;
  namespace?: string;
  name: string;
  status: DecisionStatus;
  clusters: ClusterShare[];
  /** Total price per hour of the placed replicas (price annotations), null when not placed. */
  objective: number | null;
  reason: string;
  /** The input object decided on. */
  source: KubeObject;
  /** Objects as written (for `-o yaml`); empty for an undecided object. */
  written: Record<string, unknown>[];
  patches: ObjectPatch[];
}

/** The one JSON line of `emplace kube schedule -o json`. */
export function decisionRecord(d: Decision): Record<string, unknown> {
  return {
    kind: d.kind,
    namespace: d.namespace ?? null,
    name: d.name,
    status: d.status,
    clusters: d.clusters.map((c) => ({ name: c.name, replicas: c.replicas })),
    // Prices are sums of products: drop the binary floating-point noise (0.107000...01).
    objective: d.objective === null ? null : Math.round(d.objective * 1e9) / 1e9,
    reason: d.reason,
  };
}

export function placed(status: DecisionStatus): boolean {
  return status === 'optimal' || status === 'feasible' || status === 'scheduled';
}
