import type { ReplicaCriterion, ReplicaModel } from './model.js';
import { movesOf } from './check.js';

/**
 * Every criterion of a placement on the compiled arrays (what the envelope reports; the
 * tests recompute them with the independent evaluator). Unplaced workloads add only their
 * moves (their current replicas go away).
 */
export function replicaCriteria(m: ReplicaModel, counts: Int32Array): Record<ReplicaCriterion, number> {
  const { nClients: W, nSites: C } = m.placement;
  let cost = 0;
  let latency = 0;
  let imbalance = 0;
  let clusters = 0;
  let moves = 0;
  for (let w = 0; w < W; w++) {
    const o = w * C;
    const mv = movesOf(m, w, counts, o);
    moves += mv;
    cost += mv * m.moveCost[w]!;
    let total = 0;
    for (let c = 0; c < C; c++) total += counts[o + c]!;
    if (total === 0 && m.placement.replicas[w]! > 0) continue;
    const band = m.hasTarget[w] && m.mode[w] !== 2;
    for (let c = 0; c < C; c++) {
      const n = counts[o + c]!;
      if (band) imbalance += Math.abs(n - m.target[o + c]!);
      if (n === 0) continue;
      clusters++;
      cost += n * m.unitCost[o + c]!;
      latency += n * m.unitLatency[c]!;
    }
  }
  return { cost, latency, imbalance, clusters, moves };
}

/** The scalar objective: the weighted sum, or the first lexicographic criterion. */
export function replicaObjective(m: ReplicaModel, crit: Record<ReplicaCriterion, number>): number {
  if (m.lexicographic) return crit[m.lexicographic[0]!];
  let s = 0;
  for (const k of Object.keys(crit) as ReplicaCriterion[]) s += m.weights[k] * crit[k];
  return s;
}

/**
 * What the workloads outside `active` (evidently infeasible: never placed, so left out of the
 * MIP and the relaxations) add to the scalar objective in every plan: the moves of their
 * current replicas. Bounds computed over the active workloads alone add it.
 */
export function inactiveObjective(m: ReplicaModel, active: ArrayLike<number>): number {
  const { nClients: W, nSites: C } = m.placement;
  const isActive = new Uint8Array(W);
  for (let k = 0; k < active.length; k++) isActive[active[k]!] = 1;
  const none = new Int32Array(C);
  let moves = 0;
  let cost = 0;
  for (let w = 0; w < W; w++) {
    if (isActive[w]) continue;
    const mv = movesOf(m, w, none, 0);
    moves += mv;
    cost += mv * m.moveCost[w]!;
  }
  return replicaObjective(m, { cost, latency: 0, imbalance: 0, clusters: 0, moves });
}

/** Replicas of all workloads lost when the worst single failure domain (`key`) goes down. */
export function worstDomainLoss(m: ReplicaModel, counts: Int32Array, key = m.failureDomain): number {
  const { nClients: W, nSites: C } = m.placement;
  const loss = new Map<string, number>();
  for (let c = 0; c < C; c++) {
    const v = key === 'cluster' ? m.placement.siteIds[c]! : (m.placement.siteLabels[c]![key] ?? `cluster:${m.placement.siteIds[c]}`);
    let s = 0;
    for (let w = 0; w < W; w++) s += counts[w * C + c]!;
    loss.set(v, (loss.get(v) ?? 0) + s);
  }
  let worst = 0;
  for (const v of loss.values()) if (v > worst) worst = v;
  return worst;
}
