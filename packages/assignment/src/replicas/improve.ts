import type { SolveRun, Steps } from '@emplace/core';
import { workloadViolation, residualCapacity } from './check.js';
import type { ReplicaModel } from './model.js';

/**
 * Shift local search for per-replica objectives (cost/latency): move one replica of a
 * workload from its priciest used cluster to a cheaper eligible cluster with room, keeping
 * the move when the workload's plan still passes `workloadViolation`. Moves only lower the
 * objective, so the plan improves monotonically. Not used when a workload needs N-1
 * re-hosting (a move changes the residual capacity other workloads' re-hosting counts on).
 * Returns the number of moves made; `counts` is changed in place. A checkpoint every 8
 * workloads tried (issue 13: the search was part of a 550-800 ms stretch on 800 clusters).
 */
export function* shiftImproveSteps(m: ReplicaModel, counts: Int32Array, active: Int32Array, run: SolveRun, deadline: number): Steps<number> {
  const { nSites: C } = m.placement;
  for (const w of active) if (m.survivabilityOf[w]?.rehost) return 0;
  // Workloads on each cluster (may go stale: entries are re-checked before use).
  const onCluster: number[][] = Array.from({ length: C }, () => []);
  for (const w of active) for (let c = 0; c < C; c++) if (counts[w * C + c]! > 0) onCluster[c]!.push(w);
  const s: ShiftState = { m, counts, residual: residualCapacity(m, counts), onCluster, price: new Float64Array(C), order: new Int32Array(C) };
  let moves = 0;
  let steps = 0;
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    for (const w of active) {
      if (m.mode[w] !== 0) continue;
      if ((++steps & 7) === 0) {
        yield;
        if (run.shouldStop() || performance.now() >= deadline) return moves;
      }
      const made = improveWorkload(s, w);
      if (made > 0) {
        moves += made;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return moves;
}

/** The plan being improved, its residual capacity and scratch arrays, shared by the moves below. */
interface ShiftState {
  readonly m: ReplicaModel;
  readonly counts: Int32Array;
  readonly residual: Float64Array;
  readonly onCluster: number[][];
  /** Scratch: per-replica price and the eligible clusters of the workload at hand. */
  readonly price: Float64Array;
  readonly order: Int32Array;
}

function unit(s: ShiftState, w: number, c: number): number {
  const { m } = s;
  return m.weights.cost * m.unitCost[w * m.placement.nSites + c]! + m.weights.latency * m.unitLatency[c]!;
}

/** Moves k replicas of w from a to b, keeping the residual capacity. */
function shift(s: ShiftState, w: number, a: number, b: number, k: number): void {
  const { m, counts, residual } = s;
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  counts[w * C + a]! -= k;
  counts[w * C + b]! += k;
  for (let d = 0; d < D; d++) {
    residual[a * D + d]! += k * m.placement.demand[w * D + d]!;
    residual[b * D + d]! -= k * m.placement.demand[w * D + d]!;
  }
}

/** One pass over workload w's used clusters, priciest first, each moving one replica to the cheapest cluster that takes it; returns the moves made. */
function improveWorkload(s: ShiftState, w: number): number {
  const { m, counts, residual, price, order } = s;
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const { weights } = m;
  const o = w * C;
  let n = 0;
  for (let c = 0; c < C; c++) {
    if (!m.eligible[o + c]) continue;
    price[c] = weights.cost * m.unitCost[o + c]! + weights.latency * m.unitLatency[c]!;
    order[n++] = c;
  }
  const sub = order.subarray(0, n);
  sub.sort((a, b) => price[a]! - price[b]!);
  let moves = 0;
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
      for (let d = 0; d < D && fits; d++) if (residual[to * D + d]! < m.placement.demand[w * D + d]! - 1e-9) fits = false;
      if (!fits) {
        if (ejections < 4) {
          ejections++;
          if (eject(s, w, from, to)) {
            moves++;
            break;
          }
        }
        continue;
      }
      tried++;
      shift(s, w, from, to, 1);
      if (workloadViolation(m, w, counts, o, residual) === undefined) {
        moves++;
        break;
      }
      shift(s, w, to, from, 1);
    }
  }
  return moves;
}

/**
 * Ejection: w moves one replica from -> to (full), making room by moving one replica of
 * another workload w2 from `to` to its cheapest other cluster with room, when the pair of
 * moves lowers the objective and both plans still pass the check.
 */
function eject(s: ShiftState, w: number, from: number, to: number): boolean {
  const { m, counts, residual, onCluster } = s;
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const gain = unit(s, w, to) - unit(s, w, from);
  let tried = 0;
  for (const w2 of onCluster[to]!) {
    if (w2 === w || m.mode[w2] !== 0 || counts[w2 * C + to]! <= m.lo[w2 * C + to]!) continue;
    if (tried++ >= 8) break;
    let frees = true;
    for (let d = 0; d < D && frees; d++) if (residual[to * D + d]! + m.placement.demand[w2 * D + d]! < m.placement.demand[w * D + d]! - 1e-9) frees = false;
    if (!frees) continue;
    const alt = cheapestOther(s, w, w2, from, to);
    if (alt < 0 || gain + unit(s, w2, alt) - unit(s, w2, to) >= -1e-12) continue;
    shift(s, w, from, to, 1);
    shift(s, w2, to, alt, 1);
    let bad = false;
    for (let d = 0; d < D && !bad; d++) if (residual[to * D + d]! < -1e-9 || residual[alt * D + d]! < -1e-9) bad = true;
    if (!bad && workloadViolation(m, w, counts, w * C, residual) === undefined && workloadViolation(m, w2, counts, w2 * C, residual) === undefined) {
      onCluster[alt]!.push(w2);
      return true;
    }
    shift(s, w2, alt, to, 1);
    shift(s, w, to, from, 1);
  }
  return false;
}

/** w2's cheapest cluster other than `to` with room for one replica (counting the room w frees on `from`); -1 when none. */
function cheapestOther(s: ShiftState, w: number, w2: number, from: number, to: number): number {
  const { m, counts, residual } = s;
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  let alt = -1;
  let altPrice = Infinity;
  for (let c = 0; c < C; c++) {
    if (c === to || !m.eligible[w2 * C + c] || counts[w2 * C + c]! >= m.hi[w2 * C + c]!) continue;
    const pc = unit(s, w2, c);
    if (pc >= altPrice) continue;
    let ok = true;
    for (let d = 0; d < D && ok; d++) {
      const extra = c === from ? m.placement.demand[w * D + d]! : 0;
      if (residual[c * D + d]! + extra < m.placement.demand[w2 * D + d]! - 1e-9) ok = false;
    }
    if (ok) {
      alt = c;
      altPrice = pc;
    }
  }
  return alt;
}
