/**
 * Karmada's replica dispenser (`pkg/util/helper/binding.go`: `Dispenser`, `AllocateByWeight`,
 * `tieBreakerByUID`, `SpreadReplicasByTargetClusters`): divides replicas among clusters by weight
 * with the Webster method, breaking ties in an order that depends on the workload's uid.
 */
import { allocateWebsterSeats, goStringLess, type WebsterParty, type WebsterTieBreaker } from './webster.js';

/** A cluster name with a replica count: Karmada's `TargetCluster`. */
export interface KarmadaTargetCluster {
  readonly name: string;
  readonly replicas: number;
}

/** A cluster with its weight: Karmada's `ClusterWeightInfo` (the last replicas field is unused by the division). */
export interface KarmadaClusterWeight {
  readonly name: string;
  readonly weight: number;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text` (Go's `hash/fnv` `New32a`). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The tie-breaker Karmada derives from the resource uid (`tieBreakerByUID`): fewer seats first,
 * then names ascending when the uid is empty or its FNV-1a hash is even, descending when it is odd.
 * So two workloads with the same weights can round their remainders towards different clusters,
 * but one workload always rounds the same way.
 */
export function karmadaTieBreaker(uid: string | undefined): WebsterTieBreaker {
  const descending = uid !== undefined && uid.length > 0 && (fnv1a32(uid) & 1) === 1;
  return (a: WebsterParty, b: WebsterParty): boolean => {
    if (a.seats !== b.seats) return a.seats < b.seats;
    return descending ? goStringLess(b.name, a.name) : goStringLess(a.name, b.name);
  };
}

/** True when the uid's hash makes Karmada break name ties in descending order. */
export function karmadaUidOrdersNamesDescending(uid: string | undefined): boolean {
  return uid !== undefined && uid.length > 0 && (fnv1a32(uid) & 1) === 1;
}

/**
 * `Dispenser.AllocateByWeight` on a fresh dispenser (`NewDispenser(numReplicas, init, uid)`):
 * adds `numReplicas` to `init` by the Webster method over `weights`. Returns `init` unchanged when
 * the weights sum to 0, or when there is nothing to add and `init` is not empty (`Done`).
 * Otherwise the answer lists every party of `weights` and `init`, sorted by name.
 */
export function dispenseByWeight(
  numReplicas: number,
  weights: readonly KarmadaClusterWeight[],
  init: readonly KarmadaTargetCluster[] | undefined,
  uid: string | undefined,
): KarmadaTargetCluster[] {
  const initial = init ? init.map((c) => ({ name: c.name, replicas: c.replicas })) : [];
  if (numReplicas === 0 && initial.length !== 0) return initial;
  let sum = 0;
  for (const w of weights) sum += w.weight;
  if (sum === 0) return initial;

  const initialAssignments = new Map<string, number>();
  for (const c of initial) initialAssignments.set(c.name, c.replicas);
  const votes = new Map<string, number>();
  for (const w of weights) votes.set(w.name, w.weight);
  return allocateWebsterSeats(numReplicas, votes, initialAssignments, karmadaTieBreaker(uid)).map((p) => ({
    name: p.name,
    replicas: p.seats,
  }));
}

/**
 * `SpreadReplicasByTargetClusters`: divides `numReplicas` using each target cluster's replica
 * count as its weight (dynamic weighting by available replicas, and scale-down by the previous
 * assignment), on top of `init`.
 */
export function spreadReplicasByTargetClusters(
  numReplicas: number,
  weightsFrom: readonly KarmadaTargetCluster[],
  init: readonly KarmadaTargetCluster[] | undefined,
  uid: string | undefined,
): KarmadaTargetCluster[] {
  return dispenseByWeight(
    numReplicas,
    weightsFrom.map((c) => ({ name: c.name, weight: c.replicas })),
    init,
    uid,
  );
}
