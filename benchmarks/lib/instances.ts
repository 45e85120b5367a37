import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The shared public instances: `$EMPLACE_INSTANCES`, else `../shared/instances` beside
 * the repository (where CI and every developer machine have them).
 */
export function instancesDir(): string {
  const dir = process.env.EMPLACE_INSTANCES ?? resolve(repoRoot, '../shared/instances');
  if (!existsSync(dir)) throw new Error(`instances folder not found at ${dir} (set EMPLACE_INSTANCES)`);
  return dir;
}

export function instancePath(...parts: string[]): string {
  return resolve(instancesDir(), ...parts);
}

export interface OptimumEntry {
  value: number;
  kind: 'optimal' | 'best-known';
  sense: 'min' | 'max';
  file?: string;
  problem_index?: number;
  alias?: string;
  value_if_minimised?: number;
  capacity?: number | string;
  [field: string]: unknown;
}

/** Reads `<family>/<file>` (default optima.json) of the shared instances. */
export function readOptima(family: string, file = 'optima.json'): Record<string, OptimumEntry> {
  return JSON.parse(readFileSync(instancePath(family, file), 'utf8')) as Record<string, OptimumEntry>;
}

/** Relative gap in percent of `value` to the reference optimum (positive = worse). */
export function gapPercent(value: number, optimum: number, sense: 'min' | 'max' = 'min'): number {
  const diff = sense === 'min' ? value - optimum : optimum - value;
  return (100 * diff) / Math.max(1e-9, Math.abs(optimum));
}

export type Cell = string | number | boolean | null | undefined;

/** Prints rows as an aligned plain-text table (numbers right-aligned). */
export function printTable(rows: readonly Record<string, Cell>[], columns?: readonly string[]): void {
  if (rows.length === 0) return;
  const cols = columns ?? Object.keys(rows[0]!);
  const text = (v: Cell): string => (v === undefined || v === null ? '' : typeof v === 'number' ? formatNumber(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[], numeric: boolean[]) => cells.map((s, k) => (numeric[k] ? s.padStart(widths[k]!) : s.padEnd(widths[k]!))).join('  ');
  const numericCol = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === undefined || r[c] === null));
  console.log(line([...cols], numericCol));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(cols.map((c) => text(r[c])), numericCol));
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(1);
  if (a >= 1) return v.toFixed(3);
  if (a === 0) return '0';
  return v.toPrecision(3);
}

/** The machine a benchmark ran on, recorded beside its numbers. */
export function machineInfo(): Record<string, string | number> {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
}

/**
 * Where results go: `benchmarks/results` (committed, the source of docs/benchmarks.md), or
 * `$EMPLACE_RESULTS_DIR` — `pnpm bench --quick` points it elsewhere so that a quick subset
 * never overwrites the full results.
 */
export function resultsDir(): string {
  return process.env.EMPLACE_RESULTS_DIR ?? resolve(repoRoot, 'benchmarks/results');
}

/** Writes `<resultsDir>/<family>.json` with the rows, a summary and the machine. */
export function writeResults(family: string, payload: { rows: readonly Record<string, Cell>[]; summary: Record<string, unknown>; [k: string]: unknown }): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${family}.json`);
  writeFileSync(file, JSON.stringify({ family, machine: machineInfo(), ...payload }, null, 2) + '\n');
  return file;
}

/** Milliseconds spent in `f` (high-resolution clock). */
export async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}
