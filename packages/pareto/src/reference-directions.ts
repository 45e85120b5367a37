import { requireInteger } from '@emplace/core';

/**
 * Das and Dennis (1998) structured reference directions: every point of the unit simplex
 * in `m` dimensions whose coordinates are multiples of 1/p. There are C(p+m-1, m-1) of
 * them (91 for m = 3, p = 12). Row-major `count x m`.
 */
export function dasDennis(m: number, p: number): { count: number; m: number; values: Float64Array } {
  requireInteger('m', m, 1);
  requireInteger('p', p, 1);
  const rows: number[][] = [];
  const cur = new Array<number>(m).fill(0);
  const rec = (k: number, left: number): void => {
    if (k === m - 1) {
      cur[k] = left;
      rows.push(cur.map((v) => v / p));
      return;
    }
    for (let v = left; v >= 0; v--) {
      cur[k] = v;
      rec(k + 1, left - v);
    }
  };
  rec(0, p);
  return { count: rows.length, m, values: Float64Array.from(rows.flat()) };
}

/** The divisions p giving the most directions not above `target` (at least 1). */
export function divisionsFor(m: number, target: number): number {
  let p = 1;
  while (binomial(p + 1 + m - 1, m - 1) <= target) p++;
  return p;
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}
