/**
 * Crowding distance (NSGA-II) of the points `front` (indices into a flat `n x m` array):
 * the sum over objectives of the normalised gap between each point's two neighbours;
 * boundary points get Infinity. Written into `out[front[t]]`.
 */
export function crowdingDistance(values: Float64Array, m: number, front: readonly number[], out: Float64Array): void {
  const size = front.length;
  for (const i of front) out[i] = 0;
  if (size <= 2) {
    for (const i of front) out[i] = Infinity;
    return;
  }
  const idx = front.slice();
  for (let k = 0; k < m; k++) {
    idx.sort((a, b) => values[a * m + k]! - values[b * m + k]! || a - b);
    const lo = values[idx[0]! * m + k]!;
    const hi = values[idx[size - 1]! * m + k]!;
    out[idx[0]!] = Infinity;
    out[idx[size - 1]!] = Infinity;
    const span = hi - lo;
    if (!(span > 0)) continue;
    for (let t = 1; t < size - 1; t++) {
      const i = idx[t]!;
      if (out[i] !== Infinity) out[i]! += (values[idx[t + 1]! * m + k]! - values[idx[t - 1]! * m + k]!) / span;
    }
  }
}
