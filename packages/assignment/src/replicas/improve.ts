import type { SolveRun } from '@emplace/core';
import { workloadViolation } from './check.js';
import type { ReplicaModel } from './model.js';

/**
 * Shift local search for per-replica objectives (cost/latency): move one replica of a
 * workload from its priciest used cluster to a cheaper eligible cluster with room, keeping
 * the move when the workload's plan still passes `workloadViolation`. Moves only lower the
 * objective, so the plan improves monotonically. Not used when a workload needs N-1
 * re-hosting (a move changes the residual capacity other workloads' re-hosting counts on).
 * Returns the number of moves made; `counts` is changed in place.
 */
export function shiftImprove(m: ReplicaModel, counts: Int32Array, active: Int32Array, run: SolveRun, deadline: number): number {
  const { C, D, weights } = m;
  for (const w of active) if (m.survivabilityOf[w]?.rehost) return 0;
  const residual = Float64Array.from(m.free);
  for (let k = 0; k < counts.length; k++) {
    const n = counts[k]!;
    if (n === 0) continue;
    const w = Math.floor(k / C);
    const c = k % C;
    for (let d = 0; d < D; d++) residual[c * D + d]! -= n * m.request[w * D + d]!;
  }
  const price = new Float64Array(C);
  const order = new Int32Array(C);
  let moves = 0;
  let steps = 0;
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    for (const w of active) {
      if (m.mode[w] !== 0) continue;
      if ((++steps & 63) === 0 && (run.shouldStop() || performance.now() >= deadline)) return moves;
      const o = w * C;
      let n = 0;
      for (let c = 0; c < C; c++) {
        if (!m.eligible[o + c]) continue;
        price[c] = weights.cost * m.unitCost[o + c]! + weights.latency * m.unitLatency[c]!;
        order[n++] = c;
      }
      const sub = order.subarray(0, n);
      sub.sort((a, b) => price[a]! - price[b]!);
      for (let i = n - 1; i > 0; i--) {
        const from = sub[i]!;
        if (counts[o + from]! <= m.lo[o + from]!) continue;
        let tried = 0;
        for (let j = 0; j < i && tried < 12; j++) {
          const to = sub[j]!;
          if (price[to]! >= price[from]! - 1e-12) break;
          if (counts[o + to]! >= m.hi[o + to]!) continue;
          let fits = true;
          for (let d = 0; d < D && fits; d++) if (residual[to * D + d]! < m.request[w * D + d]! - 1e-9) fits = false;
          if (!fits) continue;
          tried++;
          counts[o + from]!--;
          counts[o + to]!++;
          for (let d = 0; d < D; d++) {
            residual[from * D + d]! += m.request[w * D + d]!;
            residual[to * D + d]! -= m.request[w * D + d]!;
          }
          if (workloadViolation(m, w, counts, o, residual) === undefined) {
            moves++;
            improved = true;
            break;
          }
          counts[o + from]!++;
          counts[o + to]!--;
          for (let d = 0; d < D; d++) {
            residual[from * D + d]! -= m.request[w * D + d]!;
            residual[to * D + d]! += m.request[w * D + d]!;
          }
        }
      }
    }
    if (!improved) break;
  }
  return moves;
}
