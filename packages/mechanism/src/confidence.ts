/**
 * Confidence half-widths for the mean of bounded samples. `range` is the width of the
 * interval the samples lie in (b - a); `variance` the unbiased sample variance.
 */

/** Hoeffding: |mean - mu| <= R sqrt(ln(2/delta) / (2t)) with probability 1 - delta. */
export function hoeffdingHalfWidth(t: number, range: number, delta: number): number {
  if (t <= 0) return Infinity;
  return range * Math.sqrt(Math.log(2 / delta) / (2 * t));
}

/**
 * Empirical Bernstein (Maurer and Pontil 2009, Theorem 4, two-sided by a union bound):
 * |mean - mu| <= sqrt(2 V ln(4/delta) / t) + 7 R ln(4/delta) / (3 (t - 1)).
 */
export function bernsteinHalfWidth(t: number, variance: number, range: number, delta: number): number {
  if (t <= 1) return Infinity;
  const l = Math.log(4 / delta);
  return Math.sqrt((2 * Math.max(0, variance) * l) / t) + (7 * range * l) / (3 * (t - 1));
}

/** Normal (CLT) interval: z_{1-delta/2} sqrt(V / t). Asymptotic, no range needed. */
export function normalHalfWidth(t: number, variance: number, delta: number): number {
  if (t <= 1) return Infinity;
  return normalQuantile(1 - delta / 2) * Math.sqrt(Math.max(0, variance) / t);
}

/**
 * Sequential testing: the interval is checked at check number j = 1, 2, ... with
 * confidence spent as delta_j = delta * 6 / (pi^2 j^2), so that the probability that any
 * reported interval misses is at most delta however many times we look (union bound).
 */
export function spentDelta(delta: number, check: number): number {
  return (delta * 6) / (Math.PI * Math.PI * check * check);
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
