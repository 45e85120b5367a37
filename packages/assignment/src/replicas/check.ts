import type { ReplicaModel } from './model.js';

/** Free capacity left per cluster and dimension (C x D) once every replica in `counts` (W x C) is placed. */
export function residualCapacity(m: ReplicaModel, counts: Int32Array): Float64Array {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const residual = Float64Array.from(m.placement.capacity);
  for (let k = 0; k < counts.length; k++) {
    const n = counts[k]!;
    if (n === 0) continue;
    const w = Math.floor(k / C);
    const c = k % C;
    for (let d = 0; d < D; d++) residual[c * D + d]! -= n * m.placement.demand[w * D + d]!;
  }
  return residual;
}

/**
 * Fast per-workload check on the compiled arrays, used by the methods to accept a plan
 * (greedy) or to verify a backend's answer (exact). `evaluate.ts` is the independent,
 * slower check used by the tests. Capacity is checked through `residual` (free capacity
 * minus every placed replica, C x D): it must be non-negative, and re-hosting uses it.
 * Returns the first violated constraint (a field path and why), or undefined.
 */
export function workloadViolation(m: ReplicaModel, w: number, x: ArrayLike<number>, xo: number, residual: Float64Array): string | undefined {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  const N = m.placement.replicas[w]!;
  const f = `workloads[${w}]`;
  let total = 0;
  for (let c = 0; c < C; c++) total += x[xo + c]!;
  if (total === 0 && N > 0) return undefined; // unplaced
  const dup = m.mode[w] === 2;
  for (let c = 0; c < C; c++) {
    const n = x[xo + c]!;
    const k = w * C + c;
    if (!m.eligible[k]) {
      if (n > 0) return `${f}: cluster ${m.placement.siteIds[c]} is not eligible`;
      continue;
    }
    // Duplicated: 0 or all N copies, and N only where it fits (hi is N there, else 0: maxReplicas or room below N).
    if (dup ? n !== 0 && (n !== N || n > m.hi[k]!) : n > m.hi[k]! || n < m.lo[k]!) return `${f}: ${n} replicas on ${m.placement.siteIds[c]} outside [${m.lo[k]}, ${m.hi[k]}]`;
    if (dup && n < m.lo[k]!) return `${f}.minReplicas.${m.placement.siteIds[c]}`;
  }
  for (let c = 0; c < C; c++) {
    if (x[xo + c]! === 0) continue;
    for (let d = 0; d < D; d++) if (residual[c * D + d]! < -1e-9 * Math.max(1, m.placement.capacity[c * D + d]!)) return `clusters[${c}].free.${m.placement.dimensions[d]}`;
  }
  if (!dup && total !== N) return `${f}.replicas: ${total} != ${N}`;
  for (const s of m.spreadsOf[w]!) {
    const per = groupCounts(s.groupOf, s.groups.length, x, xo, C);
    let used = 0;
    let mx = 0;
    let mn = Infinity;
    for (let g = 0; g < per.length; g++) {
      if (per[g]! === 0) continue;
      used++;
      if (per[g]! > mx) mx = per[g]!;
      if (per[g]! < mn) mn = per[g]!;
    }
    if (used < s.minGroups || used > s.maxGroups) return `${s.field}: ${used} groups`;
    if (used > 0 && mx - mn > s.maxSkew) return `${s.field}.maxSkew`;
  }
  const sv = m.survivabilityOf[w];
  if (sv) {
    const per = groupCounts(sv.groupOf, sv.groups.length, x, xo, C);
    for (let g = 0; g < per.length; g++) {
      if (total - per[g]! < sv.minAvailable) return `${sv.field}: losing ${sv.groups[g]}`;
      if (sv.rehost && per[g]! > 0 && rehostRoom(m, w, x, xo, residual, sv.groupOf, g, per[g]!) < per[g]!) return `${sv.field}.rehost: losing ${sv.groups[g]}`;
    }
  }
  if (m.current && m.maxMoves[w]! >= 0 && movesOf(m, w, x, xo) > m.maxMoves[w]!) return `${f}.maxMoves`;
  return undefined;
}

/** Room on the eligible clusters outside domain g for more replicas of w (stops counting at `need`). */
export function rehostRoom(m: ReplicaModel, w: number, x: ArrayLike<number>, xo: number, residual: Float64Array, groupOf: Int32Array, g: number, need: number): number {
  const { nSites: C } = m.placement;
  const D = m.placement.dimensions.length;
  let room = 0;
  for (let c = 0; c < C && room < need; c++) {
    if (groupOf[c] === g || !m.eligible[w * C + c]) continue;
    // Emergency re-hosting respects maxReplicas and free capacity, not weights or N.
    let a = m.maxRep[w * C + c]! - x[xo + c]!;
    for (let d = 0; d < D; d++) {
      const r = m.placement.demand[w * D + d]!;
      if (r > 0) a = Math.min(a, Math.floor(residual[c * D + d]! / r + 1e-9));
    }
    if (a > 0) room += a;
  }
  return room;
}

export function groupCounts(groupOf: Int32Array, G: number, x: ArrayLike<number>, xo: number, C: number): Int32Array {
  const per = new Int32Array(G);
  for (let c = 0; c < C; c++) {
    const g = groupOf[c]!;
    if (g >= 0) per[g]! += x[xo + c]!;
  }
  return per;
}

/** moved = sum_c max(0, current - x) - forced removals of a scale-down. */
export function movesOf(m: ReplicaModel, w: number, x: ArrayLike<number>, xo: number): number {
  if (!m.current) return 0;
  const C = m.placement.nSites;
  let dec = 0;
  for (let c = 0; c < C; c++) dec += Math.max(0, m.current[w * C + c]! - x[xo + c]!);
  return Math.max(0, dec - m.forcedRemovals[w]!);
}
