import { ModelError } from '@emplace/core';
import type { ReplicaCriterion, ReplicaInput, ReplicaMode, ReplicaModel, ReplicaWeightsInput, ReplicaWorkloadInput } from './model.js';

/**
 * The independent evaluator of a replica placement. It re-derives every rule of model.ts
 * (tier choice, eligibility, bounds, weights, spread, survivability, re-hosting, moves) from
 * the model's INPUT, not from the compiled arrays the solvers use, so a test that checks a
 * solver's answer with it checks the compilation too.
 *
 * A workload whose row is all zero is "unplaced" (not a violation: batches may leave
 * workloads out when capacity is short; the solver must report them).
 */
export interface ReplicaEvaluation {
  feasible: boolean;
  violations: string[];
  /** Per workload: has at least one replica (or needs none). */
  placed: boolean[];
  cost: number;
  latency: number;
  imbalance: number;
  clustersUsed: number;
  moved: number;
  worstDomainLoss: number;
  criteria: Record<ReplicaCriterion, number>;
  /** Weighted-sum objective (model.weights); lexicographic models still get this value. */
  weighted: number;
}

const EPS = 1e-9;

function keyOf(input: ReplicaInput, c: number, key: string): string | undefined {
  const cl = input.clusters[c]!;
  return key === 'cluster' ? cl.id : cl.labels?.[key];
}

function avail(input: ReplicaInput, c: number, request: Record<string, number>, freeOverride?: Float64Array): number {
  let a = Infinity;
  input.dimensions.forEach((d, k) => {
    const r = request[d] ?? 0;
    if (r <= 0) return;
    const f = freeOverride ? freeOverride[c * input.dimensions.length + k]! : (input.clusters[c]!.free[d] ?? Infinity);
    a = Math.min(a, Math.floor(f / r + EPS));
  });
  return Math.max(0, a);
}

export function evaluateReplicaPlacement(model: ReplicaModel, counts: ArrayLike<number>): ReplicaEvaluation {
  const input = model.input;
  const C = input.clusters.length;
  const W = input.workloads.length;
  if (counts.length !== W * C) throw new ModelError('counts', `must have ${W} x ${C} = ${W * C} entries, got ${counts.length}`);
  const v: string[] = [];
  for (let k = 0; k < counts.length; k++) {
    if (!Number.isInteger(counts[k]) || counts[k]! < 0) v.push(`counts[${k}] is not a non-negative integer (${counts[k]})`);
  }
  const popW = (input.populations ?? []).reduce((s, p) => s + p.weight, 0);
  const e: Evaluation = {
    input,
    C,
    W,
    idx: new Map(input.clusters.map((c, i) => [c.id, i])),
    x: (w, c) => counts[w * C + c]!,
    v,
    residual: new Float64Array(0),
    lat: (c) => (popW > 0 ? (input.populations ?? []).reduce((s, p) => s + p.weight * (input.clusters[c]!.latency?.[p.id] ?? 0), 0) / popW : 0),
    cost: 0,
    latency: 0,
    imbalance: 0,
    clustersUsed: 0,
    moved: 0,
  };
  e.residual = checkCapacity(e);
  const placed: boolean[] = [];
  for (let w = 0; w < W; w++) placed.push(evaluateWorkload(e, w));
  const { cost, latency, imbalance, clustersUsed, moved } = e;
  const criteria: Record<ReplicaCriterion, number> = { cost, latency, imbalance, clusters: clustersUsed, moves: moved };
  let weighted = 0;
  for (const k of Object.keys(criteria) as ReplicaCriterion[]) weighted += model.weights[k] * criteria[k];
  return { feasible: v.length === 0, violations: v, placed, cost, latency, imbalance, clustersUsed, moved, worstDomainLoss: worstDomainLoss(e, model.failureDomain), criteria, weighted };
}

/** The evaluation in progress: the input, the counts, the violations found and the criteria summed so far. */
interface Evaluation {
  readonly input: ReplicaInput;
  readonly C: number;
  readonly W: number;
  readonly idx: ReadonlyMap<string, number>;
  readonly x: (w: number, c: number) => number;
  readonly v: string[];
  /** C x D free capacity left after the whole placement (re-hosting room). */
  residual: Float64Array;
  /** Population-weighted mean latency of a cluster. */
  readonly lat: (c: number) => number;
  cost: number;
  latency: number;
  imbalance: number;
  clustersUsed: number;
  moved: number;
}

/** One workload's view: its input, field path and the rules shared by its checks. */
interface WorkloadView {
  readonly e: Evaluation;
  readonly w: number;
  readonly wl: ReplicaWorkloadInput;
  readonly f: string;
  readonly N: number;
  readonly mode: ReplicaMode;
  readonly total: number;
  readonly maxR: (c: number) => number;
}

/** Capacity per cluster and dimension; returns the residual free capacity used by re-hosting. */
function checkCapacity(e: Evaluation): Float64Array {
  const { input, C, W, x, v } = e;
  const dims = input.dimensions;
  const D = dims.length;
  const residual = new Float64Array(C * D);
  for (let c = 0; c < C; c++) {
    dims.forEach((d, k) => {
      let used = 0;
      for (let w = 0; w < W; w++) used += x(w, c) * (input.workloads[w]!.request[d] ?? 0);
      const f = input.clusters[c]!.free[d] ?? Infinity;
      residual[c * D + k] = f - used;
      if (used > f + 1e-6 * Math.max(1, f)) v.push(`clusters[${c}].free.${d}: ${used} used > ${f} free on ${input.clusters[c]!.id}`);
    });
  }
  return residual;
}

/** Every rule for workload w, in the order the violations are reported; returns whether it is placed. */
function evaluateWorkload(e: Evaluation, w: number): boolean {
  const wl = e.input.workloads[w]!;
  const N = wl.replicas;
  let total = 0;
  for (let c = 0; c < e.C; c++) total += e.x(w, c);
  const k: WorkloadView = {
    e,
    w,
    wl,
    f: `workloads[${w}]`,
    N,
    mode: wl.mode ?? 'divided',
    total,
    maxR: (c) => wl.maxReplicas?.[e.input.clusters[c]!.id] ?? Infinity,
  };
  const isPlaced = total > 0 || N === 0;
  // Moves count even for an unplaced workload (its current replicas go away).
  const mv = countMoves(k);
  if (!isPlaced) return false;
  if (wl.maxMoves !== undefined && mv > wl.maxMoves) e.v.push(`${k.f}.maxMoves: ${mv} replicas moved > ${wl.maxMoves}`);
  addCostAndLatency(k);
  const ok = eligibleClusters(k);
  checkBounds(k, ok);
  if (wl.weights) checkWeights(k, wl.weights, ok);
  checkSpread(k);
  if (wl.survivability) checkSurvivability(k, wl.survivability, ok);
  return true;
}

/** Replicas moved from `current` (removals of a scale-down excluded), added to moves and cost. */
function countMoves(k: WorkloadView): number {
  const { e, w, wl, N, mode } = k;
  let curSum = 0;
  let dec = 0;
  if (wl.current) {
    for (const [id, n] of Object.entries(wl.current)) {
      curSum += n;
      dec += Math.max(0, n - e.x(w, e.idx.get(id)!));
    }
  }
  const forced = mode === 'duplicated' && N > 0 ? 0 : Math.max(0, curSum - N);
  const mv = Math.max(0, dec - forced);
  e.moved += mv;
  e.cost += mv * (wl.moveCost ?? 0);
  return mv;
}

function addCostAndLatency(k: WorkloadView): void {
  const { e, w, wl } = k;
  const { input } = e;
  const price = (c: number) => input.dimensions.reduce((s, d) => s + (wl.request[d] ?? 0) * (input.clusters[c]!.price?.[d] ?? 0), 0);
  for (let c = 0; c < e.C; c++) {
    if (e.x(w, c) > 0) {
      e.clustersUsed++;
      e.cost += e.x(w, c) * price(c);
      e.latency += e.x(w, c) * e.lat(c);
    }
  }
}

/** Eligibility: allowed, spread labels, and the first tier that can hold the workload. */
function eligibleClusters(k: WorkloadView): boolean[] {
  const { e, wl, N, mode, maxR } = k;
  const { input, idx, C } = e;
  const ok = new Array<boolean>(C).fill(true);
  if (wl.allowed) {
    ok.fill(false);
    for (const id of wl.allowed) ok[idx.get(id)!] = true;
  }
  for (const s of wl.spread ?? []) for (let c = 0; c < C; c++) if (keyOf(input, c, s.key) === undefined) ok[c] = false;
  if (wl.tiers) {
    let chosen = -1;
    for (let t = 0; t < wl.tiers.length && chosen < 0; t++) {
      const members = wl.tiers[t]!.map((id) => idx.get(id)!).filter((c) => ok[c]);
      const room = (c: number) => Math.min(maxR(c), avail(input, c, wl.request), mode === 'duplicated' ? Infinity : N);
      const holds = mode === 'duplicated' ? N === 0 || members.some((c) => room(c) >= N) : members.reduce((s, c) => s + room(c), 0) >= N;
      const spreadOk = (wl.spread ?? []).every((s) => new Set(members.filter((c) => room(c) >= 1).map((c) => keyOf(input, c, s.key))).size >= (s.minGroups ?? 0));
      if (holds && spreadOk) chosen = t;
    }
    const inTier = new Set(chosen >= 0 ? wl.tiers[chosen]!.map((id) => idx.get(id)!) : []);
    for (let c = 0; c < C; c++) if (!inTier.has(c)) ok[c] = false;
  }
  return ok;
}

/** Eligible clusters only, min/max replicas, duplicated all-or-nothing, and the replica total. */
function checkBounds(k: WorkloadView, ok: readonly boolean[]): void {
  const { e, w, wl, f, N, mode, total, maxR } = k;
  const minR = (c: number) => wl.minReplicas?.[e.input.clusters[c]!.id] ?? 0;
  for (let c = 0; c < e.C; c++) {
    const n = e.x(w, c);
    const id = e.input.clusters[c]!.id;
    if (n > 0 && !ok[c]) e.v.push(`${f}: ${n} replicas on ${id}, which is not eligible (allowed/tiers/spread label)`);
    if (n > maxR(c)) e.v.push(`${f}.maxReplicas.${id}: ${n} > ${maxR(c)}`);
    if (n < minR(c)) e.v.push(`${f}.minReplicas.${id}: ${n} < ${minR(c)}`);
    if (mode === 'duplicated' && n !== 0 && n !== N) e.v.push(`${f}: duplicated needs 0 or ${N} replicas on ${id}, got ${n}`);
  }
  if (mode !== 'duplicated' && total !== N) e.v.push(`${f}.replicas: ${total} placed, ${N} required`);
}

/** Weight targets: imbalance, and the maxDeviation band. */
function checkWeights(k: WorkloadView, weights: ReplicaWeightsInput, ok: readonly boolean[]): void {
  const { e, w, wl, f, N, mode } = k;
  const { C, input, idx } = e;
  const raw = new Array<number>(C).fill(0);
  if ('static' in weights) for (const [id, wt] of Object.entries(weights.static)) raw[idx.get(id)!] = wt;
  else for (let c = 0; c < C; c++) raw[c] = Math.min(avail(input, c, wl.request), 1e9);
  let sum = 0;
  for (let c = 0; c < C; c++) if (ok[c]) sum += raw[c]!;
  const T = mode === 'duplicated' ? 0 : N;
  for (let c = 0; c < C; c++) {
    const t = ok[c] && sum > 0 ? (T * raw[c]!) / sum : 0;
    if (mode !== 'duplicated') e.imbalance += Math.abs(e.x(w, c) - t);
    const dev = weights.maxDeviation;
    if (dev !== undefined && mode !== 'duplicated' && ok[c]) {
      const lo = Math.max(0, Math.floor(t - dev + EPS));
      const hi = Math.ceil(t + dev - EPS);
      if (e.x(w, c) < lo || e.x(w, c) > hi) e.v.push(`${f}.weights: ${e.x(w, c)} on ${input.clusters[c]!.id} is outside [${lo}, ${hi}] (target ${t.toFixed(2)})`);
    }
  }
}

/** Spread: groups used within [minGroups, maxGroups], skew among the used groups. */
function checkSpread(k: WorkloadView): void {
  const { e, w, wl, f } = k;
  (wl.spread ?? []).forEach((s, i) => {
    const per = new Map<string, number>();
    for (let c = 0; c < e.C; c++) {
      if (e.x(w, c) === 0) continue;
      const g = keyOf(e.input, c, s.key);
      if (g === undefined) continue;
      per.set(g, (per.get(g) ?? 0) + e.x(w, c));
    }
    const used = per.size;
    if (used < (s.minGroups ?? 0)) e.v.push(`${f}.spread[${i}]: ${used} ${s.key} groups used < minGroups ${s.minGroups}`);
    if (s.maxGroups !== undefined && used > s.maxGroups) e.v.push(`${f}.spread[${i}]: ${used} ${s.key} groups used > maxGroups ${s.maxGroups}`);
    if (s.maxSkew !== undefined && used > 0) {
      const vals = [...per.values()];
      const skew = Math.max(...vals) - Math.min(...vals);
      if (skew > s.maxSkew) e.v.push(`${f}.spread[${i}]: skew ${skew} > maxSkew ${s.maxSkew}`);
    }
  });
}

/** Survivability per failure domain, and N-1 re-hosting on the survivors' residual capacity. */
function checkSurvivability(k: WorkloadView, sv: NonNullable<ReplicaWorkloadInput['survivability']>, ok: readonly boolean[]): void {
  const { e, w, wl, f, total, maxR } = k;
  const { input, C } = e;
  const dom = (c: number) => keyOf(input, c, sv.domain) ?? `cluster:${input.clusters[c]!.id}`;
  const domains = new Set<string>();
  for (let c = 0; c < C; c++) domains.add(dom(c));
  for (const g of domains) {
    let lost = 0;
    for (let c = 0; c < C; c++) if (dom(c) === g) lost += e.x(w, c);
    if (total - lost < sv.minAvailable) e.v.push(`${f}.survivability: losing ${sv.domain} ${g} leaves ${total - lost} < minAvailable ${sv.minAvailable}`);
    if (sv.rehost && lost > 0) {
      let room = 0;
      for (let c = 0; c < C; c++) {
        if (dom(c) === g || !ok[c]) continue;
        room += Math.min(maxR(c) - e.x(w, c), avail(input, c, wl.request, e.residual));
      }
      if (room < lost) e.v.push(`${f}.survivability.rehost: losing ${sv.domain} ${g} loses ${lost} replicas but the survivors have room for ${room}`);
    }
  }
}

/** Worst single-domain failure over all workloads. */
function worstDomainLoss(e: Evaluation, fd: string): number {
  const loss = new Map<string, number>();
  for (let c = 0; c < e.C; c++) {
    const g = keyOf(e.input, c, fd) ?? `cluster:${e.input.clusters[c]!.id}`;
    let s = 0;
    for (let w = 0; w < e.W; w++) s += e.x(w, c);
    loss.set(g, (loss.get(g) ?? 0) + s);
  }
  return Math.max(0, ...loss.values());
}
