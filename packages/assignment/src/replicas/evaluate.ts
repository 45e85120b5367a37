import { ModelError } from '@emplace/core';
import type { ReplicaCriterion, ReplicaInput, ReplicaModel } from './model.js';

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
  const dims = input.dimensions;
  const D = dims.length;
  if (counts.length !== W * C) throw new ModelError('counts', `must have ${W} x ${C} = ${W * C} entries, got ${counts.length}`);
  const idx = new Map(input.clusters.map((c, i) => [c.id, i]));
  const v: string[] = [];
  const x = (w: number, c: number) => counts[w * C + c]!;
  for (let k = 0; k < counts.length; k++) {
    if (!Number.isInteger(counts[k]) || counts[k]! < 0) v.push(`counts[${k}] is not a non-negative integer (${counts[k]})`);
  }

  // Capacity, and the residual free capacity used by re-hosting.
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

  const placed: boolean[] = [];
  let cost = 0;
  let latency = 0;
  let imbalance = 0;
  let clustersUsed = 0;
  let moved = 0;
  const popW = (input.populations ?? []).reduce((s, p) => s + p.weight, 0);
  const lat = (c: number) => (popW > 0 ? (input.populations ?? []).reduce((s, p) => s + p.weight * (input.clusters[c]!.latency?.[p.id] ?? 0), 0) / popW : 0);

  for (let w = 0; w < W; w++) {
    const wl = input.workloads[w]!;
    const f = `workloads[${w}]`;
    const N = wl.replicas;
    const mode = wl.mode ?? 'divided';
    let total = 0;
    for (let c = 0; c < C; c++) total += x(w, c);
    const isPlaced = total > 0 || N === 0;
    placed.push(isPlaced);
    // Moves count even for an unplaced workload (its current replicas go away).
    let curSum = 0;
    let dec = 0;
    if (wl.current) {
      for (const [id, n] of Object.entries(wl.current)) {
        curSum += n;
        dec += Math.max(0, n - x(w, idx.get(id)!));
      }
    }
    const forced = mode === 'duplicated' ? 0 : Math.max(0, curSum - N);
    const mv = Math.max(0, dec - forced);
    moved += mv;
    cost += mv * (wl.moveCost ?? 0);
    if (!isPlaced) continue;
    if (wl.maxMoves !== undefined && mv > wl.maxMoves) v.push(`${f}.maxMoves: ${mv} replicas moved > ${wl.maxMoves}`);

    const price = (c: number) => dims.reduce((s, d) => s + (wl.request[d] ?? 0) * (input.clusters[c]!.price?.[d] ?? 0), 0);
    for (let c = 0; c < C; c++) {
      if (x(w, c) > 0) {
        clustersUsed++;
        cost += x(w, c) * price(c);
        latency += x(w, c) * lat(c);
      }
    }

    // Eligibility: allowed, spread labels, tier.
    const ok = new Array<boolean>(C).fill(true);
    if (wl.allowed) {
      ok.fill(false);
      for (const id of wl.allowed) ok[idx.get(id)!] = true;
    }
    for (const s of wl.spread ?? []) for (let c = 0; c < C; c++) if (keyOf(input, c, s.key) === undefined) ok[c] = false;
    const maxR = (c: number) => wl.maxReplicas?.[input.clusters[c]!.id] ?? Infinity;
    const minR = (c: number) => wl.minReplicas?.[input.clusters[c]!.id] ?? 0;
    if (wl.tiers) {
      let chosen = -1;
      for (let k = 0; k < wl.tiers.length && chosen < 0; k++) {
        const members = wl.tiers[k]!.map((id) => idx.get(id)!).filter((c) => ok[c]);
        const room = (c: number) => Math.min(maxR(c), avail(input, c, wl.request), mode === 'duplicated' ? Infinity : N);
        const holds = mode === 'duplicated' ? N === 0 || members.some((c) => room(c) >= N) : members.reduce((s, c) => s + room(c), 0) >= N;
        const spreadOk = (wl.spread ?? []).every((s) => new Set(members.filter((c) => room(c) >= 1).map((c) => keyOf(input, c, s.key))).size >= (s.minGroups ?? 0));
        if (holds && spreadOk) chosen = k;
      }
      const inTier = new Set(chosen >= 0 ? wl.tiers[chosen]!.map((id) => idx.get(id)!) : []);
      for (let c = 0; c < C; c++) if (!inTier.has(c)) ok[c] = false;
    }
    for (let c = 0; c < C; c++) {
      const n = x(w, c);
      const id = input.clusters[c]!.id;
      if (n > 0 && !ok[c]) v.push(`${f}: ${n} replicas on ${id}, which is not eligible (allowed/tiers/spread label)`);
      if (n > maxR(c)) v.push(`${f}.maxReplicas.${id}: ${n} > ${maxR(c)}`);
      if (n < minR(c)) v.push(`${f}.minReplicas.${id}: ${n} < ${minR(c)}`);
      if (mode === 'duplicated' && n !== 0 && n !== N) v.push(`${f}: duplicated needs 0 or ${N} replicas on ${id}, got ${n}`);
    }
    if (mode !== 'duplicated' && total !== N) v.push(`${f}.replicas: ${total} placed, ${N} required`);

    // Weights.
    if (wl.weights) {
      const raw = new Array<number>(C).fill(0);
      if ('static' in wl.weights) for (const [id, wt] of Object.entries(wl.weights.static)) raw[idx.get(id)!] = wt;
      else for (let c = 0; c < C; c++) raw[c] = Math.min(avail(input, c, wl.request), 1e9);
      let sum = 0;
      for (let c = 0; c < C; c++) if (ok[c]) sum += raw[c]!;
      const T = mode === 'duplicated' ? 0 : N;
      for (let c = 0; c < C; c++) {
        const t = ok[c] && sum > 0 ? (T * raw[c]!) / sum : 0;
        if (mode !== 'duplicated') imbalance += Math.abs(x(w, c) - t);
        const dev = wl.weights.maxDeviation;
        if (dev !== undefined && mode !== 'duplicated' && ok[c]) {
          const lo = Math.max(0, Math.floor(t - dev + EPS));
          const hi = Math.ceil(t + dev - EPS);
          if (x(w, c) < lo || x(w, c) > hi) v.push(`${f}.weights: ${x(w, c)} on ${input.clusters[c]!.id} is outside [${lo}, ${hi}] (target ${t.toFixed(2)})`);
        }
      }
    }

    // Spread.
    (wl.spread ?? []).forEach((s, k) => {
      const per = new Map<string, number>();
      for (let c = 0; c < C; c++) {
        if (x(w, c) === 0) continue;
        const g = keyOf(input, c, s.key);
        if (g === undefined) continue;
        per.set(g, (per.get(g) ?? 0) + x(w, c));
      }
      const used = per.size;
      if (used < (s.minGroups ?? 0)) v.push(`${f}.spread[${k}]: ${used} ${s.key} groups used < minGroups ${s.minGroups}`);
      if (s.maxGroups !== undefined && used > s.maxGroups) v.push(`${f}.spread[${k}]: ${used} ${s.key} groups used > maxGroups ${s.maxGroups}`);
      if (s.maxSkew !== undefined && used > 0) {
        const vals = [...per.values()];
        const skew = Math.max(...vals) - Math.min(...vals);
        if (skew > s.maxSkew) v.push(`${f}.spread[${k}]: skew ${skew} > maxSkew ${s.maxSkew}`);
      }
    });

    // Survivability and N-1 re-hosting.
    const sv = wl.survivability;
    if (sv) {
      const dom = (c: number) => keyOf(input, c, sv.domain) ?? `cluster:${input.clusters[c]!.id}`;
      const domains = new Set<string>();
      for (let c = 0; c < C; c++) domains.add(dom(c));
      for (const g of domains) {
        let lost = 0;
        for (let c = 0; c < C; c++) if (dom(c) === g) lost += x(w, c);
        if (total - lost < sv.minAvailable) v.push(`${f}.survivability: losing ${sv.domain} ${g} leaves ${total - lost} < minAvailable ${sv.minAvailable}`);
        if (sv.rehost && lost > 0) {
          let room = 0;
          for (let c = 0; c < C; c++) {
            if (dom(c) === g || !ok[c]) continue;
            room += Math.min(maxR(c) - x(w, c), avail(input, c, wl.request, residual));
          }
          if (room < lost) v.push(`${f}.survivability.rehost: losing ${sv.domain} ${g} loses ${lost} replicas but the survivors have room for ${room}`);
        }
      }
    }
  }

  // Worst single-domain failure over all workloads.
  const fd = model.failureDomain;
  const loss = new Map<string, number>();
  for (let c = 0; c < C; c++) {
    const g = keyOf(input, c, fd) ?? `cluster:${input.clusters[c]!.id}`;
    let s = 0;
    for (let w = 0; w < W; w++) s += x(w, c);
    loss.set(g, (loss.get(g) ?? 0) + s);
  }
  const worstDomainLoss = Math.max(0, ...loss.values());
  const criteria: Record<ReplicaCriterion, number> = { cost, latency, imbalance, clusters: clustersUsed, moves: moved };
  let weighted = 0;
  for (const k of Object.keys(criteria) as ReplicaCriterion[]) weighted += model.weights[k] * criteria[k];
  return { feasible: v.length === 0, violations: v, placed, cost, latency, imbalance, clustersUsed, moved, worstDomainLoss, criteria, weighted };
}
