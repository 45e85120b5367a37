import { compareRows } from './dominance.js';
import { Treap } from './treap.js';

/**
 * Non-dominated sorting: `rank[i]` is the index (0 = best) of the Pareto front point i
 * belongs to. Identical points share a front.
 *
 * - 1 objective: a sort.
 * - 2 objectives: lexicographic sort, then each point binary-searches the fronts by
 *   their last f2 (O(N log N)).
 * - 3 objectives: lexicographic sort, then each front keeps its (f2, f3) staircase in a
 *   balanced tree; a point binary-searches the fronts, testing dominance with one floor
 *   query per front (O(N log^2 N)).
 * - 4+ objectives: the O(M N^2) textbook method (Deb et al. 2002).
 */
export function nonDominatedSort(values: Float64Array, n: number, m: number): Int32Array {
  if (n === 0) return new Int32Array(0);
  if (m === 1) return sort1(values, n);
  if (m === 2) return sort2(values, n);
  if (m === 3) return sort3(values, n);
  return naiveNonDominatedSort(values, n, m);
}

/** Points grouped by front: `fronts[r]` lists the indices of rank r, ascending. */
export function frontsFromRanks(rank: Int32Array): number[][] {
  const fronts: number[][] = [];
  for (let i = 0; i < rank.length; i++) {
    const r = rank[i]!;
    while (fronts.length <= r) fronts.push([]);
    fronts[r]!.push(i);
  }
  return fronts;
}

/** Indices of the first front (the non-dominated points). */
export function nonDominatedIndices(values: Float64Array, n: number, m: number): number[] {
  const rank = nonDominatedSort(values, n, m);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (rank[i] === 0) out.push(i);
  return out;
}

/** The O(M N^2) fast non-dominated sort of NSGA-II, kept as the oracle and for M >= 4. */
export function naiveNonDominatedSort(values: Float64Array, n: number, m: number): Int32Array {
  const dominatedCount = new Int32Array(n);
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = compareRows(values, m, i, j);
      if (c === 1) {
        dominatesList[i]!.push(j);
        dominatedCount[j]!++;
      } else if (c === -1) {
        dominatesList[j]!.push(i);
        dominatedCount[i]!++;
      }
    }
  }
  const rank = new Int32Array(n).fill(-1);
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedCount[i] === 0) current.push(i);
  let r = 0;
  while (current.length > 0) {
    const next: number[] = [];
    for (const i of current) {
      rank[i] = r;
      for (const j of dominatesList[i]!) if (--dominatedCount[j]! === 0) next.push(j);
    }
    current = next;
    r++;
  }
  return rank;
}

/** Indices sorted lexicographically by all objectives. */
function lexOrder(values: Float64Array, n: number, m: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const oa = a * m;
    const ob = b * m;
    for (let k = 0; k < m; k++) {
      const d = values[oa + k]! - values[ob + k]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  return order;
}

function sameRow(values: Float64Array, m: number, a: number, b: number): boolean {
  for (let k = 0; k < m; k++) if (values[a * m + k] !== values[b * m + k]) return false;
  return true;
}

function sort1(values: Float64Array, n: number): Int32Array {
  const order = lexOrder(values, n, 1);
  const rank = new Int32Array(n);
  let r = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0 && values[order[t]!]! !== values[order[t - 1]!]!) r++;
    rank[order[t]!] = r;
  }
  return rank;
}

function sort2(values: Float64Array, n: number): Int32Array {
  const order = lexOrder(values, n, 2);
  const rank = new Int32Array(n);
  // lastF2[r]: f2 of the last point put in front r. Along the lexicographic order a
  // front's f2 decreases, so its last point has the front's smallest f2, and lastF2
  // increases with r: a binary search finds the first front that does not dominate.
  const lastF2 = new Float64Array(n);
  let nFronts = 0;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    if (t > 0 && sameRow(values, 2, i, order[t - 1]!)) {
      rank[i] = rank[order[t - 1]!]!;
      continue;
    }
    const f2 = values[i * 2 + 1]!;
    let lo = 0;
    let hi = nFronts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lastF2[mid]! <= f2) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    lastF2[lo] = f2;
    if (lo === nFronts) nFronts++;
  }
  return rank;
}

function sort3(values: Float64Array, n: number): Int32Array {
  const order = lexOrder(values, n, 3);
  const rank = new Int32Array(n);
  // Each front keeps the (f2, f3) staircase of its points seen so far (f2 ascending, f3
  // strictly descending); earlier points have f1 no larger, so front r dominates the
  // current point iff its staircase does in (f2, f3). Dominance by front r implies
  // dominance by every front before r, so the fronts can be binary-searched.
  const stairs: Treap[] = [];
  const dominatedBy = (r: number, f2: number, f3: number): boolean => {
    const s = stairs[r]!;
    const node = s.floor(f2);
    return node >= 0 && values[s.valueOf(node) * 3 + 2]! <= f3;
  };
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    if (t > 0 && sameRow(values, 3, i, order[t - 1]!)) {
      rank[i] = rank[order[t - 1]!]!;
      continue;
    }
    const f2 = values[i * 3 + 1]!;
    const f3 = values[i * 3 + 2]!;
    let lo = 0;
    let hi = stairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dominatedBy(mid, f2, f3)) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    if (lo === stairs.length) stairs.push(new Treap(64));
    const s = stairs[lo]!;
    // Remove staircase points that i covers in (f2, f3): f2 >= i.f2 and f3 >= i.f3.
    for (;;) {
      const node = s.ceiling(f2);
      if (node < 0) break;
      const j = s.valueOf(node);
      if (values[j * 3 + 2]! >= f3) s.remove(s.keyOf(node));
      else break;
    }
    s.insert(f2, i);
  }
  return rank;
}
