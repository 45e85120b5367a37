/**
 * Edge-case replica placements for the status audit (statuses.ts): the `replicas` family, with
 * its truth by enumerating every plan (every composition of each workload's replicas over the
 * clusters, 0-or-N copies when duplicated, or unplaced) and an independent evaluator of the
 * returned plan, both written here from the semantics stated in assignment/src/replicas/model.ts
 * and docs/replicas-format.md, never through evaluateReplicaPlacement:
 *   capacity per cluster and dimension over every workload; a placed workload uses only eligible
 *   clusters (allowed, carrying every spread key, in the first tier that can hold it), within
 *   min/maxReplicas, all N replicas (duplicated: 0 or N per cluster), within its weight band,
 *   spread (groups used in [minGroups, maxGroups], skew of the used groups), survivability
 *   (replicas outside each failure domain >= minAvailable; with rehost the lost ones fit the
 *   survivors' residual capacity) and maxMoves; an unplaced workload has no replica.
 *   Ranking: placed workloads (with replicas) per priority level, highest first; then the
 *   clusters of aggregated workloads; then the objective (weighted sum of cost, imbalance,
 *   clusters and moves, or the lexicographic order). `optimal` = ranks as the best plan.
 * Edge cases: one cluster, no workloads, zero replicas, every cluster forbidden (allowed = []),
 * zero and 1e12 free capacity, missing dimensions (unlimited), zero requests, tiers none can
 * hold, minGroups above the clusters, minAvailable above the replicas, maxMoves 0, 2^40 prices.
 */
import type { Result } from '../../packages/core/src/index.ts';
import { createReplicaModel, type ReplicaCriterion, type ReplicaInput, type ReplicaWorkloadInput } from '../../packages/assignment/src/index.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import type { AuditCase } from './cases.ts';

const CRITERIA: readonly ReplicaCriterion[] = ['cost', 'latency', 'imbalance', 'clusters', 'moves'];

function replicaInput(r: Rand): ReplicaInput {
  const C = r.chance(0.2) ? 1 : r.int(2, 3);
  const unit = r.pick([1, 1, 1, 2 ** 40, 2 ** -30]);
  const clusters: ReplicaInput['clusters'] = Array.from({ length: C }, (_, c) => {
    const free: Record<string, number> = { cpu: r.pick([0, 2, 4, 6, 8, 1e12]) };
    if (r.chance(0.7)) free['mem'] = r.pick([0, 3, 6, 12, 1e12]);
    return { id: `k${c}`, labels: r.chance(0.2) ? { zone: `z${c}` } : { zone: `z${c}`, region: `r${c % 2}` }, free, price: { cpu: r.int(0, 5) * unit, mem: r.int(0, 2) * unit } };
  });
  const ids = clusters.map((c) => c.id);
  const W = r.chance(0.06) ? 0 : r.chance(0.35) ? 1 : r.int(2, 3);
  const workloads: ReplicaWorkloadInput[] = [];
  for (let w = 0; w < W; w++) {
    const modeRoll = r.int(0, 9);
    const mode = modeRoll < 7 ? 'divided' : modeRoll < 8 ? 'aggregated' : 'duplicated';
    const N = r.chance(0.12) ? 0 : mode === 'duplicated' ? r.int(1, 2) : r.int(1, W >= 3 ? 3 : 4);
    const wl: ReplicaWorkloadInput = { id: `w${w}`, replicas: N, request: { cpu: r.int(0, 2), mem: r.int(0, 3) } };
    if (mode !== 'divided' || r.chance(0.2)) wl.mode = mode;
    if (r.chance(0.3)) wl.priority = r.int(0, 1);
    if (r.chance(0.2)) wl.allowed = r.chance(0.25) ? [] : ids.filter(() => r.chance(0.6));
    if (r.chance(0.15)) wl.tiers = C >= 2 ? [[ids[0]!], ids.slice(1)] : [[ids[0]!]];
    const minAt = r.int(0, C - 1);
    if (r.chance(0.2)) wl.minReplicas = { [ids[minAt]!]: r.int(1, 2) };
    if (r.chance(0.2)) {
      const at = r.int(0, C - 1);
      wl.maxReplicas = { [ids[at]!]: Math.max(r.int(0, 2), wl.minReplicas?.[ids[at]!] ?? 0) };
    }
    if (r.chance(0.15)) {
      wl.weights = r.chance(0.5) ? { static: Object.fromEntries(ids.map((id) => [id, r.int(0, 3)])) } : { dynamic: 'AvailableReplicas' };
      if (r.chance(0.4)) wl.weights.maxDeviation = r.int(0, 1);
    }
    if (r.chance(0.3)) {
      const minGroups = r.int(0, 3);
      wl.spread = [{ key: r.pick(['zone', 'region', 'cluster']), minGroups, ...(r.chance(0.4) ? { maxGroups: Math.max(1, minGroups) + r.int(0, 1) } : {}), ...(r.chance(0.3) ? { maxSkew: r.int(0, 1) } : {}) }];
    }
    if (r.chance(0.25)) wl.survivability = { domain: r.pick(['zone', 'region', 'cluster']), minAvailable: r.int(0, N + 1), ...(r.chance(0.4) ? { rehost: true } : {}) };
    if (r.chance(0.3)) {
      wl.current = { [ids[r.int(0, C - 1)]!]: r.int(1, 3) };
      if (r.chance(0.5)) wl.maxMoves = r.int(0, 2);
      if (r.chance(0.5)) wl.moveCost = r.int(0, 4) * unit;
    }
    workloads.push(wl);
  }
  const input: ReplicaInput = { dimensions: ['cpu', 'mem'], clusters, workloads };
  const kind = r.int(0, 3);
  if (kind === 1) input.objective = { cost: 1, imbalance: r.int(0, 2), clusters: r.int(0, 2), moves: r.int(0, 2) };
  if (kind === 2) {
    const all: ReplicaCriterion[] = ['moves', 'cost', 'clusters', 'imbalance'];
    const first = all.splice(r.int(0, all.length - 1), 1)[0]!;
    input.objective = { lexicographic: [first, r.pick(all)] };
  }
  return input;
}

/** Available replicas of a request on a free vector (missing dimension or zero request: unlimited). */
function availableOn(input: ReplicaInput, free: (d: string) => number, request: Record<string, number>): number {
  let a = Infinity;
  for (const d of input.dimensions) {
    const q = request[d] ?? 0;
    if (q > 0) a = Math.min(a, Math.max(0, Math.floor(free(d) / q + 1e-9)));
  }
  return a;
}

interface Plan {
  /** W x C counts. */
  x: number[][];
  placed: boolean[];
}

interface Evaluation {
  violations: string[];
  criteria: Record<ReplicaCriterion, number>;
}

/** Eligible clusters of a workload: allowed, carrying every spread key, in the first tier that can hold it. */
function eligible(input: ReplicaInput, wl: ReplicaWorkloadInput): boolean[] {
  const C = input.clusters.length;
  const keyOf = (c: number, key: string): string | undefined => (key === 'cluster' ? input.clusters[c]!.id : input.clusters[c]!.labels?.[key]);
  const ok = input.clusters.map((cl) => wl.allowed === undefined || wl.allowed.includes(cl.id));
  for (const sp of wl.spread ?? []) for (let c = 0; c < C; c++) if (keyOf(c, sp.key) === undefined) ok[c] = false;
  if (!wl.tiers) return ok;
  const dup = wl.mode === 'duplicated';
  const room = (c: number): number => {
    const cl = input.clusters[c]!;
    return Math.min(wl.maxReplicas?.[cl.id] ?? Infinity, availableOn(input, (d) => cl.free[d] ?? Infinity, wl.request), dup ? Infinity : wl.replicas);
  };
  for (const tier of wl.tiers) {
    const members = tier.map((id) => input.clusters.findIndex((cl) => cl.id === id)).filter((c) => ok[c]);
    const holds = dup ? wl.replicas === 0 || members.some((c) => room(c) >= wl.replicas) : members.reduce((a, c) => a + room(c), 0) >= wl.replicas;
    const spreadOk = (wl.spread ?? []).every((sp) => new Set(members.filter((c) => room(c) >= 1).map((c) => keyOf(c, sp.key))).size >= (sp.minGroups ?? 0));
    if (holds && spreadOk) return ok.map((o, c) => o && tier.includes(input.clusters[c]!.id));
  }
  return ok.map(() => false);
}

function evaluate(input: ReplicaInput, plan: Plan, elig: boolean[][]): Evaluation {
  const C = input.clusters.length;
  const v: string[] = [];
  const criteria: Record<ReplicaCriterion, number> = { cost: 0, latency: 0, imbalance: 0, clusters: 0, moves: 0 };
  const residual = input.clusters.map((cl, c) =>
    Object.fromEntries(input.dimensions.map((d) => [d, (cl.free[d] ?? Infinity) - input.workloads.reduce((a, wl, w) => a + plan.x[w]![c]! * (wl.request[d] ?? 0), 0)])),
  );
  input.clusters.forEach((cl, c) => {
    for (const d of input.dimensions) {
      const free = cl.free[d] ?? Infinity;
      if (residual[c]![d]! < -1e-9 * Math.max(1, free)) v.push(`${cl.id}.${d}: ${free - residual[c]![d]!} used > ${free}`);
    }
  });
  input.workloads.forEach((wl, w) => {
    const x = plan.x[w]!;
    const N = wl.replicas;
    const dup = wl.mode === 'duplicated';
    const total = x.reduce((a, b) => a + b, 0);
    const ids = input.clusters.map((cl) => cl.id);
    let curSum = 0;
    let dec = 0;
    for (const [id, n] of Object.entries(wl.current ?? {})) {
      curSum += n;
      dec += Math.max(0, n - x[ids.indexOf(id)]!);
    }
    const moved = Math.max(0, dec - (dup && N > 0 ? 0 : Math.max(0, curSum - N)));
    criteria.moves += moved;
    criteria.cost += moved * (wl.moveCost ?? 0);
    if (!plan.placed[w]) {
      if (total > 0) v.push(`${wl.id} not placed but has ${total} replicas`);
      return;
    }
    if (N > 0 && total === 0) v.push(`${wl.id} placed without a replica`);
    if (wl.maxMoves !== undefined && moved > wl.maxMoves) v.push(`${wl.id}: ${moved} moves > maxMoves ${wl.maxMoves}`);
    const ok = elig[w]!;
    for (let c = 0; c < C; c++) {
      const id = ids[c]!;
      if (x[c]! > 0 && !ok[c]) v.push(`${wl.id} on ineligible ${id}`);
      if (x[c]! > (wl.maxReplicas?.[id] ?? Infinity)) v.push(`${wl.id} above maxReplicas on ${id}`);
      if (x[c]! < (wl.minReplicas?.[id] ?? 0)) v.push(`${wl.id} below minReplicas on ${id}`);
      if (dup && x[c] !== 0 && x[c] !== N) v.push(`${wl.id} duplicated with ${x[c]} of ${N} on ${id}`);
      if (x[c]! > 0) {
        criteria.clusters++;
        criteria.cost += x[c]! * input.dimensions.reduce((a, d) => a + (wl.request[d] ?? 0) * (input.clusters[c]!.price?.[d] ?? 0), 0);
      }
    }
    if (!dup && total !== N) v.push(`${wl.id}: ${total} of ${N} replicas`);
    if (wl.weights) {
      const raw = input.clusters.map((cl) => ('static' in wl.weights! ? (wl.weights.static[cl.id] ?? 0) : Math.min(availableOn(input, (d) => cl.free[d] ?? Infinity, wl.request), 1e9)));
      const sum = raw.reduce((a, q, c) => a + (ok[c] ? q : 0), 0);
      for (let c = 0; c < C; c++) {
        if (dup) continue;
        const t = ok[c] && sum > 0 ? (N * raw[c]!) / sum : 0;
        criteria.imbalance += Math.abs(x[c]! - t);
        const dev = wl.weights.maxDeviation;
        if (dev !== undefined && ok[c] && (x[c]! < Math.max(0, Math.floor(t - dev + 1e-9)) || x[c]! > Math.ceil(t + dev - 1e-9))) v.push(`${wl.id} outside its weight band on ${ids[c]}`);
      }
    }
    const keyOf = (c: number, key: string): string | undefined => (key === 'cluster' ? ids[c] : input.clusters[c]!.labels?.[key]);
    for (const sp of wl.spread ?? []) {
      const per = new Map<string, number>();
      for (let c = 0; c < C; c++) if (x[c]! > 0 && keyOf(c, sp.key) !== undefined) per.set(keyOf(c, sp.key)!, (per.get(keyOf(c, sp.key)!) ?? 0) + x[c]!);
      if (per.size < (sp.minGroups ?? 0) || per.size > (sp.maxGroups ?? Infinity)) v.push(`${wl.id} spread over ${per.size} ${sp.key} groups`);
      if (sp.maxSkew !== undefined && per.size > 0 && Math.max(...per.values()) - Math.min(...per.values()) > sp.maxSkew) v.push(`${wl.id} ${sp.key} skew above ${sp.maxSkew}`);
    }
    const sv = wl.survivability;
    if (sv) {
      const domain = (c: number): string => keyOf(c, sv.domain) ?? `cluster:${ids[c]}`;
      for (const g of new Set(ids.map((_, c) => domain(c)))) {
        let lost = 0;
        for (let c = 0; c < C; c++) if (domain(c) === g) lost += x[c]!;
        if (total - lost < sv.minAvailable) v.push(`${wl.id}: losing ${g} leaves ${total - lost} < ${sv.minAvailable}`);
        if (sv.rehost && lost > 0) {
          let room = 0;
          for (let c = 0; c < C; c++) {
            if (domain(c) === g || !ok[c]) continue;
            room += Math.min((wl.maxReplicas?.[ids[c]!] ?? Infinity) - x[c]!, availableOn(input, (d) => residual[c]![d]!, wl.request));
          }
          if (room < lost) v.push(`${wl.id}: ${lost} replicas lost with ${g}, room for ${room}`);
        }
      }
    }
  });
  return { violations: v, criteria };
}

function objectiveWeights(input: ReplicaInput): Record<ReplicaCriterion, number> {
  const o = input.objective ?? {};
  const any = CRITERIA.some((k) => o[k] !== undefined);
  return Object.fromEntries(CRITERIA.map((k) => [k, o[k] ?? (any ? 0 : k === 'cost' ? 1 : 0)])) as Record<ReplicaCriterion, number>;
}

function objectiveOf(input: ReplicaInput, crit: Record<ReplicaCriterion, number>): number {
  const lex = input.objective?.lexicographic;
  if (lex) return crit[lex[0]!];
  const wts = objectiveWeights(input);
  return CRITERIA.reduce((a, k) => a + wts[k] * crit[k], 0);
}

/** Placed workloads per priority level (negated), aggregated clusters, then the objective(s). */
function rankKey(input: ReplicaInput, plan: Plan, crit: Record<ReplicaCriterion, number>): number[] {
  const levels = [...new Set(input.workloads.map((w) => w.priority ?? 0))].sort((a, b) => b - a);
  const key = levels.map((l) => -input.workloads.filter((w, i) => (w.priority ?? 0) === l && plan.placed[i] && w.replicas > 0).length);
  key.push(input.workloads.reduce((a, w, i) => a + (w.mode === 'aggregated' ? plan.x[i]!.filter((n) => n > 0).length : 0), 0));
  const lex = input.objective?.lexicographic;
  if (lex) for (const k of new Set(lex)) key.push(crit[k]);
  else key.push(objectiveOf(input, crit));
  return key;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-7 * Math.max(1, Math.abs(a[i]!), Math.abs(b[i]!));
    if (a[i]! < b[i]! - tol) return -1;
    if (a[i]! > b[i]! + tol) return 1;
  }
  return 0;
}

/** Every row of one workload: null = unplaced, else the counts of a placed workload. */
function rowsOf(wl: ReplicaWorkloadInput, C: number): (number[] | null)[] {
  const out: (number[] | null)[] = [null];
  const N = wl.replicas;
  if (wl.mode === 'duplicated') {
    for (let mask = N === 0 ? 0 : 1; mask < (N === 0 ? 1 : 1 << C); mask++) out.push(Array.from({ length: C }, (_, c) => ((mask >> c) & 1 ? N : 0)));
    return out;
  }
  const rec = (c: number, left: number, acc: number[]): void => {
    if (c === C - 1) {
      out.push([...acc, left]);
      return;
    }
    for (let k = 0; k <= left; k++) rec(c + 1, left - k, [...acc, k]);
  };
  rec(0, N, []);
  return out;
}

interface ReplicaTruth {
  best: { key: number[]; objective: number } | undefined;
  /** Some valid plan places at least one workload. */
  placesAny: boolean;
  /** Per workload: can it be placed alone (every other workload unplaced)? */
  alone: boolean[];
}

function replicaTruth(input: ReplicaInput): ReplicaTruth {
  const C = input.clusters.length;
  const W = input.workloads.length;
  const elig = input.workloads.map((wl) => eligible(input, wl));
  const rows = input.workloads.map((wl) => rowsOf(wl, C));
  const plan: Plan = { x: input.workloads.map(() => new Array<number>(C).fill(0)), placed: new Array<boolean>(W).fill(false) };
  const truth: ReplicaTruth = { best: undefined, placesAny: false, alone: new Array<boolean>(W).fill(false) };
  const visit = (w: number): void => {
    if (w === W) {
      const ev = evaluate(input, plan, elig);
      if (ev.violations.length > 0) return;
      const key = rankKey(input, plan, ev.criteria);
      if (!truth.best || compareKeys(key, truth.best.key) < 0) truth.best = { key, objective: objectiveOf(input, ev.criteria) };
      const placed = plan.placed.filter(Boolean).length;
      if (placed > 0) truth.placesAny = true;
      if (placed === 1) truth.alone[plan.placed.indexOf(true)] = true;
      return;
    }
    for (const row of rows[w]!) {
      plan.placed[w] = row !== null;
      plan.x[w] = row ?? new Array<number>(C).fill(0);
      visit(w + 1);
    }
  };
  visit(0);
  return truth;
}

const checkReplicas = (input: ReplicaInput, method: () => ReplicaTruth) => (res: Result<unknown>): string[] => {
  const truth = method();
  const W = input.workloads.length;
  const C = input.clusters.length;
  if (res.status === 'infeasible') return truth.placesAny || W === 0 ? [`infeasible, but a valid plan places a workload (best key ${truth.best?.key.join(',')})`] : [];
  if (res.status !== 'optimal' && res.status !== 'feasible') return [];
  // Karmada breaks constraints on purpose and names each in `warnings`: its plan is judged only when it names none.
  if (res.stats.method?.endsWith(':karmada') && (res.warnings ?? []).length > 0) return [];
  const sol = res.solution as { counts?: Int32Array; workloads?: { id: string; status: string }[] };
  if (!(sol.counts instanceof Int32Array) || sol.counts.length !== W * C || sol.workloads?.length !== W) return ['solution has no counts / workloads of the input size'];
  const plan: Plan = { x: input.workloads.map((_, w) => Array.from(sol.counts!.subarray(w * C, (w + 1) * C))), placed: sol.workloads.map((p) => p.status === 'placed') };
  const elig = input.workloads.map((wl) => eligible(input, wl));
  const ev = evaluate(input, plan, elig);
  const problems = [...ev.violations];
  sol.workloads.forEach((p, w) => {
    if (p.status === 'infeasible' && truth.alone[w]) problems.push(`${p.id} reported infeasible, but it can be placed alone`);
  });
  if (problems.length > 0) return problems;
  const objective = objectiveOf(input, ev.criteria);
  if (!(Math.abs(objective - res.objective) <= 1e-9 * Math.max(1e-300, Math.abs(objective)))) problems.push(`objective ${res.objective}, but the plan's is ${objective}`);
  const key = rankKey(input, plan, ev.criteria);
  const best = truth.best!;
  const cmp = compareKeys(key, best.key);
  if (cmp < 0) problems.push(`the plan ranks ${key.join(',')}, better than every plan by enumeration (${best.key.join(',')})`);
  if (res.status === 'optimal' && cmp !== 0) problems.push(`optimal plan ranks ${key.join(',')}, the best ranks ${best.key.join(',')}`);
  const samePlacement = compareKeys(key.slice(0, -1), best.key.slice(0, -1)) === 0 && !input.objective?.lexicographic;
  if (samePlacement && res.bound !== undefined && res.bound > best.objective + 1e-7 * Math.max(1, Math.abs(best.objective))) problems.push(`bound ${res.bound} above the optimum ${best.objective}`);
  return problems;
};

export function replicasCase(r: Rand): AuditCase {
  // A draw the model refuses (ModelError: e.g. minGroups above maxGroups) is drawn again.
  let input = replicaInput(r);
  let model: ReturnType<typeof createReplicaModel> | undefined;
  while (!model) {
    try {
      model = createReplicaModel(input);
    } catch {
      input = replicaInput(r);
    }
  }
  let truth: ReplicaTruth | undefined;
  const truthOnce = (): ReplicaTruth => (truth ??= replicaTruth(input));
  return {
    model,
    options: {},
    sense: 'min',
    check: checkReplicas(input, truthOnce),
    label: JSON.stringify(input),
  };
}
