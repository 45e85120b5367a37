import { ModelError } from '@emplace/core';

/**
 * A set of points in objective space stored flat: point i's objective k is
 * `values[i * m + k]`. Every objective is minimised.
 */
export interface PointSet {
  readonly n: number;
  readonly m: number;
  readonly values: Float64Array;
}

/** Builds a PointSet from rows (or copies a flat array), checking shape and NaN; names `field[i][k]` on bad input. */
export function toPointSet(points: readonly ArrayLike<number>[] | PointSet, field = 'points'): PointSet {
  if (!Array.isArray(points)) {
    const ps = points as PointSet;
    if (ps.values.length !== ps.n * ps.m) throw new ModelError(field, `has ${ps.values.length} values for ${ps.n} points x ${ps.m} objectives`);
    for (let k = 0; k < ps.values.length; k++) {
      if (Number.isNaN(ps.values[k])) throw new ModelError(`${field}[${Math.floor(k / ps.m)}][${k % ps.m}]`, 'is NaN');
    }
    return ps;
  }
  const rows = points as readonly ArrayLike<number>[];
  const n = rows.length;
  const m = n > 0 ? rows[0]!.length : 0;
  const values = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (!r || r.length !== m) throw new ModelError(`${field}[${i}]`, `has ${r ? r.length : 0} objectives, expected ${m} (as ${field}[0])`);
    for (let k = 0; k < m; k++) {
      const v = r[k]!;
      if (typeof v !== 'number' || Number.isNaN(v)) throw new ModelError(`${field}[${i}][${k}]`, typeof v === 'number' ? 'is NaN' : 'must be a number');
      values[i * m + k] = v;
    }
  }
  return { n, m, values };
}

/** Rows of a PointSet as plain arrays (for results and JSON). */
export function toRows(ps: PointSet): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ps.n; i++) out.push(Array.from(ps.values.subarray(i * ps.m, (i + 1) * ps.m)));
  return out;
}
