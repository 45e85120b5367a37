import type { KarmadaCluster } from './karmada.js';
import { karmadaAvailableReplicas } from '@emplace/assignment';
import type { KarmadaEstimatorCluster } from './engines.js';
import { quantityMilliValue, quantityValue } from './quantity.js';

/**
 * Free capacity of a Karmada cluster as its general estimator sees it:
 * available = allocatable - allocated - allocating, per resource and for pods.
 */

const INT32_MAX = 2 ** 31 - 1;

function available(c: KarmadaCluster, resource: string): bigint | undefined {
  const s = c.summary;
  if (!s) return undefined;
  const a = s.allocatable.get(resource);
  if (a === undefined) return undefined;
  return a - (s.allocated.get(resource) ?? 0n) - (s.allocating.get(resource) ?? 0n);
}

/** Pods the cluster can still start (never negative). */
export function allowedPods(c: KarmadaCluster): number {
  const s = c.summary;
  if (!s) return 0;
  const pods = quantityValue(s.allocatable.get('pods') ?? 0n) - quantityValue(s.allocated.get('pods') ?? 0n) - quantityValue(s.allocating.get('pods') ?? 0n);
  return pods <= 0n ? 0 : Number(pods > BigInt(INT32_MAX) ? BigInt(INT32_MAX) : pods);
}

/**
 * Karmada's GeneralEstimator.MaxAvailableReplicas for one cluster and a binding's request
 * (`spec.replicaRequirements.resourceRequest` as written; undefined when there is none): the
 * pod allowance, then floor(available / request) per resource (cpu in millicores), or the
 * resource-model estimate when the cluster reports allocatableModelings. Delegates to
 * @emplace/assignment's reproduction so both strategies count alike.
 */
export function estimateReplicas(c: KarmadaCluster, request: Readonly<Record<string, string | number>> | undefined): number {
  return karmadaAvailableReplicas(c.estimator as KarmadaEstimatorCluster, request);
}

/**
 * The unit emplace's solver counts a resource in, chosen so that capacity checks agree
 * with Karmada's estimator: cpu in millicores, everything else in whole units (bytes for
 * memory). `pricePerSolverUnit` converts the price annotation (per core, per GiB for memory,
 * per unit otherwise) to that unit.
 */
export function solverUnits(resource: string, nano: bigint): number {
  return Number(resource === 'cpu' ? quantityMilliValue(nano) : quantityValue(nano));
}

const GIB = 2 ** 30;

export function pricePerSolverUnit(resource: string, price: number): number {
  if (resource === 'cpu') return price / 1000;
  // The unit: memory per GiB; every other resource per its own unit (as Kubernetes counts it).
  if (resource === 'memory') return price / GIB;
  return price;
}

/** Free capacity in solver units for each of `dimensions` ("pods" included), never below 0. */
export function freeCapacity(c: KarmadaCluster, dimensions: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of dimensions) {
    if (d === 'pods') out[d] = allowedPods(c);
    else {
      const a = available(c, d);
      out[d] = a === undefined ? 0 : Math.max(0, solverUnits(d, a));
    }
  }
  return out;
}
