/**
 * Sorts ids[0..n) by key decreasing (ties by id increasing), keys kept beside the ids (no
 * indirect loads in the inner loop), by insertion: linear when the list is nearly sorted,
 * as the single-source relaxation's per-site item lists and its cover's site list are
 * between two subgradient steps. Gives up after `8 n + 64` shifts and returns false (the
 * lists are then partly sorted; the caller finishes with the native sort).
 */
export function insertionSortDescending(ids: Int32Array, key: Float64Array, n: number): boolean {
  let shifts = 0;
  const budget = 8 * n + 64;
  for (let t = 1; t < n; t++) {
    const id = ids[t]!;
    const k = key[t]!;
    let s = t - 1;
    while (s >= 0 && (key[s]! < k || (key[s] === k && ids[s]! > id))) {
      ids[s + 1] = ids[s]!;
      key[s + 1] = key[s]!;
      s--;
      if (++shifts > budget) {
        ids[s + 1] = id;
        key[s + 1] = k;
        return false;
      }
    }
    ids[s + 1] = id;
    key[s + 1] = k;
  }
  return true;
}
