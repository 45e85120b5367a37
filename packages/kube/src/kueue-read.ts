import { ANNOTATIONS } from './annotations.js';
import { KubeObjectError } from './errors.js';
import { child, optArray, optInt, optRecord, optString, quantity, quantityMap, reqInt, stringList } from './fields.js';
import { refOf, type KubeObject } from './objects.js';
import { priceAnnotation } from './price-annotation.js';

/**
 * Kueue MultiKueue with an external dispatcher: Workloads (pod sets and requests),
 * MultiKueueConfig (the worker clusters), MultiKueueCluster (price annotation) and the
 * workers' ClusterQueues (quota: nominalQuota minus flavorsUsage, matched to a worker by the
 * `placement.emplace.dev/cluster` annotation) in; `status.nominatedClusterNames` out.
 */

const GROUP = 'kueue.x-k8s.io';
export const KUEUE_KINDS = ['Workload', 'MultiKueueConfig', 'MultiKueueCluster', 'ClusterQueue'] as const;

export function isKueueObject(o: KubeObject): boolean {
  return (KUEUE_KINDS as readonly string[]).includes(o.kind) && o.apiVersion.split('/')[0] === GROUP;
}

export interface KueueWorkload {
  object: KubeObject;
  /** Total request over every pod set (count x per-pod request), nano-units. */
  request: Map<string, bigint>;
  pods: number;
  priority: number;
  /** Already dispatched (status.clusterName): nothing to nominate. */
  dispatchedTo?: string;
  admitted: boolean;
  /** Condition QuotaReserved=True on the manager: MultiKueue dispatches only such workloads. */
  quotaReserved: boolean;
}

export interface KueueWorker {
  name: string;
  price: Record<string, number>;
  /** Remaining quota per resource, nano-units (undefined: no ClusterQueue seen, unlimited). */
  free?: Map<string, bigint>;
}

export interface KueueWorld {
  workloads: KueueWorkload[];
  workers: KueueWorker[];
}

/** Per-pod request of a pod template: the containers' sum, at least each init container's (Kueue's rule), plus overhead. */
function podRequest(ref: ReturnType<typeof refOf>, spec: unknown, path: string): Map<string, bigint> {
  const sum = new Map<string, bigint>();
  optArray(ref, child(spec, 'containers'), `${path}.containers`).forEach((c, i) => {
    for (const [k, v] of quantityMap(ref, child(child(c, 'resources'), 'requests'), `${path}.containers[${i}].resources.requests`)) sum.set(k, (sum.get(k) ?? 0n) + v);
  });
  optArray(ref, child(spec, 'initContainers'), `${path}.initContainers`).forEach((c, i) => {
    for (const [k, v] of quantityMap(ref, child(child(c, 'resources'), 'requests'), `${path}.initContainers[${i}].resources.requests`)) if (v > (sum.get(k) ?? 0n)) sum.set(k, v);
  });
  for (const [k, v] of quantityMap(ref, child(spec, 'overhead'), `${path}.overhead`)) sum.set(k, (sum.get(k) ?? 0n) + v);
  return sum;
}

function readWorkload(o: KubeObject): KueueWorkload {
  const ref = refOf(o);
  const spec = optRecord(ref, o.raw.spec, 'spec') ?? {};
  const status = optRecord(ref, o.raw.status, 'status') ?? {};
  const podSets = optArray(ref, spec.podSets, 'spec.podSets');
  if (podSets.length === 0) throw new KubeObjectError(ref, 'spec.podSets', 'is missing or empty');
  const request = new Map<string, bigint>();
  let pods = 0;
  podSets.forEach((ps, i) => {
    const p = `spec.podSets[${i}]`;
    const count = reqInt(ref, child(ps, 'count'), `${p}.count`, 0);
    pods += count;
    for (const [k, v] of podRequest(ref, child(child(ps, 'template'), 'spec'), `${p}.template.spec`)) request.set(k, (request.get(k) ?? 0n) + v * BigInt(count));
  });
  const conditions = optArray(ref, status.conditions, 'status.conditions');
  const quotaReserved = conditions.some((c) => child(c, 'type') === 'QuotaReserved' && child(c, 'status') === 'True');
  const w: KueueWorkload = { object: o, request, pods, priority: optInt(ref, spec.priority, 'spec.priority') ?? 0, admitted: child(status, 'admission') !== undefined, quotaReserved };
  const cn = optString(ref, status.clusterName, 'status.clusterName');
  if (cn) w.dispatchedTo = cn;
  return w;
}

export function readKueueWorld(objects: readonly KubeObject[]): KueueWorld {
  const w: KueueWorld = { workloads: [], workers: [] };
  const names: string[] = [];
  const prices = new Map<string, Record<string, number>>();
  const queues: KubeObject[] = [];
  for (const o of objects) {
    if (!isKueueObject(o)) continue;
    const ref = refOf(o);
    if (o.kind === 'Workload') w.workloads.push(readWorkload(o));
    else if (o.kind === 'MultiKueueConfig') names.push(...stringList(ref, child(o.raw.spec, 'clusters'), 'spec.clusters'));
    else if (o.kind === 'MultiKueueCluster') {
      const price = priceAnnotation(o);
      if (price !== undefined) prices.set(o.metadata.name, price);
    } else if (o.kind === 'ClusterQueue') queues.push(o);
  }
  const workers = new Map<string, KueueWorker>();
  for (const n of names) if (!workers.has(n)) workers.set(n, { name: n, price: prices.get(n) ?? {} });
  for (const q of queues) {
    const ref = refOf(q);
    const worker = q.metadata.annotations[ANNOTATIONS.cluster];
    if (worker === undefined) continue; // the manager's own ClusterQueue: its quota is not a worker's capacity
    const wk = workers.get(worker) ?? { name: worker, price: prices.get(worker) ?? {} };
    workers.set(worker, wk);
    const free = wk.free ?? new Map<string, bigint>();
    optArray(ref, child(q.raw.spec, 'resourceGroups'), 'spec.resourceGroups').forEach((g, i) => {
      optArray(ref, child(g, 'flavors'), `spec.resourceGroups[${i}].flavors`).forEach((f, j) => {
        optArray(ref, child(f, 'resources'), `spec.resourceGroups[${i}].flavors[${j}].resources`).forEach((r, k) => {
          const p = `spec.resourceGroups[${i}].flavors[${j}].resources[${k}]`;
          const name = optString(ref, child(r, 'name'), `${p}.name`);
          if (!name) throw new KubeObjectError(ref, `${p}.name`, 'is missing');
          free.set(name, (free.get(name) ?? 0n) + quantity(ref, child(r, 'nominalQuota'), `${p}.nominalQuota`));
        });
      });
    });
    optArray(ref, child(q.raw.status, 'flavorsUsage'), 'status.flavorsUsage').forEach((f, j) => {
      optArray(ref, child(f, 'resources'), `status.flavorsUsage[${j}].resources`).forEach((r, k) => {
        const p = `status.flavorsUsage[${j}].resources[${k}]`;
        const name = optString(ref, child(r, 'name'), `${p}.name`);
        const total = child(r, 'total');
        if (name && total !== undefined) free.set(name, (free.get(name) ?? 0n) - quantity(ref, total, `${p}.total`));
      });
    });
    wk.free = free;
  }
  w.workers = [...workers.values()];
  return w;
}

