import { crowdingDistance } from './crowding.js';
import { nonDominatedSort } from './sort.js';

/**
 * Feasibility-first ranks (Deb's rules): feasible points by non-dominated sorting; then
 * infeasible points, one rank per distinct total violation, smallest first.
 */
export function rankInto(objs: Float64Array, viol: Float64Array, n: number, m: number, rank: Int32Array): number {
  const feasible: number[] = [];
  const infeasible: number[] = [];
  for (let i = 0; i < n; i++) (viol[i]! > 0 ? infeasible : feasible).push(i);
  let maxRank = -1;
  if (feasible.length > 0) {
    const sub = new Float64Array(feasible.length * m);
    feasible.forEach((i, t) => sub.set(objs.subarray(i * m, i * m + m), t * m));
    const r = nonDominatedSort(sub, feasible.length, m);
    feasible.forEach((i, t) => {
      rank[i] = r[t]!;
      if (r[t]! > maxRank) maxRank = r[t]!;
    });
  }
  infeasible.sort((a, b) => viol[a]! - viol[b]! || a - b);
  let last = NaN;
  for (const i of infeasible) {
    if (viol[i] !== last) {
      maxRank++;
      last = viol[i]!;
    }
    rank[i] = maxRank;
  }
  return maxRank + 1;
}

/** Crowding distance of every individual within its front (by `rank`). */
export function crowdingInto(objs: Float64Array, m: number, rank: Int32Array, n: number, out: Float64Array): void {
  const fronts: number[][] = [];
  for (let i = 0; i < n; i++) {
    while (fronts.length <= rank[i]!) fronts.push([]);
    fronts[rank[i]!]!.push(i);
  }
  for (const f of fronts) if (f.length > 0) crowdingDistance(objs, m, f, out);
}

export /** Fronts of the distinct individuals (feasibility-first), then one last front holding the duplicates. */
function frontsOf(objs: Float64Array, viol: Float64Array, n: number, m: number, dup?: Uint8Array): number[][] {
  if (!dup) {
    const rank = new Int32Array(n);
    const count = rankInto(objs, viol, n, m, rank);
    const fronts: number[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < n; i++) fronts[rank[i]!]!.push(i);
    return fronts;
  }
  const keep: number[] = [];
  const copies: number[] = [];
  for (let i = 0; i < n; i++) (dup[i] ? copies : keep).push(i);
  const subObjs = new Float64Array(keep.length * m);
  const subViol = new Float64Array(keep.length);
  keep.forEach((i, t) => {
    subObjs.set(objs.subarray(i * m, i * m + m), t * m);
    subViol[t] = viol[i]!;
  });
  const fronts = frontsOf(subObjs, subViol, keep.length, m).map((f) => f.map((t) => keep[t]!));
  if (copies.length > 0) fronts.push(copies);
  return fronts;
}

export /** 1 for every decision vector equal to an earlier one. */
function duplicateMask(xs: Float64Array[], n: number): Uint8Array {
  const seen = new Set<string>();
  const dup = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const key = xs[i]!.join(',');
    if (seen.has(key)) dup[i] = 1;
    else seen.add(key);
  }
  return dup;
}
