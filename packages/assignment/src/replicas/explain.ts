import type { ReplicaModel } from './model.js';
import type { ReplicaSolution, ReplicaWorkloadPlan } from './solution.js';
import { replicaCriteria, worstDomainLoss } from './metrics.js';
import { residualCapacity } from './check.js';

/**
 * Turns replica counts into the domain answer: per workload its clusters with a `why`
 * (binding limit, price rank, tier, weight target, spread group, survivability, kept
 * replicas), the move diff against `current`, and the solution-wide metrics.
 */
export function buildReplicaSolution(
  m: ReplicaModel,
  counts: Int32Array,
  status: ArrayLike<number>,
  reasons: readonly (string | undefined)[],
): ReplicaSolution {
  const { nClients: W } = m.placement;
  const residual = residualCapacity(m, counts);
  const workloads: ReplicaWorkloadPlan[] = [];
  for (let w = 0; w < W; w++) {
    const st = status[w] === 0 ? 'placed' : status[w] === 1 ? 'infeasible' : 'unplaced';
    const plan: ReplicaWorkloadPlan = { id: m.placement.clientIds[w]!, status: st, clusters: [] };
    if (reasons[w] !== undefined) plan.reason = reasons[w]!;
    if (st === 'placed') plan.clusters = explainWorkload(m, w, counts, residual);
    if (m.current && m.input.workloads[w]!.current !== undefined) plan.moves = diff(m, w, counts);
    workloads.push(plan);
  }
  const criteria = replicaCriteria(m, counts);
  return {
    workloads,
    counts,
    cost: criteria.cost,
    moved: criteria.moves,
    clustersUsed: criteria.clusters,
    imbalance: criteria.imbalance,
    worstDomainLoss: worstDomainLoss(m, counts),
    failureDomain: m.failureDomain,
    latency: criteria.latency,
    criteria,
  };
}

function explainWorkload(m: ReplicaModel, w: number, counts: Int32Array, residual: Float64Array): ReplicaWorkloadPlan['clusters'] {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const o = w * C;
  const N = m.placement.replicas[w]!;
  // Price rank among eligible clusters.
  const eligible: number[] = [];
  for (let c = 0; c < C; c++) if (m.eligible[o + c]) eligible.push(c);
  const byPrice = [...eligible].sort((a, b) => m.unitCost[o + a]! - m.unitCost[o + b]! || a - b);
  const rank = new Map(byPrice.map((c, i) => [c, i + 1]));
  const sv = m.survivabilityOf[w];
  const svPer = new Map<number, number>();
  if (sv) for (let c = 0; c < C; c++) svPer.set(sv.groupOf[c]!, (svPer.get(sv.groupOf[c]!) ?? 0) + counts[o + c]!);
  const out: ReplicaWorkloadPlan['clusters'] = [];
  for (let c = 0; c < C; c++) {
    const n = counts[o + c]!;
    if (n === 0) continue;
    const parts: string[] = [];
    // The binding limit, if any.
    let full = -1;
    for (let d = 0; d < D; d++) {
      const r = m.placement.demand[w * D + d]!;
      if (r > 0 && residual[c * D + d]! < r - 1e-9) full = d;
    }
    if (m.mode[w] === 2) parts.push(`duplicated: runs all ${N} replicas`);
    else if (n === m.lo[o + c]! && n > 0 && m.lo[o + c]! > 0 && !m.weightBand[w]) parts.push(`minReplicas ${n}`);
    else if (full >= 0) parts.push(`cluster full (${m.placement.dimensions[full]}: ${fmt(residual[c * D + full]!)} left)`);
    else if (n === m.maxRep[o + c]!) parts.push(`maxReplicas ${n}`);
    else if (m.weightBand[w] && (n === m.hi[o + c]! || n === m.lo[o + c]!)) parts.push(`weight band [${m.lo[o + c]}, ${m.hi[o + c]}]`);
    if (m.hasTarget[w] && m.mode[w] !== 2) parts.push(`weight target ${fmt(m.target[o + c]!)}`);
    if (sv) {
      const g = sv.groupOf[c]!;
      const s = svPer.get(g)!;
      const cap = N - sv.minAvailable;
      parts.push(`${sv.key} ${sv.groups[g]} holds ${s}${m.mode[w] !== 2 && s >= cap ? ` = the most it may (${N} - minAvailable ${sv.minAvailable})` : ''}`);
    }
    for (const s of m.spreadsOf[w]!) parts.push(`spread ${s.key}=${s.groups[s.groupOf[c]!]}`);
    if (m.tier[w]! >= 0) parts.push(`tier ${m.tier[w]! + 1}${m.tier[w]! > 0 ? ' (earlier tiers cannot hold it)' : ''}`);
    if (m.current) {
      const kept = Math.min(n, m.current[o + c]!);
      if (kept > 0) parts.push(`kept ${kept} current`);
    }
    parts.push(`price ${fmt(m.unitCost[o + c]!)}/replica (rank ${rank.get(c)} of ${eligible.length})`);
    out.push({ cluster: m.placement.siteIds[c]!, replicas: n, why: parts.join('; ') });
  }
  return out;
}

/** Moves from -> to matching decreases with increases in cluster order ('' = removed / new). */
function diff(m: ReplicaModel, w: number, counts: Int32Array): { from: string; to: string; replicas: number }[] {
  const C = m.placement.nSites;
  const dec: [number, number][] = [];
  const inc: [number, number][] = [];
  for (let c = 0; c < C; c++) {
    const delta = counts[w * C + c]! - m.current![w * C + c]!;
    if (delta < 0) dec.push([c, -delta]);
    else if (delta > 0) inc.push([c, delta]);
  }
  const out: { from: string; to: string; replicas: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < dec.length || j < inc.length) {
    if (i < dec.length && j < inc.length) {
      const k = Math.min(dec[i]![1], inc[j]![1]);
      out.push({ from: m.placement.siteIds[dec[i]![0]]!, to: m.placement.siteIds[inc[j]![0]]!, replicas: k });
      dec[i]![1] -= k;
      inc[j]![1] -= k;
      if (dec[i]![1] === 0) i++;
      if (inc[j]![1] === 0) j++;
    } else if (i < dec.length) {
      out.push({ from: m.placement.siteIds[dec[i]![0]]!, to: '', replicas: dec[i]![1] });
      i++;
    } else {
      out.push({ from: '', to: m.placement.siteIds[inc[j]![0]]!, replicas: inc[j]![1] });
      j++;
    }
  }
  return out;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 2);
}
