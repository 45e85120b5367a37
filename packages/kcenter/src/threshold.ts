import { runSteps, type Steps } from '@emplace/core';
import type { KCenterInstance } from './instance.js';

/**
 * Threshold machinery shared by the approximations and the exact search: candidate radii
 * (the optimum is always one of the finite weighted distances), the Hochbaum-Shmoys
 * pick-and-mark test, and the packing lower bound.
 *
 * The packing argument needs no metric: if at radius r a set of clients pairwise share no
 * site within r (and no pre-opened site serves them within r), each needs its own centre;
 * more than k - |mustOpen| + z of them prove that the optimum exceeds r.
 */

/** Distances read between two checkpoints of the scans below (a 2000 x 2000 matrix is 4M). */
const SCAN_CHUNK = 1 << 18;

/**
 * Sorted distinct finite distances in [lo, hi]. Integer data over a modest range (the
 * usual case: road or hop distances) goes through a bitmap instead of a sort.
 */
export function candidateRadii(inst: KCenterInstance, lo = -Infinity, hi = Infinity): Float64Array {
  return runSteps(candidateRadiiSteps(inst, lo, hi));
}

/** `candidateRadii` as steps: a checkpoint every SCAN_CHUNK distances of each scan. */
export function* candidateRadiiSteps(inst: KCenterInstance, lo = -Infinity, hi = Infinity): Steps<Float64Array> {
  const { d } = inst;
  const n = d.length;
  let count = 0;
  let allInt = true;
  let vmin = Infinity;
  let vmax = -Infinity;
  for (let at = 0; at < n; at += SCAN_CHUNK) {
    for (let t = at, end = Math.min(n, at + SCAN_CHUNK); t < end; t++) {
      const v = d[t]!;
      if (v >= lo && v <= hi && v !== Infinity) {
        count++;
        if (allInt && !Number.isInteger(v)) allInt = false;
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
      }
    }
    yield;
  }
  if (count === 0) return new Float64Array(0);
  if (allInt && vmax - vmin <= 4 * n + 1024) {
    const range = vmax - vmin + 1;
    const seen = new Uint8Array(range);
    let distinct = 0;
    for (let at = 0; at < n; at += SCAN_CHUNK) {
      for (let t = at, end = Math.min(n, at + SCAN_CHUNK); t < end; t++) {
        const v = d[t]!;
        if (v >= vmin && v <= vmax) {
          const b = v - vmin;
          if (seen[b] === 0) {
            seen[b] = 1;
            distinct++;
          }
        }
      }
      yield;
    }
    const out = new Float64Array(distinct);
    let m = 0;
    for (let b = 0; b < range; b++) if (seen[b] === 1) out[m++] = vmin + b;
    return out;
  }
  const vals = new Float64Array(count);
  count = 0;
  for (let at = 0; at < n; at += SCAN_CHUNK) {
    for (let t = at, end = Math.min(n, at + SCAN_CHUNK); t < end; t++) {
      const v = d[t]!;
      if (v >= lo && v <= hi && v !== Infinity) vals[count++] = v;
    }
    yield;
  }
  vals.sort();
  yield;
  let m = 0;
  for (let t = 0; t < vals.length; t++) if (t === 0 || vals[t] !== vals[m - 1]) vals[m++] = vals[t]!;
  return vals.slice(0, m);
}

/**
 * Candidate radii in [lo, hi] for a bisection step: all of them (sorted, distinct) when
 * there are at most `max`, else a sorted sample of about `max` of them that always
 * contains the largest; `exact` says which. Sampling keeps a search over millions of
 * distinct real distances (large k-supplier data) from sorting them all.
 */
export function radiusLadder(inst: KCenterInstance, lo: number, hi: number, max = 50_000): { values: Float64Array; exact: boolean } {
  return runSteps(radiusLadderSteps(inst, lo, hi, max));
}

/**
 * `radiusLadder` as steps: a checkpoint every SCAN_CHUNK distances (the two scans of a
 * 1000 x 1000 matrix were a 20-30 ms stretch of the exact search, and grow with the matrix).
 */
export function* radiusLadderSteps(inst: KCenterInstance, lo: number, hi: number, max = 50_000): Steps<{ values: Float64Array; exact: boolean }> {
  const { d } = inst;
  const n = d.length;
  let count = 0;
  let top = -Infinity;
  for (let at = 0; at < n; at += SCAN_CHUNK) {
    for (let t = at, end = Math.min(n, at + SCAN_CHUNK); t < end; t++) {
      const v = d[t]!;
      if (v >= lo && v <= hi && v !== Infinity) {
        count++;
        if (v > top) top = v;
      }
    }
    yield;
  }
  if (count <= max) return { values: yield* candidateRadiiSteps(inst, lo, hi), exact: true };
  const stride = Math.ceil(count / max);
  const sample = new Float64Array(Math.ceil(count / stride) + 1);
  let m = 0;
  let seen = 0;
  for (let at = 0; at < n; at += SCAN_CHUNK) {
    for (let t = at, end = Math.min(n, at + SCAN_CHUNK); t < end; t++) {
      const v = d[t]!;
      if (v >= lo && v <= hi && v !== Infinity) {
        if (seen % stride === 0) sample[m++] = v;
        seen++;
      }
    }
    yield;
  }
  sample[m++] = top;
  const vals = sample.subarray(0, m).sort();
  let u = 0;
  for (let t = 0; t < vals.length; t++) if (t === 0 || vals[t] !== vals[u - 1]) vals[u++] = vals[t]!;
  const values = vals.slice(0, u);
  // A sample of near-identical values can be a single point: then list them exactly.
  if (values.length < 2) return { values: yield* candidateRadiiSteps(inst, lo, hi), exact: true };
  return { values, exact: false };
}

/** Smallest finite distance strictly above r (Infinity when none): the next radius worth testing. */
export function nextRadiusAbove(inst: KCenterInstance, r: number): number {
  const { d } = inst;
  let best = Infinity;
  for (let t = 0; t < d.length; t++) {
    const v = d[t]!;
    if (v > r && v < best) best = v;
  }
  return best;
}

/** Largest finite distance. */
export function maxFiniteDistance(inst: KCenterInstance): number {
  let m = 0;
  for (let t = 0; t < inst.d.length; t++) if (inst.d[t]! !== Infinity && inst.d[t]! > m) m = inst.d[t]!;
  return m;
}

/** Clients in the order the threshold test picks them: heavier first (the weighted proof needs it), then by index. */
export function pickOrder(inst: KCenterInstance): Int32Array {
  const order = Int32Array.from({ length: inst.nC }, (_, j) => j);
  if (inst.weighted) {
    const w = inst.model.weight;
    order.sort((a, b) => w[b]! - w[a]! || a - b);
  }
  return order;
}

export interface PickResult {
  /** Picked clients: pairwise share no site within r, none served by a pre-opened site within r. */
  picks: number[];
  /** True when more than `limit` picks were needed (so the optimum exceeds r, by packing). */
  exceeded: boolean;
}

/**
 * Hochbaum-Shmoys test at radius r: take the next unmarked client v, then mark every
 * client that shares a site within r with v. Stops after `limit + 1` picks.
 */
export function thresholdPick(inst: KCenterInstance, r: number, limit: number, order: Int32Array, marked?: Uint8Array): PickResult {
  return runSteps(thresholdPickSteps(inst, r, limit, order, marked));
}

/**
 * `thresholdPick` as steps: a checkpoint after each pick, whose marking scans a row of the
 * clients for every site within r of it (a large radius on 2000 x 2000 data is millions of
 * reads per pick, and one test was a 40-100 ms stretch).
 */
export function* thresholdPickSteps(inst: KCenterInstance, r: number, limit: number, order: Int32Array, marked?: Uint8Array): Steps<PickResult> {
  const { nS, nC, d, mustOpen } = inst;
  const mark = marked ?? new Uint8Array(nC);
  mark.fill(0);
  for (let a = 0; a < mustOpen.length; a++) {
    const row = mustOpen[a]! * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! <= r) mark[j] = 1;
  }
  const picks: number[] = [];
  for (let t = 0; t < nC; t++) {
    const v = order[t]!;
    if (mark[v] === 1) continue;
    picks.push(v);
    if (picks.length > limit) return { picks, exceeded: true };
    mark[v] = 1;
    for (let s = 0; s < nS; s++) {
      if (d[s * nC + v]! > r) continue;
      const row = s * nC;
      for (let j = 0; j < nC; j++) if (d[row + j]! <= r) mark[j] = 1;
    }
    yield;
  }
  return { picks, exceeded: false };
}

/** The openable site nearest to client v (smallest weighted distance), not in `taken`. */
export function nearestSite(inst: KCenterInstance, v: number, taken?: Uint8Array): number {
  const { nC, d, openable } = inst;
  let best = -1;
  let bestD = Infinity;
  for (let a = 0; a < openable.length; a++) {
    const s = openable[a]!;
    if (taken && taken[s] === 1) continue;
    const x = d[s * nC + v]!;
    if (x < bestD || best === -1) {
      best = s;
      bestD = x;
    }
  }
  return best;
}

/**
 * Packing lower bound from a list of clients: the largest B such that, at every radius
 * r < B, the first `need` clients of the list pairwise share no site within r and none is
 * within r of a pre-opened site. Then more than the free centres are needed below B, so
 * the optimum is at least B. Needs `need = k - |mustOpen| + z + 1` clients; returns 0
 * (no information) with fewer.
 */
export function packingBound(inst: KCenterInstance, clients: readonly number[]): number {
  const { nS, nC, d, mustOpen, k, z } = inst;
  const need = k - mustOpen.length + z + 1;
  if (clients.length < need) return 0;
  const list = clients.slice(0, need);
  let bound = Infinity;
  for (const a of list) {
    for (let m = 0; m < mustOpen.length; m++) bound = Math.min(bound, d[mustOpen[m]! * nC + a]!);
  }
  // meet(a, b) = min over sites of max(d(s, a), d(s, b)) is the smallest radius at which
  // one site serves both; the minimum over pairs equals the minimum over sites of the
  // second-smallest distance from the site to the list: O(nS x list).
  for (let s = 0; s < nS; s++) {
    const row = s * nC;
    let m1 = Infinity;
    let m2 = Infinity;
    for (const a of list) {
      const v = d[row + a]!;
      if (v < m1) {
        m2 = m1;
        m1 = v;
      } else if (v < m2) m2 = v;
    }
    if (m2 < bound) bound = m2;
  }
  return bound;
}
