import type { SolveRun } from '@emplace/core';
import { workloadViolation, residualCapacity } from './check.js';
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
  const residual = residualCapacity(m, counts);
  const price = new Float64Array(C);
  const order = new Int32Array(C);
  let moves = 0;
  let steps = 0;
  // Workloads on each cluster (may go stale: entries are re-checked before use).
  const onCluster: number[][] = Array.from({ length: C }, () => []);
  for (const w of active) for (let c = 0; c < C; c++) if (counts[w * C + c]! > 0) onCluster[c]!.push(w);
  const unit = (w: number, c: number) => weights.cost * m.unitCost[w * C + c]! + weights.latency * m.unitLatency[c]!;
  const shift = (w: number, a: number, b: number, k: number) => {
    counts[w * C + a]! -= k;
    counts[w * C + b]! += k;
    for (let d = 0; d < D; d++) {
      residual[a * D + d]! += k * m.request[w * D + d]!;
      residual[b * D + d]! -= k * m.request[w * D + d]!;
    }
  };
  // Ejection: w moves one replica from -> to (full), making room by moving one replica of
  // another workload w2 from `to` to its cheapest other cluster with room, when the pair of
  // moves lowers the objective and both plans still pass the check.
  const eject = (w: number, from: number, to: number): boolean => {
    const gain = unit(w, to) - unit(w, from);
    let tried = 0;
    for (const w2 of onCluster[to]!) {
      if (w2 === w || m.mode[w2] !== 0 || counts[w2 * C + to]! <= m.lo[w2 * C + to]!) continue;
      if (tried++ >= 8) break;
      let frees = true;
      for (let d = 0; d < D && frees; d++) if (residual[to * D + d]! + m.request[w2 * D + d]! < m.request[w * D + d]! - 1e-9) frees = false;
      if (!frees) continue;
      let alt = -1;
      let altPrice = Infinity;
      for (let c = 0; c < C; c++) {
        if (c === to || !m.eligible[w2 * C + c] || counts[w2 * C + c]! >= m.hi[w2 * C + c]!) continue;
        const pc = unit(w2, c);
        if (pc >= altPrice) continue;
        let ok = true;
        for (let d = 0; d < D && ok; d++) {
          const extra = c === from ? m.request[w * D + d]! : 0;
          if (residual[c * D + d]! + extra < m.request[w2 * D + d]! - 1e-9) ok = false;
        }
        if (ok) {
          alt = c;
          altPrice = pc;
        }
      }
      if (alt < 0 || gain + altPrice - unit(w2, to) >= -1e-12) continue;
      shift(w, from, to, 1);
      shift(w2, to, alt, 1);
      let bad = false;
      for (let d = 0; d < D && !bad; d++) if (residual[to * D + d]! < -1e-9 || residual[alt * D + d]! < -1e-9) bad = true;
      if (!bad && workloadViolation(m, w, counts, w * C, residual) === undefined && workloadViolation(m, w2, counts, w2 * C, residual) === undefined) {
        onCluster[alt]!.push(w2);
        return true;
      }
      shift(w2, alt, to, 1);
      shift(w, to, from, 1);
    }
    return false;
  };
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
        let ejections = 0;
        for (let j = 0; j < i && tried < 12; j++) {
          const to = sub[j]!;
          if (price[to]! >= price[from]! - 1e-12) break;
          if (counts[o + to]! >= m.hi[o + to]!) continue;
          let fits = true;
          for (let d = 0; d < D && fits; d++) if (residual[to * D + d]! < m.request[w * D + d]! - 1e-9) fits = false;
          if (!fits) {
            if (ejections < 4) {
              ejections++;
              if (eject(w, from, to)) {
                moves++;
                improved = true;
                break;
              }
            }
            continue;
          }
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
