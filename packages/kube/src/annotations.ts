import { KubeObjectError } from './errors.js';
import { refOf, type KubeObject } from './objects.js';

/**
 * The inputs Kubernetes objects do not carry, read from annotations under emplace's
 * prefix. Documented in docs/guides/kubernetes.md.
 */
export const ANNOTATIONS = {
  /** On a Cluster / ManagedCluster: JSON price per unit of each resource per replica-hour (`{"cpu": 0.031, "memory": 0.0042}`, memory per GiB). */
  price: 'placement.emplace.dev/price',
  /** On a ResourceBinding: replicas that must keep running after the loss of any one failure domain. */
  minAvailable: 'placement.emplace.dev/min-available',
  /** On a ResourceBinding: `cluster` (default), `zone` or `region`. */
  failureDomain: 'placement.emplace.dev/failure-domain',
  /** On a ResourceBinding: at most this many replicas leave the clusters they are on now. */
  maxMoves: 'placement.emplace.dev/max-moves',
  /** On an OCM Placement: `true` hands its decisions to emplace. */
  ocmScheduler: 'placement.emplace.dev/scheduler',
  /** On a Kueue ClusterQueue (as exported from a worker): the MultiKueueCluster it belongs to. */
  cluster: 'placement.emplace.dev/cluster',
  /** Written on every decision: why emplace chose it. */
  explanation: 'placement.emplace.dev/explanation',
  /** Written on every decision: the strategy that made it. */
  strategy: 'placement.emplace.dev/strategy',
} as const;

/** emplace's scheduler name, for Karmada's spec.schedulerName. */
export const SCHEDULER_NAME = 'emplace-scheduler';

export function readAnnotationJson<T>(obj: KubeObject, key: string, check: (v: unknown, path: string) => T): T | undefined {
  const raw = obj.metadata.annotations[key];
  if (raw === undefined) return undefined;
  const path = `metadata.annotations["${key}"]`;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new KubeObjectError(refOf(obj), path, `is not JSON (${JSON.stringify(raw)})`);
  }
  return check(v, path);
}
