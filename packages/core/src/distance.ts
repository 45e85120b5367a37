import { ModelError } from './errors.js';
import { requireFinite } from './validate.js';
import { runSteps, type Steps } from './steps.js';

/**
 * Dense distance matrices (row-major Float64Array) from coordinates, and checks of the
 * metric properties that approximation guarantees rely on.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

/** Mean Earth radius in km (IUGG). */
export const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km between two points given in degrees (haversine formula). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s)));
}

/**
 * Round-trip latency estimate in ms over a great-circle distance: light in fibre covers
 * about 200 km per ms, real routes are longer than the great circle (`routeFactor`,
 * default 1.5), plus a fixed per-path overhead (default 2 ms). A stated model, not a
 * measurement: prefer measured matrices where they exist.
 */
export function latencyFromKm(km: number, routeFactor = 1.5, overheadMs = 2): number {
  return (2 * km * routeFactor) / 200 + overheadMs;
}

/** rows x cols matrix of haversine km between two coordinate lists. */
export function haversineMatrix(rows: readonly LatLon[], cols: readonly LatLon[] = rows): Float64Array {
  checkCoords('rows', rows);
  if (cols !== rows) checkCoords('cols', cols);
  const out = new Float64Array(rows.length * cols.length);
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < cols.length; j++) out[i * cols.length + j] = haversineKm(rows[i]!, cols[j]!);
  }
  return out;
}

/**
 * rows x cols Euclidean distance matrix; points are flat coordinate arrays of dimension
 * `dim` (`points[k * dim + c]`).
 */
export function euclideanMatrix(rows: ArrayLike<number>, cols: ArrayLike<number> = rows, dim = 2): Float64Array {
  if (rows.length % dim !== 0) throw new ModelError('rows', `length ${rows.length} is not a multiple of dim ${dim}`);
  if (cols.length % dim !== 0) throw new ModelError('cols', `length ${cols.length} is not a multiple of dim ${dim}`);
  const nr = rows.length / dim;
  const nc = cols.length / dim;
  const out = new Float64Array(nr * nc);
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const d = (rows[i * dim + c] as number) - (cols[j * dim + c] as number);
        s += d * d;
      }
      out[i * nc + j] = Math.sqrt(s);
    }
  }
  return out;
}

export interface MetricReport {
  symmetric: boolean;
  zeroDiagonal: boolean;
  /** Number of ordered triples (i, k, j) with d(i, j) > d(i, k) + d(k, j) + tolerance. */
  triangleViolations: number;
  /** One violating triple, for messages. */
  example?: [number, number, number];
  isMetric: boolean;
}

/**
 * Checks a square n x n matrix for the metric properties, O(n^3). Counting stops at
 * `maxViolations` to keep the check cheap on badly non-metric data.
 */
export function checkMetric(d: ArrayLike<number>, n: number, tolerance = 1e-9, maxViolations = Infinity): MetricReport {
  if (d.length !== n * n) throw new ModelError('matrix', `must have ${n * n} entries, got ${d.length}`);
  let symmetric = true;
  let zeroDiagonal = true;
  for (let i = 0; i < n; i++) {
    if (Math.abs(d[i * n + i] as number) > tolerance) zeroDiagonal = false;
    for (let j = i + 1; j < n; j++) if (Math.abs((d[i * n + j] as number) - (d[j * n + i] as number)) > tolerance) symmetric = false;
  }
  let triangleViolations = 0;
  let example: [number, number, number] | undefined;
  outer: for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const dik = d[i * n + k] as number;
      for (let j = 0; j < n; j++) {
        if ((d[i * n + j] as number) > dik + (d[k * n + j] as number) + tolerance) {
          triangleViolations++;
          example ??= [i, k, j];
          if (triangleViolations >= maxViolations) break outer;
        }
      }
    }
  }
  const report: MetricReport = { symmetric, zeroDiagonal, triangleViolations, isMetric: symmetric && zeroDiagonal && triangleViolations === 0 };
  if (example) report.example = example;
  return report;
}

/** (d + d^T) / 2 of a square matrix (new array). */
export function symmetrize(d: ArrayLike<number>, n: number, mode: 'mean' | 'max' | 'min' = 'mean'): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = d[i * n + j] as number;
      const b = d[j * n + i] as number;
      out[i * n + j] = mode === 'mean' ? (a + b) / 2 : mode === 'max' ? Math.max(a, b) : Math.min(a, b);
    }
  }
  return out;
}

/**
 * Shortest-path closure (Floyd-Warshall, O(n^3)) of a square matrix: the smallest
 * metric below it when it is symmetric. Infinity marks a missing link. New array.
 */
export function shortestPathClosure(d: ArrayLike<number>, n: number, zeroDiagonal = true): Float64Array {
  return runSteps(shortestPathClosureSteps(d, n, zeroDiagonal));
}

/**
 * shortestPathClosure as steps, a checkpoint after each intermediate vertex (n^2 work): a
 * caller that must stay responsive (the CLI reading a pmed file) yields there and can stop.
 */
export function* shortestPathClosureSteps(d: ArrayLike<number>, n: number, zeroDiagonal = true): Steps<Float64Array> {
  const out = Float64Array.from(d as ArrayLike<number>);
  if (out.length !== n * n) throw new ModelError('matrix', `must have ${n * n} entries, got ${out.length}`);
  if (zeroDiagonal) for (let i = 0; i < n; i++) out[i * n + i] = 0;
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i < n; i++) {
      const dik = out[i * n + k]!;
      if (dik === Infinity) continue;
      const rowI = i * n;
      for (let j = 0; j < n; j++) {
        const via = dik + out[rowK + j]!;
        if (via < out[rowI + j]!) out[rowI + j] = via;
      }
    }
    yield;
  }
  return out;
}

function checkCoords(field: string, pts: readonly LatLon[]): void {
  pts.forEach((p, i) => {
    requireFinite(`${field}[${i}].lat`, p?.lat);
    requireFinite(`${field}[${i}].lon`, p?.lon);
    if (p.lat < -90 || p.lat > 90) throw new ModelError(`${field}[${i}].lat`, `must be in [-90, 90], got ${p.lat}`);
  });
}
