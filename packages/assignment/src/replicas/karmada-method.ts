import type { Result, SolveRun, Steps } from '@emplace/core';
import { workloadViolation } from './check.js';
import { replicaEnvelope } from './envelope.js';
import { karmadaAssignReplicas, KarmadaSchedulingError, type KarmadaReplicaStrategy } from './karmada/index.js';
import { availableReplicas, type ReplicaModel } from './model.js';
import type { ReplicaSolution } from './solution.js';

/**
 * The `karmada` method: each workload divided exactly as Karmada's scheduler divides it
 * (./karmada), on the model's data translated to Karmada's terms:
 *  - candidates: the eligible clusters in input order (Karmada's filtering and spread
 *    selection are the caller's; tiers become overflow affinities: the clusters of tier k
 *    have overflow order k, and Karmada fills tier by tier);
 *  - available replicas: floor of free / request, the minimum over dimensions, minus the
 *    workload's current replicas there (the model counts them as free, Karmada's estimator
 *    does not), after the workloads placed before it in the batch (priority order);
 *  - strategy: duplicated -> Duplicated; aggregated -> Divided/Aggregated; divided with static
 *    weights -> Weighted static, with dynamic weights -> Weighted dynamic (AvailableReplicas),
 *    without weights -> Weighted with equal weights; current -> the previous assignment; uid.
 * Karmada ignores minReplicas/maxReplicas, spread counts, survivability, maxMoves and the
 * objective: the plan is returned as Karmada makes it, and each constraint of the model it
 * breaks is listed in `warnings` (stats.violations counts them).
 */
export function* replicasKarmadaSteps(run: SolveRun, m: ReplicaModel): Steps<Result<ReplicaSolution>> {
  const { nClients: W, nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const counts = new Int32Array(W * C);
  // Unplaced until Karmada places it: a run stopped part way leaves the rest unplaced (not "placed" with no replica).
  const status = new Uint8Array(W).fill(2);
  const reasons: (string | undefined)[] = new Array(W).fill('not scheduled: the run stopped first');
  const residual = Float64Array.from(m.placement.capacity);
  const warnings: string[] = [];
  const order = Array.from({ length: W }, (_, w) => w).sort((a, b) => m.priority[b]! - m.priority[a]! || a - b);
  let violations = 0;
  for (const w of order) {
    const wl = m.input.workloads[w]!;
    // Nothing to divide, and the data prove its constraints cannot hold (e.g. minReplicas): infeasible, not "placed".
    if (m.placement.replicas[w] === 0 && m.evident[w]) {
      [status[w], reasons[w]] = [1, m.evident[w]!.reason];
      continue;
    }
    // Eligible without the model's tier choice: Karmada applies its own overflow rule.
    const inTier = new Int32Array(C).fill(-1);
    if (wl.tiers) {
      wl.tiers.forEach((t, k) => {
        for (const id of t) {
          const c = m.placement.siteIds.indexOf(id);
          if (c >= 0 && inTier[c]! < 0) inTier[c] = k;
        }
      });
    }
    const allowed = new Set(wl.allowed ?? m.placement.siteIds);
    const clusters: { name: string; availableReplicas: number; overflowOrder?: number }[] = [];
    for (let c = 0; c < C; c++) {
      const id = m.placement.siteIds[c]!;
      if (!allowed.has(id)) continue;
      if (wl.tiers && inTier[c]! < 0) continue;
      if ((wl.spread ?? []).some((s) => (s.key === 'cluster' ? id : m.placement.siteLabels[c]![s.key]) === undefined)) continue;
      const cur = m.current ? m.current[w * C + c]! : 0;
      const a = Math.max(0, availableReplicas(residual, c * D, m.placement.demand, w * D, D) - cur);
      clusters.push({ name: id, availableReplicas: a, ...(wl.tiers ? { overflowOrder: inTier[c]! } : {}) });
    }
    const strategy = karmadaStrategy(m, w);
    const previous = wl.current ? Object.entries(wl.current).filter(([, n]) => n > 0).map(([name, replicas]) => ({ name, replicas })) : undefined;
    let result: { name: string; replicas: number }[];
    try {
      result = karmadaAssignReplicas({
        replicas: m.placement.replicas[w]!,
        clusters,
        strategy,
        hasReplicaRequirements: true,
        ...(wl.uid !== undefined ? { uid: wl.uid } : {}),
        ...(previous ? { previous } : {}),
        ...(wl.tiers ? { overflow: true } : {}),
      });
    } catch (e) {
      if (!(e instanceof KarmadaSchedulingError)) throw e;
      status[w] = m.evident[w] ? 1 : 2; // infeasible when the model's data prove it (the evident certificate), else unplaced
      reasons[w] = `Karmada would not schedule it: ${e.message}`;
      continue;
    }
    for (const r of result) {
      const c = m.placement.siteIds.indexOf(r.name);
      counts[w * C + c] = r.replicas;
      for (let d = 0; d < D; d++) residual[c * D + d]! -= r.replicas * m.placement.demand[w * D + d]!;
    }
    status[w] = 0;
    reasons[w] = undefined;
    if ((yield, run.shouldStop())) break;
  }
  for (let w = 0; w < W; w++) {
    if (status[w] !== 0) continue;
    const bad = brokenConstraint(m, w, counts, residual);
    if (bad !== undefined) {
      violations++;
      warnings.push(`the Karmada plan of ${m.placement.clientIds[w]} breaks a constraint of the model: ${bad}`);
      reasons[w] = `placed as Karmada places it, which breaks ${bad}`;
    }
  }
  return replicaEnvelope(run, m, counts, status, reasons, { guarantee: { kind: 'heuristic' }, stats: { violations }, warnings });
}

/** The workload's mode and weights in Karmada's terms. */
function karmadaStrategy(m: ReplicaModel, w: number): KarmadaReplicaStrategy {
  const wl = m.input.workloads[w]!;
  if (m.mode[w] === 2) return { type: 'Duplicated' };
  if (m.mode[w] === 1) return { type: 'Divided', preference: 'Aggregated' };
  if (wl.weights && 'static' in wl.weights) return { type: 'Divided', preference: 'Weighted', staticWeights: wl.weights.static };
  if (wl.weights) return { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' };
  return { type: 'Divided', preference: 'Weighted' };
}

/**
 * The first constraint of the model that Karmada's plan of placed workload w breaks, if any.
 * An evidently infeasible workload (e.g. minReplicas on a cluster it may not use, which the
 * per-cluster check skips) that Karmada placed anyway breaks its evident constraint.
 */
function brokenConstraint(m: ReplicaModel, w: number, counts: Int32Array, residual: Float64Array): string | undefined {
  const evident = m.evident[w];
  return workloadViolation(m, w, counts, w * m.placement.nSites, residual) ?? (evident && m.placement.replicas[w]! > 0 ? evident.reason : undefined);
}
