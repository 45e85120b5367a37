/**
 * Karmada's general replica estimator (`pkg/estimator/client/general.go`,
 * `GeneralEstimator.maxAvailableReplicas`) and the scheduler's use of it
 * (`pkg/scheduler/core/util.go` `calAvailableReplicas`), on a cluster's `status.resourceSummary`
 * and `spec.resourceModels`.
 *
 * Reproduced with Karmada's default feature gates: CustomizedClusterResourceModeling on,
 * SchedulingOvercommitProtection and MultiplePodTemplatesScheduling off, and no
 * karmada-scheduler-estimator (the accurate estimator reads nodes, which a Cluster object does not carry).
 */
import { ModelError } from '@emplace/core';
import { nanoToMilli, nanoToValue, quantityToNano, type KarmadaQuantity } from './quantity.js';

const INT32_MAX = 2147483647;
const INT64_MAX = (1n << 63n) - 1n;
/** Pods per node of a resource-model node (`maxPodsCountPerNode`). */
const MODEL_NODE_PODS = 110n;

/** A resource list: resource name to amount (`cpu`, `memory`, `pods`, `nvidia.com/gpu`, ...). */
export type KarmadaResourceList = Readonly<Record<string, KarmadaQuantity>>;

/** `status.resourceSummary` of a Karmada Cluster. */
export interface KarmadaResourceSummary {
  readonly allocatable?: KarmadaResourceList;
  readonly allocated?: KarmadaResourceList;
  readonly allocating?: KarmadaResourceList;
  /** Node counts per resource-model grade. */
  readonly allocatableModelings?: readonly { readonly grade: number; readonly count: number }[];
}

/** One entry of `spec.resourceModels`: a node grade with the resource ranges of its nodes. */
export interface KarmadaResourceModel {
  readonly grade: number;
  readonly ranges: readonly { readonly name: string; readonly min: KarmadaQuantity; readonly max?: KarmadaQuantity }[];
}

/** What the estimator reads of a Cluster. */
export interface KarmadaEstimatorCluster {
  readonly name?: string;
  /** Absent when the cluster has not reported a summary: it can take nothing. */
  readonly resourceSummary?: KarmadaResourceSummary;
  readonly resourceModels?: readonly KarmadaResourceModel[];
}

export interface KarmadaEstimatorOptions {
  /** The CustomizedClusterResourceModeling feature gate (default on, as in Karmada). */
  readonly customizedClusterResourceModeling?: boolean;
}

type Amounts = Map<string, bigint>;

function readList(list: KarmadaResourceList | undefined, field: string): Amounts {
  const out: Amounts = new Map();
  if (!list) return out;
  for (const [name, q] of Object.entries(list)) out.set(name, quantityToNano(q, `${field}.${name}`));
  return out;
}

/** `getAllowedPodNumber`: allocatable - allocated - allocating pods, at least 0. */
function allowedPods(allocatable: Amounts, allocated: Amounts, allocating: Amounts): bigint {
  const v = (m: Amounts) => nanoToValue(m.get('pods') ?? 0n);
  const allowed = v(allocatable) - v(allocated) - v(allocating);
  return allowed <= 0n ? 0n : allowed;
}

/** `getMaximumReplicasBasedOnClusterSummary`: min over requested resources of free / request. */
function replicasFromSummary(allocatable: Amounts, allocated: Amounts, allocating: Amounts, request: Amounts): bigint {
  let max = INT64_MAX;
  for (const [name, req] of request) {
    let requested = nanoToValue(req);
    if (requested <= 0n) continue;
    const total = allocatable.get(name);
    if (total === undefined) return 0n;
    const free = total - (allocated.get(name) ?? 0n) - (allocating.get(name) ?? 0n);
    let available = nanoToValue(free);
    if (available <= 0n) return 0n;
    if (name === 'cpu') {
      requested = nanoToMilli(req);
      available = nanoToMilli(free);
    }
    const n = available / requested;
    if (n < max) max = n;
  }
  return max;
}

/**
 * Kubernetes' `IsScalarResourceName`: extended resources (`vendor.com/gpu`), hugepages and
 * attachable volumes. Other names outside cpu, memory, ephemeral-storage and pods are ignored
 * by Karmada's `util.Resource`, so they do not limit resource-model nodes.
 */
function isScalarResource(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

/** A resource list as Karmada's `util.Resource`: milli-CPU, whole units for the rest. */
function toResource(list: Amounts): Amounts {
  const out: Amounts = new Map();
  for (const [name, nano] of list) {
    if (name === 'cpu') out.set(name, (out.get(name) ?? 0n) + nanoToMilli(nano));
    else if (name === 'memory' || name === 'pods' || name === 'ephemeral-storage' || isScalarResource(name)) {
      out.set(name, (out.get(name) ?? 0n) + nanoToValue(nano));
    }
  }
  return out;
}

/**
 * `getMaximumReplicasBasedOnResourceModels`: one node per counted model grade (its range minimums,
 * 110 pods), filled first-fit; identical replicas make that the sum over nodes of
 * `Resource.MaxDivided`. Returns undefined where Karmada's `buildModelNodes` fails (no models,
 * a negative count), which makes Karmada fall back to the summary.
 */
function replicasFromModels(models: readonly KarmadaResourceModel[] | undefined, summary: KarmadaResourceSummary, request: Amounts): bigint | undefined {
  if (!models || models.length === 0) return undefined;
  const templates = new Map<number, Amounts>();
  models.forEach((m, i) => {
    const tmpl: Amounts = new Map();
    m.ranges.forEach((r, j) => tmpl.set(r.name, quantityToNano(r.min, `resourceModels[${i}].ranges[${j}].min`)));
    const node = toResource(tmpl);
    node.set('pods', MODEL_NODE_PODS);
    templates.set(m.grade, node);
  });
  const counts = new Map<number, number>();
  for (const a of summary.allocatableModelings ?? []) {
    if (a.count < 0) return undefined;
    counts.set(a.grade, (counts.get(a.grade) ?? 0) + a.count);
  }
  const perReplica = toResource(request);
  let total = 0n;
  for (const grade of [...templates.keys()].sort((a, b) => a - b)) {
    const count = counts.get(grade) ?? 0;
    if (count === 0) continue;
    const node = templates.get(grade)!;
    // Resource.MaxDivided on the request, then the node's pod slots.
    let fit = INT64_MAX;
    for (const [name, req] of perReplica) {
      if (name === 'pods' || req <= 0n) continue;
      const n = (node.get(name) ?? 0n) / req;
      if (n < fit) fit = n;
    }
    const pods = node.get('pods')!;
    if (pods < fit) fit = pods;
    total += fit * BigInt(count);
  }
  // SimulateScheduling stops at its upper bound, MaxInt32.
  return total > BigInt(INT32_MAX) ? BigInt(INT32_MAX) : total;
}

/** Go's `int32(x)` on an int64: the low 32 bits. */
function toInt32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

/**
 * How many more replicas of one request a cluster can take, as Karmada's general estimator says
 * (`GeneralEstimator.maxAvailableReplicas`): 0 without a resource summary; else the free pods
 * (allocatable - allocated - allocating), lowered by every requested resource's
 * free / request (CPU in millicores, other resources in whole units, both rounded up as
 * Kubernetes does), or, when the cluster reports resource-model node counts, by first-fit
 * packing onto those model nodes instead.
 *
 * @param request `spec.replicaRequirements.resourceRequest`; undefined when the binding has no
 *   replica requirements (then only pods limit).
 */
export function karmadaAvailableReplicas(
  cluster: KarmadaEstimatorCluster,
  request: KarmadaResourceList | undefined,
  options: KarmadaEstimatorOptions = {},
): number {
  const summary = cluster.resourceSummary;
  if (!summary) return 0;
  const allocatable = readList(summary.allocatable, 'resourceSummary.allocatable');
  const allocated = readList(summary.allocated, 'resourceSummary.allocated');
  const allocating = readList(summary.allocating, 'resourceSummary.allocating');
  let max = allowedPods(allocatable, allocated, allocating);
  if (max <= 0n) return 0;
  if (request === undefined) return toInt32(max);
  const req = readList(request, 'request');

  if ((options.customizedClusterResourceModeling ?? true) && (summary.allocatableModelings?.length ?? 0) > 0) {
    const fromModels = replicasFromModels(cluster.resourceModels, summary, req);
    if (fromModels !== undefined) return toInt32(fromModels < max ? fromModels : max);
  }
  const fromSummary = replicasFromSummary(allocatable, allocated, allocating, req);
  if (fromSummary < max) max = fromSummary;
  return toInt32(max);
}

/** What `calAvailableReplicas` reads of a ResourceBinding. */
export interface KarmadaEstimationSpec {
  /** `spec.replicas`. */
  readonly replicas: number;
  /** `spec.replicaRequirements.resourceRequest`, undefined when there are no replica requirements. */
  readonly request?: KarmadaResourceList;
  /** `len(spec.components)`, default 0. */
  readonly componentCount?: number;
}

/**
 * The scheduler's available replicas per cluster (`calAvailableReplicas`), in input order: the
 * general estimator's answer, except that a non-workload (0 replicas, no components) is not
 * estimated (MaxInt32 everywhere) and an unbounded answer (MaxInt32) is capped at `spec.replicas`.
 * Feed the result to `karmadaAssignReplicas` as each cluster's `availableReplicas`.
 */
export function karmadaEstimatedReplicas(
  clusters: readonly KarmadaEstimatorCluster[],
  spec: KarmadaEstimationSpec,
  options: KarmadaEstimatorOptions = {},
): number[] {
  if (!Number.isInteger(spec.replicas) || spec.replicas < 0 || spec.replicas > INT32_MAX) {
    throw new ModelError('replicas', `must be an integer in 0..${INT32_MAX}, got ${String(spec.replicas)}`);
  }
  if (spec.replicas === 0 && (spec.componentCount ?? 0) === 0) return clusters.map(() => INT32_MAX);
  return clusters.map((c) => {
    let n = INT32_MAX;
    const estimate = karmadaAvailableReplicas(c, spec.request, options);
    if (estimate < n) n = estimate;
    return n === INT32_MAX ? spec.replicas : n;
  });
}
