import { createPlacementModel, describe, ModelError, requireFinite, requireInteger, requireNonNegative, type PlacementModel } from '@emplace/core';

/**
 * Replica placement (issue 14): how many replicas of each workload go to each cluster.
 *
 * This is NOT a parallel model. A replicated workload is a client of the placement model
 * (`placement.clients[j]`, `demand` = the per-replica request in every dimension, `replicas`
 * = N) and clusters are its sites (`capacity` = free capacity per dimension, labels =
 * cluster/region/zone/provider/any label). The placement policy of each workload (allowed
 * clusters, tiers, min/max, weights, spread, survivability, current assignment and move
 * limits) and the objective are the extra data below, compiled once into typed arrays.
 *
 * Semantics, defined here once and re-derived independently by `evaluateReplicaPlacement`:
 *  - capacity: for every cluster c and dimension d, sum_w x[w][c] * request[w][d] <= free[c][d].
 *    `free` is the capacity available to the workloads of this input: their own current
 *    replicas count as free (they are being re-decided). A missing dimension is unlimited.
 *  - a placed workload has sum_c x[w][c] = replicas (divided / aggregated), or x[w][c] in
 *    {0, replicas} on at least one cluster (duplicated: every used cluster runs all N; how
 *    many clusters is decided by spread/survivability and the objective). An unplaced
 *    workload (batch, capacity short) has x[w][*] = 0 and is reported, never dropped.
 *  - eligible clusters: `allowed` (absent = all), restricted to the chosen tier, and, for a
 *    workload with spread constraints, to clusters that carry every spread key's label.
 *  - tiers (ordered cluster sets): the workload uses the clusters of the FIRST tier that can
 *    hold it, judged on the free capacity as given (like Karmada's cluster affinities, which
 *    schedule against its snapshot): a tier can hold it when its allowed clusters' available
 *    replicas (floor of free / request, the minimum over dimensions, capped by maxReplicas)
 *    add up to N (duplicated: one cluster holds N) and, for every spread constraint, at least
 *    minGroups of its groups have room for one replica. Clusters in no tier are not used.
 *  - minReplicas / maxReplicas per cluster: hard bounds on x[w][c] when the workload is placed.
 *  - weights: static (per cluster id, missing = 0) or dynamic (= available replicas) define a
 *    target share t[w][c] = N * weight_c / sum of weights over eligible clusters. They enter
 *    the `imbalance` objective (sum |x - t|); with `maxDeviation` they are also a hard band:
 *    floor(t - maxDeviation) <= x <= ceil(t + maxDeviation) (0 = Karmada-like rounding).
 *  - mode `aggregated`: use as few clusters as possible (the first objective stage, before the
 *    user's objectives; not a checkable constraint).
 *  - spread {key, minGroups, maxGroups, maxSkew}: groups = distinct values of the key
 *    ('cluster' = the cluster id, else the cluster label) among eligible clusters; the number
 *    of groups with >= 1 replica is within [minGroups, maxGroups]; maxSkew bounds the largest
 *    minus the smallest replica count among the USED groups.
 *  - survivability {domain, minAvailable, rehost}: for every failure domain g (value of the
 *    domain label; a cluster without it is its own domain), replicas outside g >= minAvailable.
 *    With `rehost`, the replicas lost with g must also fit on the surviving eligible clusters'
 *    residual free capacity (after the whole placement), respecting maxReplicas; checked per
 *    workload (each workload's own failure scenario), not for all workloads at once.
 *  - moves from `current`: moved[w] = sum_c max(0, current - x) - max(0, sum current - N)
 *    (removals forced by a scale-down are not moves); moved[w] <= maxMoves; moveCost per moved
 *    replica is added to the cost.
 *  - priorities: when not every workload fits, the number of placed workloads is maximised
 *    level by level, highest priority first; then aggregated; then the objective.
 *  - objective (min): cost = sum x * (sum_d request_d * price_d) + moveCost * moved;
 *    latency = sum x * (population-weighted mean latency of the cluster);
 *    imbalance = sum |x - t| (workloads with weights); clusters = number of (w, c) with x > 0;
 *    moves = sum moved. Weighted sum (default cost only) or `lexicographic` order.
 */

export type ReplicaMode = 'divided' | 'aggregated' | 'duplicated';
export type ReplicaCriterion = 'cost' | 'latency' | 'imbalance' | 'clusters' | 'moves';
export const REPLICA_CRITERIA: readonly ReplicaCriterion[] = ['cost', 'latency', 'imbalance', 'clusters', 'moves'];

export interface ReplicaClusterInput {
  id: string;
  labels?: Record<string, string>;
  /** Free capacity per dimension (missing = unlimited). */
  free: Record<string, number>;
  /** Price per unit of each dimension; a replica costs sum_d request_d * price_d. */
  price?: Record<string, number>;
  /** Latency to user populations, by population id. */
  latency?: Record<string, number>;
}

export interface ReplicaSpreadInput {
  /** 'cluster' | 'region' | 'zone' | 'provider' | any label. */
  key: string;
  minGroups?: number;
  maxGroups?: number;
  maxSkew?: number;
}

export type ReplicaWeightsInput =
  | { static: Record<string, number>; maxDeviation?: number }
  | { dynamic: 'AvailableReplicas'; maxDeviation?: number };

export interface ReplicaWorkloadInput {
  id: string;
  replicas: number;
  /** Per-replica request per dimension (missing = 0). */
  request: Record<string, number>;
  /** Higher is placed first when capacity is short (default 0). */
  priority?: number;
  /** Cluster ids; absent = all. */
  allowed?: string[];
  /** Ordered cluster sets: the first one that can hold the workload is used. */
  tiers?: string[][];
  minReplicas?: Record<string, number>;
  maxReplicas?: Record<string, number>;
  mode?: ReplicaMode;
  weights?: ReplicaWeightsInput;
  spread?: ReplicaSpreadInput[];
  survivability?: { domain: string; minAvailable: number; rehost?: boolean };
  /** Current replicas per cluster id. */
  current?: Record<string, number>;
  maxMoves?: number;
  /** Cost per moved replica (added to the cost criterion). */
  moveCost?: number;
  /** Resource uid (Karmada's tie-breaking depends on it). */
  uid?: string;
}

export interface ReplicaObjectiveInput {
  cost?: number;
  latency?: number;
  imbalance?: number;
  clusters?: number;
  moves?: number;
  lexicographic?: ReplicaCriterion[];
}

export interface ReplicaInput {
  dimensions: string[];
  clusters: ReplicaClusterInput[];
  populations?: { id: string; weight: number }[];
  workloads: ReplicaWorkloadInput[];
  /** Default: cost only. */
  objective?: ReplicaObjectiveInput;
  /** Failure domain for the reported worst single-domain loss (default: the first survivability domain, else 'zone' when clusters carry it, else 'cluster'). */
  failureDomain?: string;
}

export interface CompiledSpread {
  readonly workload: number;
  /** `workloads[w].spread[k]` */
  readonly field: string;
  readonly key: string;
  /** Group index of each cluster, -1 when not eligible / no label. */
  readonly groupOf: Int32Array;
  readonly groups: readonly string[];
  readonly minGroups: number;
  /** Infinity when absent. */
  readonly maxGroups: number;
  /** Infinity when absent. */
  readonly maxSkew: number;
}

export interface CompiledSurvivability {
  readonly workload: number;
  readonly field: string;
  readonly key: string;
  /** Failure domain of each cluster (every cluster has one). */
  readonly groupOf: Int32Array;
  readonly groups: readonly string[];
  readonly minAvailable: number;
  readonly rehost: boolean;
}

export interface ReplicaModel {
  readonly kind: 'replicas';
  /** Deep copy of the input (the evaluator re-derives every rule from it). */
  readonly input: ReplicaInput;
  /** The shared placement model: sites = clusters (capacity = free), clients = workloads (demand = request, replicas). */
  readonly placement: PlacementModel;
  readonly W: number;
  readonly C: number;
  readonly D: number;
  readonly dimensions: readonly string[];
  readonly clusterIds: readonly string[];
  readonly workloadIds: readonly string[];
  readonly clusterLabels: readonly Readonly<Record<string, string>>[];
  /** C x D, Infinity = unlimited. */
  readonly free: Float64Array;
  /** W x D. */
  readonly request: Float64Array;
  readonly replicas: Int32Array;
  /** W x C: price of one replica of w on c. */
  readonly unitCost: Float64Array;
  /** C: population-weighted mean latency (0 without populations). */
  readonly unitLatency: Float64Array;
  readonly priority: Float64Array;
  /** 0 divided, 1 aggregated, 2 duplicated. */
  readonly mode: Uint8Array;
  /** Chosen tier per workload (-1: no tiers given, or no tier can hold it). */
  readonly tier: Int32Array;
  /** W x C. */
  readonly eligible: Uint8Array;
  /** W x C: Karmada "available replicas" of c for w (floor of free / request, min over dims, capped at 2^31-1). */
  readonly available: Int32Array;
  /** W x C: bounds on x when placed (minReplicas, maxReplicas, N, available, weight band). */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** W x C maxReplicas as given (2^31-1 when absent): the limit of N-1 re-hosting. */
  readonly maxRep: Int32Array;
  /** W x C target shares (0 where no weight); `hasTarget[w]` says whether w has weights. */
  readonly target: Float64Array;
  readonly hasTarget: Uint8Array;
  /** 1 when the workload's weights are a hard band (maxDeviation given). */
  readonly weightBand: Uint8Array;
  readonly spreads: readonly CompiledSpread[];
  readonly survivability: readonly CompiledSurvivability[];
  /** The spreads of each workload, and its survivability (undefined = none). */
  readonly spreadsOf: readonly (readonly CompiledSpread[])[];
  readonly survivabilityOf: readonly (CompiledSurvivability | undefined)[];
  /** W x C current replicas (absent = nothing placed yet). */
  readonly current?: Int32Array;
  /** -1 = no cap. */
  readonly maxMoves: Int32Array;
  readonly moveCost: Float64Array;
  /** max(0, sum current - N): removals of a scale-down, not counted as moves. */
  readonly forcedRemovals: Int32Array;
  readonly weights: Readonly<Record<ReplicaCriterion, number>>;
  readonly lexicographic?: readonly ReplicaCriterion[];
  readonly failureDomain: string;
  /** Infeasibility evident from the data, per workload (undefined = none found). */
  readonly evident: readonly (ReplicaCertificate | undefined)[];
}

export interface ReplicaCertificate {
  reason: string;
  fields: string[];
}

const MAX_INT = 2 ** 31 - 1;

/** The value of a spread / domain key on a cluster: 'cluster' is the id, anything else a label. */
export function clusterKey(id: string, labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (key === 'cluster') return id;
  return labels?.[key];
}

/** Available replicas of a request on a free-capacity vector (Karmada's estimate): floor of free / request, min over dimensions. */
export function availableReplicas(free: ArrayLike<number>, fo: number, request: ArrayLike<number>, ro: number, D: number): number {
  let a = Infinity;
  for (let d = 0; d < D; d++) {
    const r = request[ro + d]!;
    if (r <= 0) continue;
    const f = free[fo + d]!;
    const k = Math.floor(f / r + 1e-9);
    if (k < a) a = k;
  }
  return a === Infinity ? MAX_INT : Math.max(0, Math.min(MAX_INT, a));
}

/** Default cap on workloads x clusters (the model keeps about a dozen arrays of that size). */
export const REPLICAS_MAX_PAIRS = 20_000_000;

export function createReplicaModel(input: ReplicaInput, limits: { maxPairs?: number } = {}): ReplicaModel {
  if (input === null || typeof input !== 'object') throw new ModelError('replicas', `must be an object, got ${describe(input)}`);
  if (!Array.isArray(input.dimensions) || input.dimensions.length === 0) throw new ModelError('dimensions', 'must name at least one resource dimension');
  if (!Array.isArray(input.clusters) || input.clusters.length === 0) throw new ModelError('clusters', 'must not be empty');
  if (!Array.isArray(input.workloads)) throw new ModelError('workloads', `must be an array, got ${describe(input.workloads)}`);
  if (input.workloads.length * input.clusters.length > (limits.maxPairs ?? REPLICAS_MAX_PAIRS)) {
    throw new ModelError('workloads', `${input.workloads.length} workloads x ${input.clusters.length} clusters exceeds the limit of ${limits.maxPairs ?? REPLICAS_MAX_PAIRS} pairs (about 60 bytes each); raise limits.maxPairs to allow it`);
  }
  const inp = structuredClone(input) as ReplicaInput;
  const dims = inp.dimensions;
  const D = dims.length;
  const C = inp.clusters.length;
  const W = inp.workloads.length;
  const dimIndex = new Map(dims.map((d, i) => [d, i]));
  const readRecord = (field: string, rec: unknown, allowInf: boolean): Record<string, number> => {
    if (rec === undefined) return {};
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new ModelError(field, `must be an object keyed by dimension, got ${describe(rec)}`);
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(rec as Record<string, unknown>)) {
      if (!dimIndex.has(k)) throw new ModelError(`${field}.${k}`, `is not a declared dimension (${dims.join(', ')})`);
      out[k] = requireNonNegative(`${field}.${k}`, v, allowInf);
    }
    return out;
  };

  // Clusters are the sites, workloads the clients: the shared model validates ids and shapes.
  const clusterIds = inp.clusters.map((c, i) => {
    if (c === null || typeof c !== 'object') throw new ModelError(`clusters[${i}]`, `must be an object, got ${describe(c)}`);
    return c.id;
  });
  const placement = createPlacementModel({
    dimensions: dims,
    sites: inp.clusters.map((c, i) => ({ id: c.id, capacity: readRecord(`clusters[${i}].free`, c.free ?? {}, true), labels: c.labels ?? {} })),
    clients: inp.workloads.map((w, j) => {
      if (w === null || typeof w !== 'object') throw new ModelError(`workloads[${j}]`, `must be an object, got ${describe(w)}`);
      return { id: w.id, demand: readRecord(`workloads[${j}].request`, w.request ?? {}, false), replicas: requireInteger(`workloads[${j}].replicas`, w.replicas, 0, 1e7) };
    }),
    cost: new Float64Array(C * W),
  });
  const clusterIndex = new Map(clusterIds.map((id, i) => [id, i]));
  const workloadIds = placement.clientIds;
  const free = placement.capacity;
  const request = placement.demand;
  const replicas = placement.replicas ?? new Int32Array(W);
  const lookupCluster = (field: string, id: unknown): number => {
    const c = typeof id === 'string' ? clusterIndex.get(id) : undefined;
    if (c === undefined) throw new ModelError(field, `names unknown cluster ${describe(id)}`);
    return c;
  };

  // Prices and latency.
  const pricePerUnit = new Float64Array(C * D);
  inp.clusters.forEach((c, i) => {
    const p = readRecord(`clusters[${i}].price`, c.price, false);
    for (const [k, v] of Object.entries(p)) pricePerUnit[i * D + dimIndex.get(k)!] = v;
  });
  const unitCost = new Float64Array(W * C);
  for (let w = 0; w < W; w++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += request[w * D + d]! * pricePerUnit[c * D + d]!;
      unitCost[w * C + c] = s;
    }
  }
  const unitLatency = new Float64Array(C);
  const pops = inp.populations ?? [];
  if (!Array.isArray(pops)) throw new ModelError('populations', `must be an array, got ${describe(pops)}`);
  let popWeight = 0;
  pops.forEach((p, k) => {
    if (typeof p?.id !== 'string') throw new ModelError(`populations[${k}].id`, `must be a string, got ${describe(p?.id)}`);
    popWeight += requireNonNegative(`populations[${k}].weight`, p.weight);
  });
  if (pops.length > 0 && popWeight > 0) {
    inp.clusters.forEach((cl, c) => {
      let s = 0;
      pops.forEach((p) => {
        const l = cl.latency?.[p.id];
        if (l === undefined) throw new ModelError(`clusters[${c}].latency.${p.id}`, 'is missing (every cluster needs a latency to every population)');
        s += p.weight * requireNonNegative(`clusters[${c}].latency.${p.id}`, l);
      });
      unitLatency[c] = s / popWeight;
    });
  }

  // Objective.
  const obj = inp.objective ?? {};
  const weights: Record<ReplicaCriterion, number> = { cost: 0, latency: 0, imbalance: 0, clusters: 0, moves: 0 };
  const anyWeight = REPLICA_CRITERIA.some((k) => obj[k] !== undefined);
  for (const k of REPLICA_CRITERIA) weights[k] = obj[k] === undefined ? (anyWeight ? 0 : k === 'cost' ? 1 : 0) : requireNonNegative(`objective.${k}`, obj[k]);
  let lexicographic: ReplicaCriterion[] | undefined;
  if (obj.lexicographic !== undefined) {
    if (!Array.isArray(obj.lexicographic) || obj.lexicographic.length === 0) throw new ModelError('objective.lexicographic', 'must be a non-empty array of criteria');
    obj.lexicographic.forEach((k, i) => {
      if (!REPLICA_CRITERIA.includes(k)) throw new ModelError(`objective.lexicographic[${i}]`, `must be one of ${REPLICA_CRITERIA.join(', ')}, got ${describe(k)}`);
    });
    lexicographic = [...new Set(obj.lexicographic)];
  }
  const usesLatency = weights.latency > 0 || (lexicographic?.includes('latency') ?? false);
  if (usesLatency && pops.length === 0) throw new ModelError('populations', 'are required by the latency objective');

  const priority = new Float64Array(W);
  const mode = new Uint8Array(W);
  const tier = new Int32Array(W).fill(-1);
  const eligible = new Uint8Array(W * C);
  const available = new Int32Array(W * C);
  const lo = new Int32Array(W * C);
  const hi = new Int32Array(W * C);
  const maxRep = new Int32Array(W * C);
  const target = new Float64Array(W * C);
  const hasTarget = new Uint8Array(W);
  const weightBand = new Uint8Array(W);
  const maxMoves = new Int32Array(W).fill(-1);
  const moveCost = new Float64Array(W);
  const forcedRemovals = new Int32Array(W);
  let current: Int32Array | undefined;
  const spreads: CompiledSpread[] = [];
  const survivability: CompiledSurvivability[] = [];
  const evident: (ReplicaCertificate | undefined)[] = new Array(W).fill(undefined);
  const labelsOf = (c: number) => inp.clusters[c]!.labels;

  for (let w = 0; w < W; w++) {
    const wl = inp.workloads[w]!;
    const f = `workloads[${w}]`;
    const N = replicas[w]!;
    if (wl.priority !== undefined) priority[w] = requireFinite(`${f}.priority`, wl.priority);
    const m = wl.mode ?? 'divided';
    if (m !== 'divided' && m !== 'aggregated' && m !== 'duplicated') throw new ModelError(`${f}.mode`, `must be divided, aggregated or duplicated, got ${describe(m)}`);
    mode[w] = m === 'divided' ? 0 : m === 'aggregated' ? 1 : 2;
    for (let c = 0; c < C; c++) available[w * C + c] = availableReplicas(free, c * D, request, w * D, D);

    // Allowed clusters, spread labels.
    const allowed = new Uint8Array(C);
    if (wl.allowed !== undefined) {
      if (!Array.isArray(wl.allowed)) throw new ModelError(`${f}.allowed`, `must be an array of cluster ids, got ${describe(wl.allowed)}`);
      wl.allowed.forEach((id, k) => (allowed[lookupCluster(`${f}.allowed[${k}]`, id)] = 1));
    } else allowed.fill(1);
    const spreadIn = wl.spread ?? [];
    if (!Array.isArray(spreadIn)) throw new ModelError(`${f}.spread`, `must be an array, got ${describe(spreadIn)}`);
    spreadIn.forEach((s, k) => {
      if (typeof s?.key !== 'string' || s.key.length === 0) throw new ModelError(`${f}.spread[${k}].key`, `must be a non-empty string, got ${describe(s?.key)}`);
      for (let c = 0; c < C; c++) if (clusterKey(clusterIds[c]!, labelsOf(c), s.key) === undefined) allowed[c] = 0;
    });

    // Bounds from min/max replicas.
    const minR = new Int32Array(C);
    const maxR = new Int32Array(C).fill(MAX_INT);
    for (const [name, rec, arr] of [['minReplicas', wl.minReplicas, minR], ['maxReplicas', wl.maxReplicas, maxR]] as const) {
      if (rec === undefined) continue;
      if (rec === null || typeof rec !== 'object') throw new ModelError(`${f}.${name}`, `must be an object keyed by cluster id, got ${describe(rec)}`);
      for (const [id, v] of Object.entries(rec)) arr[lookupCluster(`${f}.${name}.${id}`, id)] = requireInteger(`${f}.${name}.${id}`, v, 0, MAX_INT);
    }
    for (let c = 0; c < C; c++) {
      if (minR[c]! > maxR[c]!) throw new ModelError(`${f}.minReplicas.${clusterIds[c]}`, `(${minR[c]}) exceeds maxReplicas (${maxR[c]})`);
    }
    const capOf = (c: number) => Math.min(maxR[c]!, available[w * C + c]!, m === 'duplicated' ? MAX_INT : N);

    // Tiers: the first that can hold the workload.
    if (wl.tiers !== undefined) {
      if (!Array.isArray(wl.tiers) || wl.tiers.length === 0) throw new ModelError(`${f}.tiers`, 'must be a non-empty array of cluster-id arrays');
      const sets = wl.tiers.map((t, k) => {
        if (!Array.isArray(t)) throw new ModelError(`${f}.tiers[${k}]`, `must be an array of cluster ids, got ${describe(t)}`);
        return t.map((id, i) => lookupCluster(`${f}.tiers[${k}][${i}]`, id));
      });
      const room: number[] = [];
      for (let k = 0; k < sets.length; k++) {
        const members = sets[k]!.filter((c) => allowed[c]);
        let total = 0;
        let dupOk = false;
        for (const c of members) {
          total += capOf(c);
          if (capOf(c) >= N) dupOk = true;
        }
        room.push(total);
        const spreadOk = spreadIn.every((s) => {
          const g = new Set<string>();
          for (const c of members) if (capOf(c) >= 1) g.add(clusterKey(clusterIds[c]!, labelsOf(c), s.key)!);
          return g.size >= (s.minGroups ?? 0);
        });
        if ((m === 'duplicated' ? dupOk || N === 0 : total >= N) && spreadOk) {
          tier[w] = k;
          break;
        }
      }
      const inTier = new Uint8Array(C);
      if (tier[w]! >= 0) for (const c of sets[tier[w]!]!) inTier[c] = 1;
      else evident[w] = { reason: `${f}.tiers: no tier can hold ${N} replicas (room per tier: ${room.join(', ')})`, fields: [`${f}.tiers`] };
      for (let c = 0; c < C; c++) if (!inTier[c]) allowed[c] = 0;
    }
    for (let c = 0; c < C; c++) {
      maxRep[w * C + c] = maxR[c]!;
      eligible[w * C + c] = allowed[c]!;
      if (allowed[c]) {
        lo[w * C + c] = minR[c]!;
        hi[w * C + c] = m === 'duplicated' ? (capOf(c) >= N ? N : 0) : capOf(c);
      }
    }
    for (const [id, v] of Object.entries(wl.minReplicas ?? {})) {
      const c = clusterIndex.get(id)!;
      if (v > 0 && !allowed[c] && !evident[w]) evident[w] = { reason: `${f}.minReplicas.${id}: ${v} replicas required on a cluster the workload may not use`, fields: [`${f}.minReplicas.${id}`] };
    }

    // Weights -> target shares.
    if (wl.weights !== undefined) {
      const wt = wl.weights as { static?: Record<string, number>; dynamic?: string; maxDeviation?: number };
      const raw = new Float64Array(C);
      if (wt.static !== undefined) {
        if (wt.static === null || typeof wt.static !== 'object') throw new ModelError(`${f}.weights.static`, `must be an object keyed by cluster id, got ${describe(wt.static)}`);
        for (const [id, v] of Object.entries(wt.static)) raw[lookupCluster(`${f}.weights.static.${id}`, id)] = requireNonNegative(`${f}.weights.static.${id}`, v);
      } else if (wt.dynamic === 'AvailableReplicas') {
        for (let c = 0; c < C; c++) raw[c] = Math.min(available[w * C + c]!, 1e9);
      } else throw new ModelError(`${f}.weights`, "must be { static: {...} } or { dynamic: 'AvailableReplicas' }");
      let sum = 0;
      for (let c = 0; c < C; c++) if (allowed[c]) sum += raw[c]!;
      hasTarget[w] = 1;
      const total = m === 'duplicated' ? 0 : N;
      for (let c = 0; c < C; c++) target[w * C + c] = allowed[c] && sum > 0 ? (total * raw[c]!) / sum : 0;
      if (wt.maxDeviation !== undefined) {
        const dev = requireNonNegative(`${f}.weights.maxDeviation`, wt.maxDeviation);
        if (m !== 'duplicated') {
          weightBand[w] = 1;
          for (let c = 0; c < C; c++) {
            if (!allowed[c]) continue;
            const t = target[w * C + c]!;
            lo[w * C + c] = Math.max(lo[w * C + c]!, Math.max(0, Math.floor(t - dev + 1e-9)));
            hi[w * C + c] = Math.min(hi[w * C + c]!, Math.ceil(t + dev - 1e-9));
          }
        }
      }
    }

    // Spread groups.
    spreadIn.forEach((s, k) => {
      const field = `${f}.spread[${k}]`;
      const groupOf = new Int32Array(C).fill(-1);
      const groups: string[] = [];
      const gi = new Map<string, number>();
      for (let c = 0; c < C; c++) {
        if (!allowed[c]) continue;
        const v = clusterKey(clusterIds[c]!, labelsOf(c), s.key)!;
        let g = gi.get(v);
        if (g === undefined) {
          g = groups.length;
          gi.set(v, g);
          groups.push(v);
        }
        groupOf[c] = g;
      }
      const minGroups = s.minGroups === undefined ? 0 : requireInteger(`${field}.minGroups`, s.minGroups, 0);
      const maxGroups = s.maxGroups === undefined ? Infinity : requireInteger(`${field}.maxGroups`, s.maxGroups, 1);
      const maxSkew = s.maxSkew === undefined ? Infinity : requireInteger(`${field}.maxSkew`, s.maxSkew, 0);
      if (minGroups > maxGroups) throw new ModelError(`${field}.minGroups`, `(${minGroups}) exceeds maxGroups (${maxGroups})`);
      spreads.push({ workload: w, field, key: s.key, groupOf, groups, minGroups, maxGroups, maxSkew });
      if (!evident[w]) {
        const withRoom = new Set<number>();
        for (let c = 0; c < C; c++) if (groupOf[c]! >= 0 && hi[w * C + c]! >= 1) withRoom.add(groupOf[c]!);
        if (withRoom.size < minGroups) {
          evident[w] = { reason: `${field}: minGroups ${minGroups} but only ${withRoom.size} ${plural(s.key)} have room`, fields: [field] };
        } else if (m !== 'duplicated' && minGroups > N) {
          evident[w] = { reason: `${field}: minGroups ${minGroups} but the workload has only ${N} replicas`, fields: [field] };
        }
      }
    });

    // Survivability.
    if (wl.survivability !== undefined) {
      const sv = wl.survivability;
      const field = `${f}.survivability`;
      if (typeof sv?.domain !== 'string' || sv.domain.length === 0) throw new ModelError(`${field}.domain`, `must be a non-empty string, got ${describe(sv?.domain)}`);
      const minAvailable = requireInteger(`${field}.minAvailable`, sv.minAvailable, 0);
      const groupOf = new Int32Array(C);
      const groups: string[] = [];
      const gi = new Map<string, number>();
      for (let c = 0; c < C; c++) {
        const v = clusterKey(clusterIds[c]!, labelsOf(c), sv.domain) ?? `cluster:${clusterIds[c]}`;
        let g = gi.get(v);
        if (g === undefined) {
          g = groups.length;
          gi.set(v, g);
          groups.push(v);
        }
        groupOf[c] = g;
      }
      survivability.push({ workload: w, field, key: sv.domain, groupOf, groups, minAvailable, rehost: sv.rehost === true });
      if (!evident[w] && m !== 'duplicated') {
        // Each domain may hold at most N - minAvailable replicas.
        const perDomain = new Float64Array(groups.length);
        for (let c = 0; c < C; c++) if (allowed[c]) perDomain[groupOf[c]!]! += hi[w * C + c]!;
        let room = 0;
        for (let g = 0; g < groups.length; g++) room += Math.min(perDomain[g]!, Math.max(0, N - minAvailable));
        if (minAvailable > N) evident[w] = { reason: `${field}: minAvailable ${minAvailable} exceeds the ${N} replicas`, fields: [`${field}.minAvailable`] };
        else if (N > 0 && room < N) evident[w] = { reason: `${field}: at most ${N - minAvailable} replicas per ${sv.domain} so that ${minAvailable} survive, but the ${plural(sv.domain)} with room hold only ${room} of ${N}`, fields: [field] };
      }
    }

    // Current assignment and moves.
    if (wl.current !== undefined) {
      if (wl.current === null || typeof wl.current !== 'object') throw new ModelError(`${f}.current`, `must be an object keyed by cluster id, got ${describe(wl.current)}`);
      current ??= new Int32Array(W * C);
      let sum = 0;
      for (const [id, v] of Object.entries(wl.current)) {
        const c = lookupCluster(`${f}.current.${id}`, id);
        current[w * C + c] = requireInteger(`${f}.current.${id}`, v, 0, MAX_INT);
        sum += current[w * C + c]!;
      }
      forcedRemovals[w] = m === 'duplicated' ? 0 : Math.max(0, sum - N);
    }
    if (wl.maxMoves !== undefined) maxMoves[w] = requireInteger(`${f}.maxMoves`, wl.maxMoves, 0, MAX_INT);
    if (wl.moveCost !== undefined) moveCost[w] = requireNonNegative(`${f}.moveCost`, wl.moveCost);
    if (wl.uid !== undefined && typeof wl.uid !== 'string') throw new ModelError(`${f}.uid`, `must be a string, got ${describe(wl.uid)}`);

    // Evident capacity / bound infeasibility.
    if (!evident[w]) {
      let sumHi = 0;
      let sumLo = 0;
      let anyDup = false;
      for (let c = 0; c < C; c++) {
        if (!eligible[w * C + c]) continue;
        sumHi += hi[w * C + c]!;
        sumLo += lo[w * C + c]!;
        if (hi[w * C + c]! >= N) anyDup = true;
      }
      if (m === 'duplicated') {
        if (N > 0 && !anyDup) evident[w] = { reason: `${f}: no allowed cluster has room for all ${N} replicas (duplicated)`, fields: [`${f}.replicas`, 'clusters[].free'] };
      } else if (sumLo > N) {
        evident[w] = { reason: `${f}.minReplicas: the minimums add up to ${sumLo} > ${N} replicas`, fields: [`${f}.minReplicas`] };
      } else if (sumHi < N) {
        evident[w] = { reason: `${f}: only ${sumHi} of ${N} replicas fit on the allowed clusters (free capacity${wl.maxReplicas ? ', maxReplicas' : ''}${weightBand[w] ? ', weights.maxDeviation' : ''})`, fields: [`${f}.replicas`, 'clusters[].free'] };
      } else {
        for (let c = 0; c < C; c++) {
          if (eligible[w * C + c] && lo[w * C + c]! > hi[w * C + c]!) {
            evident[w] = { reason: `${f}: cluster ${clusterIds[c]} needs at least ${lo[w * C + c]} replicas but has room for ${hi[w * C + c]}`, fields: [`${f}.minReplicas.${clusterIds[c]}`, `clusters[${c}].free`] };
            break;
          }
        }
      }
      if (!evident[w] && current && maxMoves[w]! >= 0) {
        // Replicas on clusters the workload may no longer use must move.
        let forced = 0;
        for (let c = 0; c < C; c++) {
          const cur = current[w * C + c]!;
          forced += eligible[w * C + c] ? Math.max(0, cur - hi[w * C + c]!) : cur;
        }
        forced -= forcedRemovals[w]!;
        if (forced > maxMoves[w]!) evident[w] = { reason: `${f}.maxMoves: ${forced} replicas sit on clusters that cannot keep them, more than maxMoves ${maxMoves[w]}`, fields: [`${f}.maxMoves`, `${f}.current`] };
      }
    }
  }

  let failureDomain = inp.failureDomain;
  if (failureDomain === undefined) {
    failureDomain = inp.workloads.find((w) => w.survivability)?.survivability?.domain;
    if (failureDomain === undefined) failureDomain = inp.clusters.some((c) => c.labels?.zone !== undefined) ? 'zone' : 'cluster';
  }

  const spreadsOf: CompiledSpread[][] = Array.from({ length: W }, () => []);
  for (const s of spreads) spreadsOf[s.workload]!.push(s);
  const survivabilityOf: (CompiledSurvivability | undefined)[] = new Array(W).fill(undefined);
  for (const s of survivability) survivabilityOf[s.workload] = s;
  return {
    kind: 'replicas',
    input: inp,
    placement,
    W,
    C,
    D,
    dimensions: dims,
    clusterIds: placement.siteIds,
    workloadIds,
    clusterLabels: placement.siteLabels,
    free,
    request,
    replicas,
    unitCost,
    unitLatency,
    priority,
    mode,
    tier,
    eligible,
    available,
    lo,
    hi,
    maxRep,
    target,
    hasTarget,
    weightBand,
    spreads,
    survivability,
    spreadsOf,
    survivabilityOf,
    ...(current ? { current } : {}),
    maxMoves,
    moveCost,
    forcedRemovals,
    weights,
    ...(lexicographic ? { lexicographic } : {}),
    failureDomain,
    evident,
  };
}

function plural(key: string): string {
  if (key === 'cluster') return 'clusters';
  if (key.endsWith('y')) return `${key.slice(0, -1)}ies`;
  return key.endsWith('s') ? key : `${key}s`;
}
