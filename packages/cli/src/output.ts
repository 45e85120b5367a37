import type { Result } from '@emplace/core';

/** JSON.stringify replacer: typed arrays become plain arrays, non-finite numbers become null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (isNumberArrayView(value)) return Array.from(value);
  if (isBigIntArrayView(value)) return Array.from(value, (v) => v.toString());
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * `value` as JSON.stringify(value, jsonReplacer) sees it, converted in one pass so that
 * stringify runs without a replacer: a 200,000-entry Fiedler vector is written in about 60 %
 * of the time (the replacer was called once per entry), which is most of the exit time of an
 * aborted large solve. Typed arrays become packed arrays (filled by push): `new Array(n)` of
 * 200,000 entries is a dictionary-mode array, which JSON.stringify writes about half as fast
 * (measured in a fresh process, piped to a reader: format and flush of a 200k-node Fiedler
 * record, median of 7, 614 ms -> 404 ms at load 7; written in 256 KB pieces with event-loop
 * turns between them, to overlap the formatting with the reader, it was 509 ms).
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return jsonReplacer('', value);
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return toJsonValue((withJson.toJSON as () => unknown).call(value));
  if (isNumberArrayView(value)) {
    const out: (number | null)[] = [];
    for (let i = 0; i < value.length; i++) {
      const x = value[i]!;
      // x - x is 0 exactly for finite x (NaN otherwise): no call per entry in a loop that
      // runs once per process, mostly before V8 has optimised it.
      out.push(x - x === 0 ? x : null);
    }
    return out;
  }
  if (isBigIntArrayView(value)) return Array.from(value, (v) => v.toString());
  // An array of strings and numbers (200,000 node ids) is written by JSON.stringify as it is
  // (non-finite numbers, undefined and functions as null, as after conversion): no call per entry.
  if (Array.isArray(value)) return holdsObjects(value) ? value.map(toJsonValue) : value;
  const plain = value instanceof Map ? Object.fromEntries(value) : value instanceof Set ? [...value] : value;
  if (Array.isArray(plain)) return plain.map(toJsonValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain as Record<string, unknown>)) out[k] = toJsonValue(v);
  return out;
}

/** Whether an array holds an entry toJsonValue must convert (an object or a bigint). */
function holdsObjects(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const t = typeof x;
    if ((t === 'object' && x !== null) || t === 'bigint') return true;
  }
  return false;
}

type NumberArrayView = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A typed array of numbers (not a DataView, not a BigInt array). */
function isNumberArrayView(value: unknown): value is NumberArrayView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function isBigIntArrayView(value: unknown): value is BigInt64Array | BigUint64Array {
  return value instanceof BigInt64Array || value instanceof BigUint64Array;
}

/** The one JSON line printed per problem with `--json`. */
export function resultRecord(
  instance: string,
  family: string,
  result: Result<unknown>,
  extra: Record<string, string | number | boolean | null>,
): Record<string, unknown> {
  return {
    instance,
    family,
    status: result.status,
    objective: result.objective ?? null,
    bound: result.bound ?? null,
    gap: result.gap ?? null,
    elapsedMs: round(result.stats.elapsedMs),
    method: result.stats.method,
    stoppedBy: result.stoppedBy,
    guarantee: result.guarantee,
    ...extra,
    stats: result.stats,
    ...(result.warnings ? { warnings: result.warnings } : {}),
    ...(result.status === 'infeasible' && result.certificate ? { certificate: result.certificate } : {}),
    solution: result.solution ?? null,
  };
}

/**
 * Aligned plain-text table of the human output. With `maxWidth`, the widest columns are
 * narrowed and their cells wrapped onto continuation lines so that no line is longer.
 */
export function formatTable(rows: readonly Record<string, string>[], maxWidth = Infinity): string {
  if (rows.length === 0) return '';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const floor = cols.map((c) => Math.max(c.length, 10));
  let total = widths.reduce((a, b) => a + b, 0) + 2 * (cols.length - 1);
  while (total > maxWidth) {
    let k = -1;
    for (let j = 0; j < cols.length; j++) if (widths[j]! > floor[j]! && (k < 0 || widths[j]! > widths[k]!)) k = j;
    if (k < 0) break;
    widths[k]!--;
    total--;
  }
  const line = (cells: string[]) => cells.map((s, k) => s.padEnd(widths[k]!)).join('  ').trimEnd();
  const out = [line(cols), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) {
    const cells = cols.map((c, k) => wrapText(r[c] ?? '', widths[k]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(cells.map((c) => c[i] ?? '')));
  }
  return out.join('\n');
}

/** Splits text into lines of at most `width` characters, at spaces when it can. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(6);
  }
  return String(v);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
