import type { ReplicaModel } from './model.js';

/**
 * A combinatorial lower bound on the weighted objective when every active workload is
 * placed and the objective is per replica (cost and latency only; no moves, imbalance,
 * clusters, aggregated, duplicated or lexicographic order): each workload alone, on the
 * full free capacity, with only its per-cluster bounds and its survivability per-domain cap
 * (N - minAvailable). Spread, skew, re-hosting and the sharing of capacity are relaxed.
 * Cluster caps nest inside domain caps (a laminar family), so cheapest-first filling is
 * optimal for the relaxation (polymatroid greedy). When the greedy plan meets this bound it
 * is proven optimal without a MIP. Returns undefined when the objective is not of that kind.
 */
export function relaxationBound(m: ReplicaModel, active: Int32Array): number | undefined {
  const { nSites: C } = m.placement;
  const { weights } = m;
  if (m.lexicographic || weights.moves > 0 || weights.imbalance > 0 || weights.clusters > 0) return undefined;
  let total = 0;
  const order = new Int32Array(C);
  const price = new Float64Array(C);
  for (const w of active) {
    if (m.mode[w] !== 0) return undefined;
    if (m.current && m.moveCost[w]! > 0) return undefined;
    const N = m.placement.replicas[w]!;
    if (N === 0) continue;
    const sv = m.survivabilityOf[w];
    const cap = sv ? N - sv.minAvailable : N;
    const domainLeft = sv ? new Int32Array(sv.groups.length).fill(cap) : undefined;
    let n = 0;
    let left = N;
    for (let c = 0; c < C; c++) {
      const k = w * C + c;
      if (!m.eligible[k]) continue;
      price[c] = weights.cost * m.unitCost[k]! + weights.latency * m.unitLatency[c]!;
      order[n++] = c;
      const lo = m.lo[k]!;
      if (lo > 0) {
        total += lo * price[c]!;
        left -= lo;
        if (domainLeft) domainLeft[sv!.groupOf[c]!]! -= lo;
      }
    }
    const sub = order.subarray(0, n);
    sub.sort((a, b) => price[a]! - price[b]!);
    for (let i = 0; i < n && left > 0; i++) {
      const c = sub[i]!;
      const k = w * C + c;
      let take = Math.min(left, m.hi[k]! - m.lo[k]!);
      if (domainLeft) take = Math.min(take, domainLeft[sv!.groupOf[c]!]!);
      if (take <= 0) continue;
      total += take * price[c]!;
      left -= take;
      if (domainLeft) domainLeft[sv!.groupOf[c]!]! -= take;
    }
    if (left > 0) return undefined; // the relaxation itself cannot place it: no claim
  }
  return total;
}
