import type { Result } from '@emplace/core';

/** JSON.stringify replacer: typed arrays become plain arrays, non-finite numbers become null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  return value;
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

/** Aligned plain-text table of the human output. */
export function formatTable(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return '';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((s, k) => s.padEnd(widths[k]!)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
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
