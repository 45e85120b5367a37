/**
 * The value g with W(> g) < need <= W(>= g), W summing the weights of the values above: the value
 * at which the weights, taken by decreasing value, first reach `need` (sum of all >= need). A
 * three-way quickselect on the first n entries of `vals` / `wts`, which it reorders; 0 if rounding
 * leaves the sum short (the value of an unreached capacity).
 */
export function weightedUpperQuantile(vals: Float64Array, wts: Float64Array, n: number, need: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    // Median of three as the pivot (deterministic, no allocation).
    const x = vals[lo]!;
    const y = vals[(lo + hi) >> 1]!;
    const z = vals[hi - 1]!;
    const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Dutch flag: [lo, gt) > p, [gt, i) == p, [lt, hi) < p.
    let gt = lo;
    let i = lo;
    let lt = hi;
    let wAbove = 0;
    let wEqual = 0;
    while (i < lt) {
      const v = vals[i]!;
      if (v > p) {
        wAbove += wts[i]!;
        swapPair(vals, wts, i++, gt++);
      } else if (v < p) swapPair(vals, wts, i, --lt);
      else {
        wEqual += wts[i]!;
        i++;
      }
    }
    if (wAbove >= need) hi = gt;
    else if (wAbove + wEqual >= need) return p;
    else {
      need -= wAbove + wEqual;
      lo = lt;
    }
  }
  return 0;
}

function swapPair(vals: Float64Array, wts: Float64Array, i: number, k: number): void {
  const v = vals[i]!;
  vals[i] = vals[k]!;
  vals[k] = v;
  const w = wts[i]!;
  wts[i] = wts[k]!;
  wts[k] = w;
}
