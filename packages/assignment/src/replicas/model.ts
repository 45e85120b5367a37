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
 *    (removals forced by a scale-down are not moves; duplicated: none is forced, except
 *    that scaling to N = 0 removes every replica without a move); moved[w] <= maxMoves; moveCost per moved
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
  /**
   * The shared placement model, the only copy of the sizes, ids and resources: sites = clusters
   * (`nSites` = C, `siteIds`, `siteLabels`, `capacity` = free, C x D, Infinity = unlimited),
   * clients = workloads (`nClients` = W, `clientIds`, `demand` = per-replica request, W x D,
   * `replicas` = N per workload), `dimensions` (D = its length).
   */
  readonly placement: ReplicaPlacement;
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

/** A placement model whose `replicas` is always present (every workload has a count, even with no workloads). */
export type ReplicaPlacement = PlacementModel & { readonly replicas: Int32Array };

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
  validateShape(input, limits);
  const inp = structuredClone(input) as ReplicaInput;
  const dims = inp.dimensions;
  const D = dims.length;
  const C = inp.clusters.length;
  const W = inp.workloads.length;
  const dimIndex = new Map(dims.map((d, i) => [d, i]));
  const compiled = compilePlacement(inp, dimIndex);
  const placement: ReplicaPlacement = { ...compiled, replicas: compiled.replicas ?? new Int32Array(W) };
  const unitCost = compileUnitCost(inp, dimIndex, placement.demand, W, C, D);
  const { unitLatency, populations } = compileLatency(inp);
  const { weights, lexicographic } = compileObjective(inp, populations);
  const s = newCompileState(inp, placement);
  for (let w = 0; w < W; w++) compileWorkload(s, w);
  const spreadsOf: CompiledSpread[][] = Array.from({ length: W }, () => []);
  for (const sp of s.spreads) spreadsOf[sp.workload]!.push(sp);
  const survivabilityOf: (CompiledSurvivability | undefined)[] = new Array(W).fill(undefined);
  for (const sv of s.survivability) survivabilityOf[sv.workload] = sv;
  return {
    kind: 'replicas',
    input: inp,
    placement,
    unitCost,
    unitLatency,
    priority: s.priority,
    mode: s.mode,
    tier: s.tier,
    eligible: s.eligible,
    available: s.available,
    lo: s.lo,
    hi: s.hi,
    maxRep: s.maxRep,
    target: s.target,
    hasTarget: s.hasTarget,
    weightBand: s.weightBand,
    spreads: s.spreads,
    survivability: s.survivability,
    spreadsOf,
    survivabilityOf,
    ...(s.current ? { current: s.current } : {}),
    maxMoves: s.maxMoves,
    moveCost: s.moveCost,
    forcedRemovals: s.forcedRemovals,
    weights,
    ...(lexicographic ? { lexicographic } : {}),
    failureDomain: defaultFailureDomain(inp),
    evident: s.evident,
  };
}

/** Top-level shape and the size limit, checked before anything is copied or allocated. */
function validateShape(input: ReplicaInput, limits: { maxPairs?: number }): void {
  if (input === null || typeof input !== 'object') throw new ModelError('replicas', `must be an object, got ${describe(input)}`);
  if (!Array.isArray(input.dimensions) || input.dimensions.length === 0) throw new ModelError('dimensions', 'must name at least one resource dimension');
  if (!Array.isArray(input.clusters) || input.clusters.length === 0) throw new ModelError('clusters', 'must not be empty');
  if (!Array.isArray(input.workloads)) throw new ModelError('workloads', `must be an array, got ${describe(input.workloads)}`);
  if (input.workloads.length * input.clusters.length > (limits.maxPairs ?? REPLICAS_MAX_PAIRS)) {
    throw new ModelError('workloads', `${input.workloads.length} workloads x ${input.clusters.length} clusters exceeds the limit of ${limits.maxPairs ?? REPLICAS_MAX_PAIRS} pairs (about 60 bytes each); raise limits.maxPairs to allow it`);
  }
}

/** A per-dimension record (free, request, price), keyed by declared dimensions only. */
function readDimRecord(dims: readonly string[], dimIndex: ReadonlyMap<string, number>, field: string, rec: unknown, allowInf: boolean): Record<string, number> {
  if (rec === undefined) return {};
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new ModelError(field, `must be an object keyed by dimension, got ${describe(rec)}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(rec as Record<string, unknown>)) {
    if (!dimIndex.has(k)) throw new ModelError(`${field}.${k}`, `is not a declared dimension (${dims.join(', ')})`);
    out[k] = requireNonNegative(`${field}.${k}`, v, allowInf);
  }
  return out;
}

/** Clusters are the sites, workloads the clients: the shared model validates ids and shapes. */
function compilePlacement(inp: ReplicaInput, dimIndex: ReadonlyMap<string, number>): PlacementModel {
  inp.clusters.forEach((c, i) => {
    if (c === null || typeof c !== 'object') throw new ModelError(`clusters[${i}]`, `must be an object, got ${describe(c)}`);
  });
  return createPlacementModel({
    dimensions: inp.dimensions,
    sites: inp.clusters.map((c, i) => ({ id: c.id, capacity: readDimRecord(inp.dimensions, dimIndex, `clusters[${i}].free`, c.free ?? {}, true), labels: c.labels ?? {} })),
    clients: inp.workloads.map((w, j) => {
      if (w === null || typeof w !== 'object') throw new ModelError(`workloads[${j}]`, `must be an object, got ${describe(w)}`);
      return { id: w.id, demand: readDimRecord(inp.dimensions, dimIndex, `workloads[${j}].request`, w.request ?? {}, false), replicas: requireInteger(`workloads[${j}].replicas`, w.replicas, 0, 1e7) };
    }),
    cost: new Float64Array(inp.clusters.length * inp.workloads.length),
  });
}

/** W x C price of one replica: sum_d request_d * price_d. */
function compileUnitCost(inp: ReplicaInput, dimIndex: ReadonlyMap<string, number>, request: Float64Array, W: number, C: number, D: number): Float64Array {
  const pricePerUnit = new Float64Array(C * D);
  inp.clusters.forEach((c, i) => {
    const p = readDimRecord(inp.dimensions, dimIndex, `clusters[${i}].price`, c.price, false);
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
  return unitCost;
}

/** Population-weighted mean latency per cluster (0 without populations). */
function compileLatency(inp: ReplicaInput): { unitLatency: Float64Array; populations: { id: string; weight: number }[] } {
  const unitLatency = new Float64Array(inp.clusters.length);
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
  return { unitLatency, populations: pops };
}

/** Criterion weights (default: cost only) and the optional lexicographic order. */
function compileObjective(inp: ReplicaInput, pops: readonly unknown[]): { weights: Record<ReplicaCriterion, number>; lexicographic: ReplicaCriterion[] | undefined } {
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
  return { weights, lexicographic };
}

/** The reported failure domain: given, else the first survivability domain, else 'zone' when clusters carry it, else 'cluster'. */
function defaultFailureDomain(inp: ReplicaInput): string {
  let failureDomain = inp.failureDomain;
  if (failureDomain === undefined) {
    failureDomain = inp.workloads.find((w) => w.survivability)?.survivability?.domain;
    if (failureDomain === undefined) failureDomain = inp.clusters.some((c) => c.labels?.zone !== undefined) ? 'zone' : 'cluster';
  }
  return failureDomain;
}

/** The per-workload arrays being filled, shared by the workload compilation steps below. */
interface CompileState
  extends Pick<
    ReplicaModel,
    | 'placement' | 'priority' | 'mode' | 'tier' | 'eligible' | 'available' | 'lo' | 'hi' | 'maxRep' | 'target' | 'hasTarget'
    | 'weightBand' | 'maxMoves' | 'moveCost'
  > {
  readonly inp: ReplicaInput;
  /** Workloads, clusters and dimensions of `placement`, named as in the loops below. */
  readonly W: number;
  readonly C: number;
  readonly D: number;
  readonly clusterIndex: ReadonlyMap<string, number>;
  readonly forcedRemovals: Int32Array;
  /** Allocated by the first workload with a current assignment. */
  current: Int32Array | undefined;
  readonly spreads: CompiledSpread[];
  readonly survivability: CompiledSurvivability[];
  readonly evident: (ReplicaCertificate | undefined)[];
}

function newCompileState(inp: ReplicaInput, placement: ReplicaPlacement): CompileState {
  const { nClients: W, nSites: C } = placement;
  return {
    inp,
    placement,
    W,
    C,
    D: placement.dimensions.length,
    clusterIndex: new Map(placement.siteIds.map((id, i) => [id, i])),
    priority: new Float64Array(W),
    mode: new Uint8Array(W),
    tier: new Int32Array(W).fill(-1),
    eligible: new Uint8Array(W * C),
    available: new Int32Array(W * C),
    lo: new Int32Array(W * C),
    hi: new Int32Array(W * C),
    maxRep: new Int32Array(W * C),
    target: new Float64Array(W * C),
    hasTarget: new Uint8Array(W),
    weightBand: new Uint8Array(W),
    maxMoves: new Int32Array(W).fill(-1),
    moveCost: new Float64Array(W),
    forcedRemovals: new Int32Array(W),
    current: undefined,
    spreads: [],
    survivability: [],
    evident: new Array(W).fill(undefined),
  };
}

/** One workload being compiled: its input, field path and the working cluster sets. */
interface WorkloadStep {
  readonly s: CompileState;
  readonly w: number;
  readonly wl: ReplicaWorkloadInput;
  /** `workloads[w]`, the prefix of every error field. */
  readonly f: string;
  readonly N: number;
  readonly m: ReplicaMode;
  /** Clusters still usable (allowed, labelled for every spread key, in the chosen tier). */
  readonly allowed: Uint8Array;
  readonly spreadIn: ReplicaSpreadInput[];
  readonly minR: Int32Array;
  readonly maxR: Int32Array;
}

function lookupCluster(s: CompileState, field: string, id: unknown): number {
  const c = typeof id === 'string' ? s.clusterIndex.get(id) : undefined;
  if (c === undefined) throw new ModelError(field, `names unknown cluster ${describe(id)}`);
  return c;
}

function labelsOf(s: CompileState, c: number): Record<string, string> | undefined {
  return s.inp.clusters[c]!.labels;
}

/** Replicas cluster c can take for the workload: maxReplicas, available and (unless duplicated) N. */
function capOf(k: WorkloadStep, c: number): number {
  return Math.min(k.maxR[c]!, k.s.available[k.w * k.s.C + c]!, k.m === 'duplicated' ? MAX_INT : k.N);
}

/** The steps run in this order: later ones read the bounds and eligibility earlier ones wrote. */
function compileWorkload(s: CompileState, w: number): void {
  const wl = s.inp.workloads[w]!;
  const f = `workloads[${w}]`;
  if (wl.priority !== undefined) s.priority[w] = requireFinite(`${f}.priority`, wl.priority);
  const m = wl.mode ?? 'divided';
  if (m !== 'divided' && m !== 'aggregated' && m !== 'duplicated') throw new ModelError(`${f}.mode`, `must be divided, aggregated or duplicated, got ${describe(m)}`);
  s.mode[w] = m === 'divided' ? 0 : m === 'aggregated' ? 1 : 2;
  for (let c = 0; c < s.C; c++) s.available[w * s.C + c] = availableReplicas(s.placement.capacity, c * s.D, s.placement.demand, w * s.D, s.D);
  const { allowed, spreadIn } = allowedClusters(s, wl, f);
  const { minR, maxR } = replicaBounds(s, wl, f);
  const k: WorkloadStep = { s, w, wl, f, N: s.placement.replicas[w]!, m, allowed, spreadIn, minR, maxR };
  chooseTier(k);
  writeBounds(k);
  compileWeights(k);
  compileSpreads(k);
  compileSurvivability(k);
  compileMoves(k);
  if (!s.evident[w]) s.evident[w] = boundInfeasibility(k) ?? movesInfeasibility(k);
}

/** `allowed` (absent = all), minus clusters without a label for some spread key. */
function allowedClusters(s: CompileState, wl: ReplicaWorkloadInput, f: string): { allowed: Uint8Array; spreadIn: ReplicaSpreadInput[] } {
  const allowed = new Uint8Array(s.C);
  if (wl.allowed !== undefined) {
    if (!Array.isArray(wl.allowed)) throw new ModelError(`${f}.allowed`, `must be an array of cluster ids, got ${describe(wl.allowed)}`);
    wl.allowed.forEach((id, k) => (allowed[lookupCluster(s, `${f}.allowed[${k}]`, id)] = 1));
  } else allowed.fill(1);
  const spreadIn = wl.spread ?? [];
  if (!Array.isArray(spreadIn)) throw new ModelError(`${f}.spread`, `must be an array, got ${describe(spreadIn)}`);
  spreadIn.forEach((sp, k) => {
    if (typeof sp?.key !== 'string' || sp.key.length === 0) throw new ModelError(`${f}.spread[${k}].key`, `must be a non-empty string, got ${describe(sp?.key)}`);
    for (let c = 0; c < s.C; c++) if (clusterKey(s.placement.siteIds[c]!, labelsOf(s, c), sp.key) === undefined) allowed[c] = 0;
  });
  return { allowed, spreadIn };
}

/** minReplicas / maxReplicas per cluster (0 and 2^31-1 when absent). */
function replicaBounds(s: CompileState, wl: ReplicaWorkloadInput, f: string): { minR: Int32Array; maxR: Int32Array } {
  const minR = new Int32Array(s.C);
  const maxR = new Int32Array(s.C).fill(MAX_INT);
  for (const [name, rec, arr] of [['minReplicas', wl.minReplicas, minR], ['maxReplicas', wl.maxReplicas, maxR]] as const) {
    if (rec === undefined) continue;
    if (rec === null || typeof rec !== 'object') throw new ModelError(`${f}.${name}`, `must be an object keyed by cluster id, got ${describe(rec)}`);
    for (const [id, v] of Object.entries(rec)) arr[lookupCluster(s, `${f}.${name}.${id}`, id)] = requireInteger(`${f}.${name}.${id}`, v, 0, MAX_INT);
  }
  for (let c = 0; c < s.C; c++) {
    if (minR[c]! > maxR[c]!) throw new ModelError(`${f}.minReplicas.${s.placement.siteIds[c]}`, `(${minR[c]}) exceeds maxReplicas (${maxR[c]})`);
  }
  return { minR, maxR };
}

/** Tiers: the first that can hold the workload; clusters outside it are not used. */
function chooseTier(k: WorkloadStep): void {
  const { s, w, wl, f, N, m, allowed, spreadIn } = k;
  if (wl.tiers === undefined) return;
  if (!Array.isArray(wl.tiers) || wl.tiers.length === 0) throw new ModelError(`${f}.tiers`, 'must be a non-empty array of cluster-id arrays');
  const sets = wl.tiers.map((t, i) => {
    if (!Array.isArray(t)) throw new ModelError(`${f}.tiers[${i}]`, `must be an array of cluster ids, got ${describe(t)}`);
    return t.map((id, j) => lookupCluster(s, `${f}.tiers[${i}][${j}]`, id));
  });
  const room: number[] = [];
  for (let t = 0; t < sets.length; t++) {
    const members = sets[t]!.filter((c) => allowed[c]);
    let total = 0;
    let dupOk = false;
    for (const c of members) {
      total += capOf(k, c);
      if (capOf(k, c) >= N) dupOk = true;
    }
    room.push(total);
    const spreadOk = spreadIn.every((sp) => {
      const g = new Set<string>();
      for (const c of members) if (capOf(k, c) >= 1) g.add(clusterKey(s.placement.siteIds[c]!, labelsOf(s, c), sp.key)!);
      return g.size >= (sp.minGroups ?? 0);
    });
    if ((m === 'duplicated' ? dupOk || N === 0 : total >= N) && spreadOk) {
      s.tier[w] = t;
      break;
    }
  }
  const inTier = new Uint8Array(s.C);
  if (s.tier[w]! >= 0) for (const c of sets[s.tier[w]!]!) inTier[c] = 1;
  else s.evident[w] = { reason: `${f}.tiers: no tier can hold ${N} replicas (room per tier: ${room.join(', ')})`, fields: [`${f}.tiers`] };
  for (let c = 0; c < s.C; c++) if (!inTier[c]) allowed[c] = 0;
}

/** eligible, maxRep, lo and hi per cluster; a positive minimum on an unusable cluster is evident. */
function writeBounds(k: WorkloadStep): void {
  const { s, w, wl, f, N, m, allowed, minR, maxR } = k;
  const C = s.C;
  for (let c = 0; c < C; c++) {
    s.maxRep[w * C + c] = maxR[c]!;
    s.eligible[w * C + c] = allowed[c]!;
    if (allowed[c]) {
      s.lo[w * C + c] = minR[c]!;
      s.hi[w * C + c] = m === 'duplicated' ? (capOf(k, c) >= N ? N : 0) : capOf(k, c);
    }
  }
  for (const [id, v] of Object.entries(wl.minReplicas ?? {})) {
    const c = s.clusterIndex.get(id)!;
    if (v > 0 && !allowed[c] && !s.evident[w]) s.evident[w] = { reason: `${f}.minReplicas.${id}: ${v} replicas required on a cluster the workload may not use`, fields: [`${f}.minReplicas.${id}`] };
  }
}

/** Weights -> target shares, and with maxDeviation a hard band on lo / hi. */
function compileWeights(k: WorkloadStep): void {
  const { s, w, wl, f, N, m, allowed } = k;
  const C = s.C;
  if (wl.weights === undefined) return;
  const wt = wl.weights as { static?: Record<string, number>; dynamic?: string; maxDeviation?: number };
  const raw = new Float64Array(C);
  if (wt.static !== undefined) {
    if (wt.static === null || typeof wt.static !== 'object') throw new ModelError(`${f}.weights.static`, `must be an object keyed by cluster id, got ${describe(wt.static)}`);
    for (const [id, v] of Object.entries(wt.static)) raw[lookupCluster(s, `${f}.weights.static.${id}`, id)] = requireNonNegative(`${f}.weights.static.${id}`, v);
  } else if (wt.dynamic === 'AvailableReplicas') {
    for (let c = 0; c < C; c++) raw[c] = Math.min(s.available[w * C + c]!, 1e9);
  } else throw new ModelError(`${f}.weights`, "must be { static: {...} } or { dynamic: 'AvailableReplicas' }");
  let sum = 0;
  for (let c = 0; c < C; c++) if (allowed[c]) sum += raw[c]!;
  s.hasTarget[w] = 1;
  const total = m === 'duplicated' ? 0 : N;
  for (let c = 0; c < C; c++) s.target[w * C + c] = allowed[c] && sum > 0 ? (total * raw[c]!) / sum : 0;
  if (wt.maxDeviation === undefined) return;
  const dev = requireNonNegative(`${f}.weights.maxDeviation`, wt.maxDeviation);
  if (m === 'duplicated') return;
  s.weightBand[w] = 1;
  for (let c = 0; c < C; c++) {
    if (!allowed[c]) continue;
    const t = s.target[w * C + c]!;
    s.lo[w * C + c] = Math.max(s.lo[w * C + c]!, Math.max(0, Math.floor(t - dev + 1e-9)));
    s.hi[w * C + c] = Math.min(s.hi[w * C + c]!, Math.ceil(t + dev - 1e-9));
  }
}

/** Index clusters by the value of a key; `fallback` names clusters without it (undefined: left at -1). */
function groupClusters(s: CompileState, key: string, use: (c: number) => boolean, fallback: ((c: number) => string) | undefined): { groupOf: Int32Array; groups: string[] } {
  const groupOf = new Int32Array(s.C).fill(-1);
  const groups: string[] = [];
  const gi = new Map<string, number>();
  for (let c = 0; c < s.C; c++) {
    if (!use(c)) continue;
    const v = clusterKey(s.placement.siteIds[c]!, labelsOf(s, c), key) ?? fallback?.(c);
    if (v === undefined) continue;
    let g = gi.get(v);
    if (g === undefined) {
      g = groups.length;
      gi.set(v, g);
      groups.push(v);
    }
    groupOf[c] = g;
  }
  return { groupOf, groups };
}

/** Spread groups over the eligible clusters, with evident minGroups infeasibility. */
function compileSpreads(k: WorkloadStep): void {
  const { s, w, f, N, m, allowed, spreadIn } = k;
  spreadIn.forEach((sp, i) => {
    const field = `${f}.spread[${i}]`;
    // Every allowed cluster carries the key here (allowedClusters removed the others).
    const { groupOf, groups } = groupClusters(s, sp.key, (c) => allowed[c] === 1, undefined);
    const minGroups = sp.minGroups === undefined ? 0 : requireInteger(`${field}.minGroups`, sp.minGroups, 0);
    const maxGroups = sp.maxGroups === undefined ? Infinity : requireInteger(`${field}.maxGroups`, sp.maxGroups, 1);
    const maxSkew = sp.maxSkew === undefined ? Infinity : requireInteger(`${field}.maxSkew`, sp.maxSkew, 0);
    if (minGroups > maxGroups) throw new ModelError(`${field}.minGroups`, `(${minGroups}) exceeds maxGroups (${maxGroups})`);
    s.spreads.push({ workload: w, field, key: sp.key, groupOf, groups, minGroups, maxGroups, maxSkew });
    if (s.evident[w]) return;
    const withRoom = new Set<number>();
    for (let c = 0; c < s.C; c++) if (groupOf[c]! >= 0 && s.hi[w * s.C + c]! >= 1) withRoom.add(groupOf[c]!);
    if (withRoom.size < minGroups) {
      s.evident[w] = { reason: `${field}: minGroups ${minGroups} but only ${withRoom.size} ${plural(sp.key)} have room`, fields: [field] };
    } else if (m !== 'duplicated' && minGroups > N) {
      s.evident[w] = { reason: `${field}: minGroups ${minGroups} but the workload has only ${N} replicas`, fields: [field] };
    }
  });
}

/** Failure domains over all clusters (a cluster without the label is its own domain), with evident infeasibility. */
function compileSurvivability(k: WorkloadStep): void {
  const { s, w, wl, f, N, m, allowed } = k;
  if (wl.survivability === undefined) return;
  const sv = wl.survivability;
  const field = `${f}.survivability`;
  if (typeof sv?.domain !== 'string' || sv.domain.length === 0) throw new ModelError(`${field}.domain`, `must be a non-empty string, got ${describe(sv?.domain)}`);
  const minAvailable = requireInteger(`${field}.minAvailable`, sv.minAvailable, 0);
  const { groupOf, groups } = groupClusters(s, sv.domain, () => true, (c) => `cluster:${s.placement.siteIds[c]}`);
  s.survivability.push({ workload: w, field, key: sv.domain, groupOf, groups, minAvailable, rehost: sv.rehost === true });
  if (s.evident[w]) return;
  if (m === 'duplicated') {
    // Copies on several clusters can outlive any one domain, but a workload of 0 replicas has none to keep.
    if (N === 0 && minAvailable > 0) s.evident[w] = { reason: `${field}: minAvailable ${minAvailable} but the workload has 0 replicas`, fields: [`${field}.minAvailable`] };
    return;
  }
  // Each domain may hold at most N - minAvailable replicas.
  const perDomain = new Float64Array(groups.length);
  for (let c = 0; c < s.C; c++) if (allowed[c]) perDomain[groupOf[c]!]! += s.hi[w * s.C + c]!;
  let room = 0;
  for (let g = 0; g < groups.length; g++) room += Math.min(perDomain[g]!, Math.max(0, N - minAvailable));
  if (minAvailable > N) s.evident[w] = { reason: `${field}: minAvailable ${minAvailable} exceeds the ${N} replicas`, fields: [`${field}.minAvailable`] };
  else if (N > 0 && room < N) s.evident[w] = { reason: `${field}: at most ${N - minAvailable} replicas per ${sv.domain} so that ${minAvailable} survive, but the ${plural(sv.domain)} with room hold only ${room} of ${N}`, fields: [field] };
}

/** Current assignment, move limit and cost, and the uid's type. */
function compileMoves(k: WorkloadStep): void {
  const { s, w, wl, f, N, m } = k;
  if (wl.current !== undefined) {
    if (wl.current === null || typeof wl.current !== 'object') throw new ModelError(`${f}.current`, `must be an object keyed by cluster id, got ${describe(wl.current)}`);
    const current = (s.current ??= new Int32Array(s.W * s.C));
    let sum = 0;
    for (const [id, v] of Object.entries(wl.current)) {
      const c = lookupCluster(s, `${f}.current.${id}`, id);
      current[w * s.C + c] = requireInteger(`${f}.current.${id}`, v, 0, MAX_INT);
      sum += current[w * s.C + c]!;
    }
    // Duplicated copies are all-or-nothing per cluster, so no removal is forced, except when
    // the workload scales to 0: then every current replica goes, and none of them moves.
    s.forcedRemovals[w] = m === 'duplicated' && N > 0 ? 0 : Math.max(0, sum - N);
  }
  if (wl.maxMoves !== undefined) s.maxMoves[w] = requireInteger(`${f}.maxMoves`, wl.maxMoves, 0, MAX_INT);
  if (wl.moveCost !== undefined) s.moveCost[w] = requireNonNegative(`${f}.moveCost`, wl.moveCost);
  if (wl.uid !== undefined && typeof wl.uid !== 'string') throw new ModelError(`${f}.uid`, `must be a string, got ${describe(wl.uid)}`);
}

/** Evident capacity / bound infeasibility from the final lo / hi. */
function boundInfeasibility(k: WorkloadStep): ReplicaCertificate | undefined {
  const { s, w, wl, f, N, m } = k;
  const C = s.C;
  let sumHi = 0;
  let sumLo = 0;
  let anyDup = false;
  for (let c = 0; c < C; c++) {
    if (!s.eligible[w * C + c]) continue;
    sumHi += s.hi[w * C + c]!;
    sumLo += s.lo[w * C + c]!;
    if (s.hi[w * C + c]! >= N) anyDup = true;
  }
  if (m === 'duplicated') {
    if (N > 0 && !anyDup) return { reason: `${f}: no allowed cluster has room for all ${N} replicas (duplicated)`, fields: [`${f}.replicas`, 'clusters[].free'] };
    // A duplicated workload runs 0 or all N replicas on a cluster: a minimum there means all N.
    for (let c = 0; c < C; c++) {
      const k2 = w * C + c;
      if (!s.eligible[k2] || s.lo[k2]! === 0 || (s.lo[k2]! <= N && s.hi[k2]! >= N)) continue;
      const id = s.placement.siteIds[c]!;
      return { reason: `${f}.minReplicas.${id}: ${s.lo[k2]} replicas required on ${id}, but a duplicated workload runs 0 or all ${N} replicas on a cluster${s.hi[k2]! < N ? ` and ${id} has room for ${s.hi[k2]}` : ''}`, fields: [`${f}.minReplicas.${id}`] };
    }
  } else if (sumLo > N) {
    return { reason: `${f}.minReplicas: the minimums add up to ${sumLo} > ${N} replicas`, fields: [`${f}.minReplicas`] };
  } else if (sumHi < N) {
    return { reason: `${f}: only ${sumHi} of ${N} replicas fit on the allowed clusters (free capacity${wl.maxReplicas ? ', maxReplicas' : ''}${s.weightBand[w] ? ', weights.maxDeviation' : ''})`, fields: [`${f}.replicas`, 'clusters[].free'] };
  } else {
    for (let c = 0; c < C; c++) {
      if (s.eligible[w * C + c] && s.lo[w * C + c]! > s.hi[w * C + c]!) {
        return { reason: `${f}: cluster ${s.placement.siteIds[c]} needs at least ${s.lo[w * C + c]} replicas but has room for ${s.hi[w * C + c]}`, fields: [`${f}.minReplicas.${s.placement.siteIds[c]}`, `clusters[${c}].free`] };
      }
    }
  }
  return undefined;
}

/** Replicas on clusters the workload may no longer use must move: more than maxMoves is evident. */
function movesInfeasibility(k: WorkloadStep): ReplicaCertificate | undefined {
  const { s, w, f } = k;
  const current = s.current;
  if (!current || s.maxMoves[w]! < 0) return undefined;
  let forced = 0;
  for (let c = 0; c < s.C; c++) {
    const cur = current[w * s.C + c]!;
    forced += s.eligible[w * s.C + c] ? Math.max(0, cur - s.hi[w * s.C + c]!) : cur;
  }
  forced -= s.forcedRemovals[w]!;
  if (forced > s.maxMoves[w]!) return { reason: `${f}.maxMoves: ${forced} replicas sit on clusters that cannot keep them, more than maxMoves ${s.maxMoves[w]}`, fields: [`${f}.maxMoves`, `${f}.current`] };
  return undefined;
}

function plural(key: string): string {
  if (key === 'cluster') return 'clusters';
  if (key.endsWith('y')) return `${key.slice(0, -1)}ies`;
  return key.endsWith('s') ? key : `${key}s`;
}
