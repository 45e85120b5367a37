import { ModelError } from '@emplace/core';
import { toPointSet, type PointSet } from './points.js';
import { nonDominatedIndices } from './sort.js';
import { Treap } from './treap.js';

export interface HypervolumeOptions {
  /**
   * Points that are not dominated by the reference point: `'error'` (default) throws a
   * ModelError naming the point; `'ignore'` drops them (they add no volume).
   */
  outside?: 'error' | 'ignore';
}

/**
 * Exact hypervolume (Lebesgue measure of the region dominated by the points and bounded
 * by `reference`), objectives minimised:
 * - 1D/2D: sort and sweep, O(n log n);
 * - 3D: the Beume et al. (2009) sweep in f3 with the (f1, f2) staircase in a balanced tree, O(n log n);
 * - 4D+: WFG (While, Bradstreet, Barone 2012) on the non-dominated points, bottoming out in the 3D sweep.
 */
export function hypervolume(points: readonly ArrayLike<number>[] | PointSet, reference: ArrayLike<number>, options: HypervolumeOptions = {}): number {
  const ps = toPointSet(points);
  const m = ps.n === 0 ? reference.length : ps.m;
  if (reference.length !== m) throw new ModelError('reference', `has ${reference.length} objectives, the points have ${m}`);
  for (let k = 0; k < m; k++) {
    if (typeof reference[k] !== 'number' || !Number.isFinite(reference[k])) throw new ModelError(`reference[${k}]`, `must be a finite number, got ${String(reference[k])}`);
  }
  // Keep the points strictly inside the reference box (points on its boundary add nothing).
  const inside: number[] = [];
  for (let i = 0; i < ps.n; i++) {
    let ok = true;
    for (let k = 0; k < m; k++) {
      const v = ps.values[i * m + k]!;
      if (v > reference[k]!) {
        if (options.outside !== 'ignore') {
          throw new ModelError('reference', `does not bound the front: points[${i}][${k}] = ${v} > reference[${k}] = ${reference[k]}`);
        }
        ok = false;
        break;
      }
      if (v === reference[k]) ok = false;
    }
    if (ok) inside.push(i);
  }
  if (inside.length === 0) return 0;
  const vals = new Float64Array(inside.length * m);
  for (let t = 0; t < inside.length; t++) vals.set(ps.values.subarray(inside[t]! * m, inside[t]! * m + m), t * m);
  const ref = Float64Array.from(reference);
  return hvFlat(vals, inside.length, m, ref);
}

/** Hypervolume of n points strictly inside the box of `ref` (no checks). */
export function hvFlat(values: Float64Array, n: number, m: number, ref: Float64Array): number {
  if (n === 0) return 0;
  if (m === 1) {
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, values[i]!);
    return ref[0]! - best;
  }
  if (m === 2) return hv2d(values, n, ref[0]!, ref[1]!);
  if (m === 3) return hv3d(values, n, ref);
  return wfg(values, n, m, ref);
}

function hv2d(values: Float64Array, n: number, r1: number, r2: number): number {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a * 2]! - values[b * 2]! || values[a * 2 + 1]! - values[b * 2 + 1]!);
  let volume = 0;
  let lastF2 = r2;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const f2 = values[i * 2 + 1]!;
    if (f2 < lastF2) {
      volume += (r1 - values[i * 2]!) * (lastF2 - f2);
      lastF2 = f2;
    }
  }
  return volume;
}

const sharedTree = new Treap(1024);

function hv3d(values: Float64Array, n: number, ref: Float64Array): number {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a * 3 + 2]! - values[b * 3 + 2]! || values[a * 3]! - values[b * 3]! || values[a * 3 + 1]! - values[b * 3 + 1]!);
  const r1 = ref[0]!;
  const r2 = ref[1]!;
  // Staircase of (f1, f2) non-dominated so far: f1 ascending, f2 strictly descending,
  // keyed by f1 (unique on a staircase). `area` is the 2D volume it dominates.
  const tree = sharedTree;
  tree.clear();
  let area = 0;
  let volume = 0;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const x = values[i * 3]!;
    const y = values[i * 3 + 1]!;
    const z = values[i * 3 + 2]!;
    const pred = tree.floor(x);
    const dominated = pred >= 0 && values[tree.valueOf(pred) * 3 + 1]! <= y;
    if (!dominated) {
      // Coverage level just left of x: f2 of the last staircase point with f1 < x (a
      // point with f1 == x has a larger f2 and is covered by i; the walk removes it).
      const before = tree.lower(x);
      let cur = before >= 0 ? values[tree.valueOf(before) * 3 + 1]! : r2;
      // Area newly covered: walk the successors (f1 >= x), removing those i covers.
      let gain = 0;
      let px = x;
      for (;;) {
        const s = tree.ceiling(px);
        if (s < 0) {
          gain += (r1 - px) * (cur - y);
          break;
        }
        const sx = tree.keyOf(s);
        const sy = values[tree.valueOf(s) * 3 + 1]!;
        gain += (sx - px) * (cur - y);
        if (sy >= y) {
          tree.remove(sx);
          cur = sy;
          px = sx;
        } else break;
      }
      area += gain;
      tree.insert(x, i);
    }
    const nextZ = t + 1 < n ? values[order[t + 1]! * 3 + 2]! : ref[2]!;
    volume += area * (nextZ - z);
  }
  return volume;
}

/**
 * WFG (While, Bradstreet, Barone 2012): with the points sorted by the last objective,
 * descending, the volume is the sum of each point's exclusive contribution against the
 * points after it. Those points, limited to the point's box (componentwise max), all share
 * its last coordinate, so the contribution is (ref_m - p_m) times an (m-1)-dimensional
 * box minus the hypervolume of the limited set: the recursion drops one objective per
 * level and ends in the 3D sweep.
 */
function wfg(values: Float64Array, n: number, m: number, ref: Float64Array): number {
  const nd = m <= 3 ? nonDominatedIndices(values, n, m) : firstFront(values, n, m);
  nd.sort((a, b) => values[b * m + m - 1]! - values[a * m + m - 1]!);
  const count = nd.length;
  const pts = new Float64Array(count * m);
  for (let t = 0; t < count; t++) pts.set(values.subarray(nd[t]! * m, nd[t]! * m + m), t * m);
  const d = m - 1;
  const limited = new Float64Array(count * d);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const height = ref[d]! - pts[i * m + d]!;
    if (!(height > 0)) continue;
    let box = 1;
    for (let k = 0; k < d; k++) box *= ref[k]! - pts[i * m + k]!;
    let c = 0;
    for (let j = i + 1; j < count; j++) {
      for (let k = 0; k < d; k++) limited[c * d + k] = Math.max(pts[j * m + k]!, pts[i * m + k]!);
      c++;
    }
    const covered = c === 0 ? 0 : limitedVolume(limited, c, d, ref);
    total += height * (box - covered);
  }
  return total;
}

/**
 * Indices of the non-dominated rows (duplicates once): in lexicographic order no row is
 * dominated by a later one, so each row is tested only against the rows kept so far.
 * O(n log n + n x front), cheap on WFG's limited sets where most rows are dominated.
 */
function firstFront(values: Float64Array, n: number, m: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (let k = 0; k < m; k++) {
      const d = values[a * m + k]! - values[b * m + k]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  const kept: number[] = [];
  for (const i of order) {
    let dominated = false;
    for (let t = kept.length - 1; t >= 0 && !dominated; t--) {
      const q = kept[t]!;
      let le = true;
      for (let k = 0; k < m; k++) {
        if (values[q * m + k]! > values[i * m + k]!) {
          le = false;
          break;
        }
      }
      dominated = le;
    }
    if (!dominated) kept.push(i);
  }
  return kept;
}

/** Hypervolume of the first `c` rows of a scratch array (copied: the recursion reuses buffers). */
function limitedVolume(limited: Float64Array, c: number, d: number, ref: Float64Array): number {
  const copy = limited.slice(0, c * d);
  // Drop points on the reference boundary (zero volume) so the 3D/2D sweeps see only interior points.
  let w = 0;
  for (let r = 0; r < c; r++) {
    let ok = true;
    for (let k = 0; k < d; k++) if (!(copy[r * d + k]! < ref[k]!)) ok = false;
    if (ok) {
      if (w !== r) copy.copyWithin(w * d, r * d, r * d + d);
      w++;
    }
  }
  return hvFlat(copy, w, d, ref);
}

/** Hypervolume by inclusion-exclusion over all subsets: exponential, the oracle for tests (n <= ~15). */
export function hypervolumeInclusionExclusion(points: readonly ArrayLike<number>[], reference: ArrayLike<number>): number {
  const n = points.length;
  const m = reference.length;
  let total = 0;
  const joint = new Float64Array(m);
  for (let mask = 1; mask < 1 << n; mask++) {
    joint.fill(-Infinity);
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        bits++;
        for (let k = 0; k < m; k++) joint[k] = Math.max(joint[k]!, points[i]![k]!);
      }
    }
    let box = 1;
    for (let k = 0; k < m; k++) box *= Math.max(0, reference[k]! - joint[k]!);
    total += bits % 2 === 1 ? box : -box;
  }
  return total;
}
