import { runSteps, type SolveRun, type Steps } from '@emplace/core';
import { workloadViolation } from './check.js';
import type { ReplicaCriterion, ReplicaModel } from './model.js';

/**
 * The fast constructive method. Workloads are placed one at a time (priority first,
 * workloads that need N-1 re-hosting last so that they see the final residual capacity),
 * each against the capacity the earlier ones left:
 *   keep current replicas when moves matter -> one replica in each of the cheapest groups a
 *   spread's minGroups needs -> fill toward weight targets when imbalance is priced -> fill
 *   the cheapest clusters (aggregated: the roomiest) up to every per-cluster, per-domain
 *   (survivability: N - minAvailable) and maxGroups limit -> repair maxSkew by moving single
 *   replicas from the largest to the smallest used group.
 * Re-hosting failures are retried with a tighter per-domain cap. Every plan is verified by
 * `workloadViolation` before it is accepted; a workload the greedy cannot place is reported
 * unplaced (it may still be feasible: `exact` decides), never returned half-placed.
 */
export interface GreedyPlan {
  counts: Int32Array;
  /** 0 placed, 1 infeasible (evident from the data), 2 unplaced by this method. */
  status: Uint8Array;
  reasons: (string | undefined)[];
}

const PLACED = 0;
const INFEASIBLE = 1;
const UNPLACED = 2;

/** Per-replica value of one criterion on cluster c (0 for criteria that are not per replica). */
function perReplica(m: ReplicaModel, k: ReplicaCriterion, w: number, c: number): number {
  if (k === 'cost') return m.unitCost[w * m.placement.nSites + c]!;
  if (k === 'latency') return m.unitLatency[c]!;
  return 0;
}

/** Cluster order for workload w: primary by the objective's per-replica price, ties by index. */
function clusterOrder(m: ReplicaModel, w: number, out: Int32Array, key1: Float64Array, key2: Float64Array, extra?: Float64Array): number {
  const { nSites: C } = m.placement;
  let n = 0;
  const lex = m.lexicographic;
  for (let c = 0; c < C; c++) {
    if (!m.eligible[w * C + c]) continue;
    out[n++] = c;
    if (lex) {
      key1[c] = perReplica(m, lex[0]!, w, c);
      let s = 0;
      for (let i = 1; i < lex.length; i++) s += perReplica(m, lex[i]!, w, c);
      key2[c] = s;
    } else {
      key1[c] = m.weights.cost * m.unitCost[w * C + c]! + m.weights.latency * m.unitLatency[c]! + (extra ? extra[w * C + c]! : 0);
      key2[c] = m.unitCost[w * C + c]! + m.unitLatency[c]!;
    }
  }
  const sub = out.subarray(0, n);
  sub.sort((a, b) => key1[a]! - key1[b]! || key2[a]! - key2[b]! || a - b);
  return n;
}

/** `extra` (W x C) is added to the per-replica price when ordering clusters (Lagrangian prices of capacity). */
export function greedyPlace(m: ReplicaModel, run?: SolveRun, extra?: Float64Array): GreedyPlan {
  return runSteps(greedyPlaceSteps(m, run, extra));
}

/** `greedyPlace` as steps: a checkpoint after each workload placed and each re-verification pass. */
export function* greedyPlaceSteps(m: ReplicaModel, run?: SolveRun, extra?: Float64Array): Steps<GreedyPlan> {
  const { nClients: W, nSites: C } = m.placement;
  const counts = new Int32Array(W * C);
  const status = new Uint8Array(W);
  const reasons: (string | undefined)[] = new Array(W).fill(undefined);
  const residual = Float64Array.from(m.placement.capacity);
  const rehost = new Uint8Array(W);
  for (const sv of m.survivability) if (sv.rehost) rehost[sv.workload] = 1;
  const order = Array.from({ length: W }, (_, w) => w).sort(
    (a, b) => m.priority[b]! - m.priority[a]! || rehost[a]! - rehost[b]! || m.placement.replicas[b]! - m.placement.replicas[a]! || a - b,
  );
  const ws = new Workspace(C);
  for (const w of order) {
    yield;
    if (run && run.shouldStop()) {
      status[w] = UNPLACED;
      reasons[w] = 'stopped before this workload was considered';
      continue;
    }
    const ev = m.evident[w];
    if (ev) {
      status[w] = INFEASIBLE;
      reasons[w] = ev.reason;
      continue;
    }
    const why = placeOne(m, w, residual, counts, ws, extra);
    if (why === undefined) status[w] = PLACED;
    else {
      status[w] = UNPLACED;
      reasons[w] = `the greedy found no plan (not proven infeasible): ${why}`;
    }
  }
  // Later placements can take the room an earlier workload's re-hosting counted on:
  // re-verify, releasing the lowest-priority offenders until every plan holds.
  for (let pass = 0; pass < W; pass++) {
    yield;
    let bad = -1;
    for (let i = order.length - 1; i >= 0 && bad < 0; i--) {
      const w = order[i]!;
      if (status[w] === PLACED && workloadViolation(m, w, counts, w * C, residual) !== undefined) bad = w;
    }
    if (bad < 0) break;
    release(m, bad, counts, residual);
    status[bad] = UNPLACED;
    reasons[bad] = 'the greedy found no plan (not proven infeasible): later workloads took the room its N-1 re-hosting needs';
  }
  return { counts, status, reasons };
}

class Workspace {
  readonly x: Int32Array;
  readonly cap: Int32Array;
  readonly order: Int32Array;
  readonly key1: Float64Array;
  readonly key2: Float64Array;
  constructor(C: number) {
    this.x = new Int32Array(C);
    this.cap = new Int32Array(C);
    this.order = new Int32Array(C);
    this.key1 = new Float64Array(C);
    this.key2 = new Float64Array(C);
  }
}

function release(m: ReplicaModel, w: number, counts: Int32Array, residual: Float64Array): void {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  for (let c = 0; c < C; c++) {
    const n = counts[w * C + c]!;
    if (n === 0) continue;
    for (let d = 0; d < D; d++) residual[c * D + d]! += n * m.placement.demand[w * D + d]!;
    counts[w * C + c] = 0;
  }
}

function commit(m: ReplicaModel, w: number, x: Int32Array, counts: Int32Array, residual: Float64Array): void {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  for (let c = 0; c < C; c++) {
    const n = x[c]!;
    counts[w * C + c] = n;
    if (n === 0) continue;
    for (let d = 0; d < D; d++) residual[c * D + d]! -= n * m.placement.demand[w * D + d]!;
  }
}

/** Places workload w into `counts`/`residual`; returns undefined on success, else why not. */
function placeOne(m: ReplicaModel, w: number, residual: Float64Array, counts: Int32Array, ws: Workspace, extra?: Float64Array): string | undefined {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const N = m.placement.replicas[w]!;
  if (N === 0) return undefined;
  const sv = m.survivabilityOf[w];
  const n = clusterOrder(m, w, ws.order, ws.key1, ws.key2, extra);
  // Residual room of each cluster for w.
  for (let c = 0; c < C; c++) {
    let a = m.eligible[w * C + c] ? m.hi[w * C + c]! : 0;
    for (let d = 0; d < D && a > 0; d++) {
      const r = m.placement.demand[w * D + d]!;
      if (r > 0) a = Math.min(a, Math.floor(residual[c * D + d]! / r + 1e-9));
    }
    ws.cap[c] = m.mode[w] === 2 ? (a >= N ? N : 0) : a;
  }
  const U0 = sv ? N - sv.minAvailable : N;
  const attempts = [U0];
  if (sv?.rehost) {
    const lowest = Math.max(1, Math.ceil(N / Math.max(1, sv.groups.length)));
    for (let k = 1; k <= 4; k++) attempts.push(Math.max(lowest, Math.floor(U0 - ((U0 - lowest) * k) / 4)));
  }
  let last = 'no cluster has room';
  let lastU = -1;
  for (const U of attempts) {
    if (U === lastU) continue;
    lastU = U;
    const why = m.mode[w] === 2 ? buildDuplicated(m, w, U, n, ws) : buildDivided(m, w, U, n, ws);
    if (why !== undefined) {
      last = why;
      continue;
    }
    commit(m, w, ws.x, counts, residual);
    const bad = workloadViolation(m, w, counts, w * C, residual);
    if (bad === undefined) return undefined;
    release(m, w, counts, residual);
    last = bad;
    if (!bad.includes('rehost')) break;
  }
  return last;
}

interface SpreadState {
  groupOf: Int32Array;
  count: Int32Array;
  used: number;
  minGroups: number;
  maxGroups: number;
  maxSkew: number;
}

function buildDivided(m: ReplicaModel, w: number, U: number, n: number, ws: Workspace): string | undefined {
  const sv = m.survivabilityOf[w];
  const b: DividedBuild = {
    m,
    w,
    U,
    n,
    ws,
    N: m.placement.replicas[w]!,
    rem: m.placement.replicas[w]!,
    sv,
    dcount: sv ? new Int32Array(sv.groups.length) : undefined,
    spreads: m.spreadsOf[w]!.map((s) => ({ groupOf: s.groupOf, count: new Int32Array(s.groups.length), used: 0, minGroups: s.minGroups, maxGroups: s.maxGroups, maxSkew: s.maxSkew })),
  };
  ws.x.fill(0);
  const short = seedMinimums(b);
  if (short !== undefined) return short;
  keepCurrent(b);
  const few = seedSpreadGroups(b);
  if (few !== undefined) return few;
  fillTargets(b);
  fillInOrder(b);
  if (b.rem > 0) return `${b.rem} of ${b.N} replicas found no room`;
  return repairSkew(b);
}

/** One divided plan being built for workload w: x in `ws.x`, replicas left in `rem`, per-domain and per-group counts. */
interface DividedBuild {
  readonly m: ReplicaModel;
  readonly w: number;
  /** Per-domain cap (survivability). */
  readonly U: number;
  /** Eligible clusters in `ws.order`. */
  readonly n: number;
  readonly ws: Workspace;
  readonly N: number;
  rem: number;
  readonly sv: ReplicaModel['survivability'][number] | undefined;
  readonly dcount: Int32Array | undefined;
  readonly spreads: SpreadState[];
}

/** Replicas cluster c can still take: its cap, the domain cap and no new group beyond maxGroups. */
function divRoom(b: DividedBuild, c: number): number {
  const { x, cap } = b.ws;
  let r = cap[c]! - x[c]!;
  if (b.dcount) r = Math.min(r, b.U - b.dcount[b.sv!.groupOf[c]!]!);
  if (r <= 0) return 0;
  for (const s of b.spreads) if (s.count[s.groupOf[c]!] === 0 && s.used >= s.maxGroups) return 0;
  return r;
}

/** Adds k (possibly negative) replicas on c, keeping the domain and group counts. */
function divAdd(b: DividedBuild, c: number, k: number): void {
  b.ws.x[c]! += k;
  b.rem -= k;
  if (b.dcount) b.dcount[b.sv!.groupOf[c]!]! += k;
  for (const s of b.spreads) {
    const g = s.groupOf[c]!;
    const before = s.count[g]!;
    s.count[g] = before + k;
    if (before === 0 && before + k > 0) s.used++;
    else if (before > 0 && before + k === 0) s.used--;
  }
}

function seedMinimums(b: DividedBuild): string | undefined {
  const { m, w, ws } = b;
  const C = m.placement.nSites;
  for (let c = 0; c < C; c++) {
    const lo = m.eligible[w * C + c] ? m.lo[w * C + c]! : 0;
    if (lo === 0) continue;
    if (lo > ws.cap[c]!) return `cluster ${m.placement.siteIds[c]} has room for ${ws.cap[c]} of its ${lo} minReplicas`;
    divAdd(b, c, lo);
  }
  if (b.rem < 0) return 'minReplicas exceed replicas';
  return undefined;
}

/** Keep current replicas where moves matter. */
function keepCurrent(b: DividedBuild): void {
  const { m, w, n, ws } = b;
  const movesMatter = m.current !== undefined && (m.maxMoves[w]! >= 0 || m.weights.moves > 0 || m.moveCost[w]! > 0 || m.lexicographic?.includes('moves') === true);
  if (!movesMatter) return;
  for (let i = 0; i < n && b.rem > 0; i++) {
    const c = ws.order[i]!;
    const k = Math.min(m.current![w * m.placement.nSites + c]! - ws.x[c]!, divRoom(b, c), b.rem);
    if (k > 0) divAdd(b, c, k);
  }
}

/** One replica in each group a spread's minGroups still needs (cheapest groups first). */
function seedSpreadGroups(b: DividedBuild): string | undefined {
  const { order } = b.ws;
  for (const s of b.spreads) {
    for (let i = 0; i < b.n && s.used < s.minGroups; i++) {
      const c = order[i]!;
      if (s.count[s.groupOf[c]!] === 0 && b.rem > 0 && divRoom(b, c) > 0) divAdd(b, c, 1);
    }
    if (s.used < s.minGroups) return `only ${s.used} groups of ${s.minGroups} have room`;
  }
  return undefined;
}

/** Toward the weight targets when imbalance is priced. */
function fillTargets(b: DividedBuild): void {
  const { m, w, n, ws } = b;
  if (!(m.hasTarget[w] && (m.weights.imbalance > 0 || m.lexicographic?.includes('imbalance')))) return;
  for (let i = 0; i < n && b.rem > 0; i++) {
    const c = ws.order[i]!;
    const k = Math.min(Math.floor(m.target[w * m.placement.nSites + c]! + 1e-9) - ws.x[c]!, divRoom(b, c), b.rem);
    if (k > 0) divAdd(b, c, k);
  }
}

/**
 * Fill: used clusters first when clusters are priced or aggregated, then the order
 * (aggregated: roomiest first, so that few clusters hold the workload).
 */
function fillInOrder(b: DividedBuild): void {
  const { m, w, n, ws } = b;
  const { order, cap, x } = ws;
  const aggregated = m.mode[w] === 1;
  if (aggregated) {
    const sub = order.subarray(0, n);
    sub.sort((a, c) => cap[c]! - cap[a]! || ws.key1[a]! - ws.key1[c]! || a - c);
  }
  if (aggregated || m.weights.clusters > 0) {
    for (let i = 0; i < n && b.rem > 0; i++) {
      const c = order[i]!;
      if (x[c]! > 0) {
        const k = Math.min(b.rem, divRoom(b, c));
        if (k > 0) divAdd(b, c, k);
      }
    }
  }
  for (let i = 0; i < n && b.rem > 0; i++) {
    const c = order[i]!;
    const k = Math.min(b.rem, divRoom(b, c));
    if (k > 0) divAdd(b, c, k);
  }
}

/** maxSkew repair: one replica at a time from the largest used group to the smallest; round robin when stuck. */
function repairSkew(b: DividedBuild): string | undefined {
  const { m, w, n, ws, N, dcount, sv, U } = b;
  const { order, x, cap } = ws;
  for (const s of b.spreads) {
    if (s.maxSkew === Infinity) continue;
    for (let guard = 0; guard <= N * 2; guard++) {
      let gMax = -1;
      let gMin = -1;
      for (let g = 0; g < s.count.length; g++) {
        if (s.count[g] === 0) continue;
        if (gMax < 0 || s.count[g]! > s.count[gMax]!) gMax = g;
        if (gMin < 0 || s.count[g]! < s.count[gMin]!) gMin = g;
      }
      if (gMax < 0 || s.count[gMax]! - s.count[gMin]! <= s.maxSkew) break;
      let from = -1;
      for (let i = n - 1; i >= 0 && from < 0; i--) {
        const c = order[i]!;
        if (s.groupOf[c] === gMax && x[c]! > m.lo[w * m.placement.nSites + c]!) from = c;
      }
      let to = -1;
      for (let i = 0; i < n && to < 0; i++) {
        const c = order[i]!;
        if (s.groupOf[c] !== gMin || x[c]! >= cap[c]!) continue;
        if (dcount && from >= 0 && sv!.groupOf[c] !== sv!.groupOf[from] && dcount[sv!.groupOf[c]!]! >= U) continue;
        to = c;
      }
      if (from < 0 || to < 0) {
        const bad = roundRobin(b, s);
        if (bad !== undefined) return bad;
        break;
      }
      divAdd(b, from, -1);
      divAdd(b, to, 1);
    }
  }
  return undefined;
}

/**
 * Fallback when the skew repair is stuck: rebuild from the minimums, choosing k groups (cheapest
 * first, k from minGroups up to maxGroups) and adding one replica at a time to the chosen
 * group with the fewest, on its cheapest cluster with room. undefined = success.
 */
function roundRobin(b: DividedBuild, s: SpreadState): string | undefined {
  const { m, w, n, ws, N } = b;
  const { order, x, cap } = ws;
  const C = m.placement.nSites;
  const G = s.count.length;
  const cheapest = new Int32Array(G).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = s.groupOf[order[i]!]!;
    if (g >= 0 && cheapest[g]! < 0) cheapest[g] = order[i]!;
  }
  const groups = Array.from({ length: G }, (_, g) => g)
    .filter((g) => cheapest[g]! >= 0)
    .sort((a, c) => ws.key1[cheapest[a]!]! - ws.key1[cheapest[c]!]! || a - c);
  const kMax = Math.min(groups.length, s.maxGroups === Infinity ? groups.length : s.maxGroups);
  for (let k = Math.max(1, s.minGroups); k <= kMax; k++) {
    // Reset to the minimums.
    for (let c = 0; c < C; c++) if (x[c]! > 0) divAdd(b, c, -x[c]!);
    for (let c = 0; c < C; c++) if (m.eligible[w * C + c] && m.lo[w * C + c]! > 0) divAdd(b, c, m.lo[w * C + c]!);
    // Groups with room for their share first (cheapest first), then the roomiest.
    const groupRoom = new Float64Array(G);
    for (let i = 0; i < n; i++) {
      const c = order[i]!;
      const g = s.groupOf[c]!;
      if (g >= 0) groupRoom[g]! += Math.max(0, cap[c]! - x[c]!);
    }
    const share = Math.ceil((N - s.maxSkew) / k);
    const roomy = groups.filter((g) => groupRoom[g]! >= share);
    const rest = groups.filter((g) => groupRoom[g]! < share).sort((a, c) => groupRoom[c]! - groupRoom[a]!);
    if (!fillGroupsEvenly(b, s, [...roomy, ...rest].slice(0, k))) continue;
    let mx = 0;
    let mn = Infinity;
    for (let g = 0; g < G; g++) {
      if (s.count[g] === 0) continue;
      mx = Math.max(mx, s.count[g]!);
      mn = Math.min(mn, s.count[g]!);
    }
    if (mx - mn <= s.maxSkew && b.spreads.every((q) => q.used >= q.minGroups && q.used <= q.maxGroups)) return undefined;
  }
  return `${m.spreads.find((q) => q.groupOf === s.groupOf)!.field}: cannot meet maxSkew ${s.maxSkew}`;
}

/** One replica at a time to the chosen group with the fewest, on its cheapest cluster with room; false when one has none. */
function fillGroupsEvenly(b: DividedBuild, s: SpreadState, chosen: readonly number[]): boolean {
  const { order } = b.ws;
  while (b.rem > 0) {
    let best = -1;
    let bestC = -1;
    for (const g of chosen) {
      if (best >= 0 && s.count[g]! >= s.count[best]!) continue;
      let c0 = -1;
      for (let i = 0; i < b.n && c0 < 0; i++) if (s.groupOf[order[i]!] === g && divRoom(b, order[i]!) > 0) c0 = order[i]!;
      if (c0 >= 0) {
        best = g;
        bestC = c0;
      }
    }
    if (bestC < 0) return false;
    divAdd(b, bestC, 1);
  }
  return true;
}

function buildDuplicated(m: ReplicaModel, w: number, U: number, n: number, ws: Workspace): string | undefined {
  const { nSites: C } = m.placement;
  const N = m.placement.replicas[w]!;
  const { x, cap, order } = ws;
  x.fill(0);
  const sv = m.survivabilityOf[w];
  const spreads = m.spreadsOf[w]!;
  const used = spreads.map((s) => new Uint8Array(s.groups.length));
  const usedCount = spreads.map(() => 0);
  let k = 0;
  const canAdd = (c: number): boolean => {
    if (x[c]! > 0 || cap[c]! < N) return false;
    for (let i = 0; i < spreads.length; i++) if (!used[i]![spreads[i]!.groupOf[c]!] && usedCount[i]! >= spreads[i]!.maxGroups) return false;
    return true;
  };
  const add = (c: number): void => {
    x[c] = N;
    k++;
    for (let i = 0; i < spreads.length; i++) {
      const g = spreads[i]!.groupOf[c]!;
      if (!used[i]![g]) {
        used[i]![g] = 1;
        usedCount[i]!++;
      }
    }
  };
  for (let c = 0; c < C; c++) {
    if (m.eligible[w * C + c] && m.lo[w * C + c]! > 0) {
      if (!canAdd(c)) return `cluster ${m.placement.siteIds[c]} must run the workload but has no room for ${N}`;
      add(c);
    }
  }
  if (m.current && (m.maxMoves[w]! >= 0 || m.weights.moves > 0 || m.moveCost[w]! > 0)) {
    for (let i = 0; i < n; i++) if (m.current[w * C + order[i]!]! > 0 && canAdd(order[i]!)) add(order[i]!);
  }
  for (let guard = 0; guard <= C; guard++) {
    // What is still missing?
    let pick = -1;
    const si = spreads.findIndex((s, i) => usedCount[i]! < s.minGroups);
    if (si >= 0) {
      for (let i = 0; i < n && pick < 0; i++) if (canAdd(order[i]!) && !used[si]![spreads[si]!.groupOf[order[i]!]!]) pick = order[i]!;
      if (pick < 0) return `${spreads[si]!.field}: no room in a further group`;
    } else if (sv) {
      const per = new Int32Array(sv.groups.length);
      for (let c = 0; c < C; c++) per[sv.groupOf[c]!]! += x[c]!;
      let worst = 0;
      for (let g = 0; g < per.length; g++) if (per[g]! > per[worst]!) worst = g;
      const total = k * N;
      if (k > 0 && total - per[worst]! >= sv.minAvailable && per[worst]! <= Math.max(U, N)) break;
      for (let i = 0; i < n && pick < 0; i++) if (canAdd(order[i]!) && sv.groupOf[order[i]!] !== worst) pick = order[i]!;
      if (pick < 0) return `${sv.field}: no room outside ${sv.key} ${sv.groups[worst]}`;
    } else if (k > 0) break;
    else {
      for (let i = 0; i < n && pick < 0; i++) if (canAdd(order[i]!)) pick = order[i]!;
      if (pick < 0) return `no cluster has room for all ${N} replicas`;
    }
    add(pick);
  }
  return undefined;
}
